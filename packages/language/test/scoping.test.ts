import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'langium';
import { parseHelper } from 'langium/test';
import type { Dataset, Experiment, Model, PersonalityEval, SplitRef } from '../src/generated/ast.js';
import type { PersemonServices } from '../src/persemon-module.js';
import { createServices, tempDir } from './helpers.js';

const PAPER = `experiment Paper {
  dataset selfies: personality from synthetic
  dataset moods: emotion from synthetic
}
`;

function splitRefs(model: Model, experiment: number): SplitRef[] {
    const evaluate = model.experiments[experiment].settings.find(s => s.$type === 'Evaluate')!;
    return evaluate.options.flatMap(o => (o as PersonalityEval).splits ?? []);
}

function dataset(experiment: Experiment, name: string): Dataset {
    return experiment.settings.find((s): s is Dataset => s.$type === 'Dataset' && s.name === name)!;
}

describe('scoping', () => {
    let services: PersemonServices;
    beforeEach(() => {
        services = createServices();
    });

    it('resolves dataset.split to a dataset of the experiment or of those it extends, the nearest winning', async () => {
        const document = await parseHelper<Model>(services)(`${PAPER}experiment Child extends Paper {
  dataset moods: emotion from synthetic { shift 0.9 }
}
experiment Grandchild extends Child {
  evaluate { personality on selfies.test  emotion on moods.test }
}
`);
        const [paper, child] = document.parseResult.value.experiments;
        const [selfies, moods] = splitRefs(document.parseResult.value, 2);
        assert.equal(selfies.dataset.ref, dataset(paper, 'selfies'));
        assert.equal(moods.dataset.ref, dataset(child, 'moods'));
    });

    it('does not see the datasets of an experiment that is not extended', async () => {
        const document = await parseHelper<Model>(services)(`${PAPER}experiment Other {
  evaluate { personality on selfies.test }
}
`);
        const [selfies] = splitRefs(document.parseResult.value, 1);
        assert.equal(selfies.dataset.ref, undefined);
        assert.match(selfies.dataset.error?.message ?? '', /selfies/);
    });

    it('resolves extends in the same file and in imported files, relative to the importing file', async () => {
        const paper = await parseHelper<Model>(services)(PAPER, { documentUri: 'file:///work/lib/paper.persemon' });
        await parseHelper<Model>(services)('experiment Hidden { }\n', { documentUri: 'file:///work/lib/hidden.persemon' });
        const document = await parseHelper<Model>(services)(`import "../lib/paper.persemon"
experiment Local { }
experiment A extends Paper { }
experiment B extends Local { }
experiment C extends Hidden { }
`, { documentUri: 'file:///work/exp/ablations.persemon' });
        const [, a, b, c] = document.parseResult.value.experiments;
        assert.equal(a.parent?.ref, paper.parseResult.value.experiments[0]);
        assert.equal(b.parent?.ref, document.parseResult.value.experiments[0]);
        assert.equal(c.parent?.ref, undefined, 'hidden.persemon is not imported');
    });

    it('resolves the experiments a sweep runs as extends does: this file and the imported, not the workspace', async () => {
        const paper = await parseHelper<Model>(services)(PAPER, { documentUri: 'file:///work/sweeps/lib/paper.persemon' });
        await parseHelper<Model>(services)('experiment Unseen { }\n', { documentUri: 'file:///work/sweeps/lib/unseen.persemon' });
        const document = await parseHelper<Model>(services)(`import "lib/paper.persemon"
experiment Local { }
sweep S over [Paper, Local, Unseen] { seed [1, 2] }
`, { documentUri: 'file:///work/sweeps/main.persemon' });
        const [sweep] = document.parseResult.value.sweeps;
        const [p, local, unseen] = sweep.experiments;
        assert.equal(p.ref, paper.parseResult.value.experiments[0]);
        assert.equal(local.ref, document.parseResult.value.experiments[0]);
        assert.equal(unseen.ref, undefined, 'unseen.persemon is not imported');
    });

    it('reads an imported file from disk when the workspace has not loaded it', async () => {
        const dir = tempDir();
        fs.mkdirSync(path.join(dir, 'lib'));
        fs.writeFileSync(path.join(dir, 'lib/paper.persemon'), PAPER);
        const document = await parseHelper<Model>(services)('import "lib/paper.persemon"\nexperiment A extends Paper { }\n', {
            documentUri: URI.file(path.join(dir, 'main.persemon')).toString(), validation: true
        });
        assert.equal(document.parseResult.value.experiments[0].parent?.ref?.name, 'Paper');
        assert.deepEqual(document.diagnostics, []);
        assert.ok(services.shared.workspace.LangiumDocuments.hasDocument(URI.file(path.join(dir, 'lib/paper.persemon'))));
    });
});
