import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileFile, DEFAULTS, type JobSpec } from '../src/index.js';
import { examplesDir, createServices, diagnose, diagnoseCodes, jobSpecProblems } from './helpers.js';

const services = createServices();

/** A valid synthetic experiment with these lines added (from line 5 on). */
function experiment(...lines: string[]): string {
    return `experiment E {
  dataset personas: personality from synthetic
  dataset moods: emotion from synthetic
  eam { }
${lines.map(l => `  ${l}`).join('\n')}
}
`;
}

async function compileText(text: string): Promise<JobSpec> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-fusion-'));
    const file = path.join(dir, 'e.persemon');
    fs.writeFileSync(file, text);
    return compileFile(file);
}


describe('evaluate { metrics } and fusion search: the language', () => {
    it('compiles every metric by default, and only those a document names', async () => {
        assert.deepEqual((await compileText(experiment())).evaluation.metrics, ['mse', 'accuracy', 'r2', 'pcc', 'ccc']);
        assert.deepEqual((await compileText(experiment('evaluate { metrics [mse] }'))).evaluation.metrics, ['mse']);
        assert.deepEqual((await compileText(experiment('evaluate { metrics [ccc, pcc, ccc] }'))).evaluation.metrics, ['ccc', 'pcc']);
    });

    it('compiles fixed weights as before, and a search on the personality validation split by default', async () => {
        assert.deepEqual((await compileText(experiment('evaluate { fusion pam 3 ram 2 }'))).evaluation.fusion, { pam: 3, ram: 2 });
        assert.deepEqual((await compileText(experiment())).evaluation.fusion, { pam: 6, ram: 1 });
        assert.deepEqual((await compileText(experiment('evaluate { fusion search }'))).evaluation.fusion,
            { search: { on: { dataset: 'personas', split: 'validation' }, step: 0.05 } });
        assert.equal(DEFAULTS.fusionSearchStep, 0.05);
        assert.deepEqual((await compileText(experiment('evaluate { fusion search on personas.train step 0.25 }'))).evaluation.fusion,
            { search: { on: { dataset: 'personas', split: 'train' }, step: 0.25 } });
        assert.deepEqual((await compileText(experiment('evaluate { fusion search step 1 }'))).evaluation.fusion,
            { search: { on: { dataset: 'personas', split: 'validation' }, step: 1 } });
    });

    it('prefers the evaluated personality dataset for the default search split', async () => {
        const spec = await compileText(`experiment E {
  dataset first: personality from synthetic
  dataset second: personality from synthetic
  pam { }
  evaluate { personality on second.test  fusion search }
}
`);
        assert.deepEqual(spec.evaluation.fusion, { search: { on: { dataset: 'second', split: 'validation' }, step: 0.05 } });
    });

    it('accepts the step boundaries and refuses a step outside (0, 1] or finer than 0.001', async () => {
        assert.deepEqual(await diagnose(services, experiment('evaluate { fusion search step 1 }')), []);
        assert.deepEqual(await diagnose(services, experiment('evaluate { fusion search step 0.001 }')), []);
        assert.deepEqual(await diagnose(services, experiment('evaluate { fusion search step 0 }')), [
            "5:33 '0' error out-of-range: the fusion search step must be greater than 0 and at most 1, not 0"
        ]);
        assert.deepEqual(await diagnose(services, experiment('evaluate { fusion search step 1.5 }')), [
            "5:33 '1.5' error out-of-range: the fusion search step must be greater than 0 and at most 1, not 1.5"
        ]);
        assert.deepEqual(await diagnose(services, experiment('evaluate { fusion search step 1e-4 }')), [
            "5:33 '1e-4' error out-of-range: the fusion search step must be at least 0.001 (a grid of at most 1001 points), not 1e-4"
        ]);
    });

    it('refuses a search split that does not exist or is an emotion split', async () => {
        assert.deepEqual(await diagnose(services, experiment('evaluate { fusion search on personas.valid }')), [
            "5:40 'valid' error unknown-split: personas has no split 'valid'; its splits are train, validation, test"
        ]);
        assert.deepEqual(await diagnose(services, experiment('evaluate { fusion search on moods.validation }')), [
            "5:31 'moods' error split-kind: moods is an emotion dataset: fusion weights are searched on personality datasets"
        ]);
    });

    it('says when no default search split exists, and how to name one', async () => {
        assert.deepEqual(await diagnoseCodes(services, `experiment E {
  dataset c: personality from chalearn "/nowhere/chalearn" { splits [train, test] }
  pam { }
  evaluate { fusion search }
}
`, 'unknown-split'), [
            "4:21 'search' error unknown-split: fusion search needs a validation split to choose the weights on: "
            + 'no personality dataset has a validation split (c: train, test); name one with `fusion search on c.<split>`'
        ]);
    });

    it('reports an inherited search without a split on the experiment that brings the datasets', async () => {
        assert.deepEqual(await diagnoseCodes(services, `experiment Base {
  evaluate { fusion search }
}
experiment Child extends Base {
  dataset c: personality from chalearn "/nowhere/chalearn" { splits [train, test] }
  pam { }
}
`, 'unknown-split'), [
            // Base alone has no personality dataset at all; Child brings one without a validation split.
            "2:21 'search' error unknown-split: fusion search needs a validation split to choose the weights on: "
            + 'this experiment has no personality dataset; name one with `fusion search on <dataset>.<split>`',
            "4:12 'Child' error unknown-split: fusion search needs a validation split to choose the weights on: "
            + 'no personality dataset has a validation split (c: train, test); name one with `fusion search on c.<split>`'
        ]);
    });

    it('warns when the weights would be chosen on a split that is also evaluated', async () => {
        assert.deepEqual(await diagnose(services, experiment('evaluate { personality on personas.validation  fusion search }')), [
            "5:57 'search' warning fusion-weights: fusion search on personas.validation, which personality is also evaluated on: "
            + 'weights chosen on a split flatter its scores; search on a validation split'
        ]);
        assert.deepEqual(await diagnose(services, experiment('evaluate { fusion search on personas.test }')), [
            "5:31 'personas.test' warning fusion-weights: fusion search on personas.test, which personality is also evaluated on: "
            + 'weights chosen on a split flatter its scores; search on a validation split'
        ]);
    });
});

describe('fusion in a JobSpec file', () => {
    let quickstart: JobSpec;
    before(async () => {
        quickstart = await compileFile(path.join(examplesDir, 'quickstart.persemon'));
    });
    const withFusion = (fusion: unknown) => {
        const spec = structuredClone(quickstart) as unknown as { evaluation: { fusion: unknown } };
        spec.evaluation.fusion = fusion;
        return spec;
    };

    it('loads a JobSpec written before fusion search (fixed weights) and one with a search', () => {
        assert.deepEqual(jobSpecProblems(withFusion({ pam: 6, ram: 1 })), []);
        assert.deepEqual(jobSpecProblems(withFusion({ search: { on: { dataset: 'personas', split: 'validation' }, step: 0.1 } })), []);
    });

    it('names the bad field of a search', () => {
        assert.deepEqual(jobSpecProblems(withFusion({ search: { on: { dataset: 'personas', split: 'validation' }, step: 0 } })), [
            'evaluation.fusion.search.step: must be > 0'
        ]);
        assert.deepEqual(jobSpecProblems(withFusion({ search: { on: { dataset: 'personas', split: 'validation' }, step: 0.0001 } })), [
            'evaluation.fusion.search.step: the fusion search step must be at least 0.001 (a grid of at most 1001 points), not 0.0001'
        ]);
        assert.deepEqual(jobSpecProblems(withFusion({ search: { on: { dataset: 'personas', split: 'holdout' }, step: 0.1 } })), [
            "evaluation.fusion.search.on.split: personas has no split 'holdout'; its splits are train, validation, test"
        ]);
        assert.deepEqual(jobSpecProblems(withFusion({ search: { on: { dataset: 'moods', split: 'validation' }, step: 0.1 } })), [
            'evaluation.fusion.search.on.dataset: moods is an emotion dataset: fusion weights are searched on personality datasets'
        ]);
        assert.deepEqual(jobSpecProblems(withFusion({ pam: 6, ram: 1, search: { on: { dataset: 'personas', split: 'validation' }, step: 0.1 } })), [
            "evaluation.fusion: unknown field 'pam'", "evaluation.fusion: unknown field 'ram'"
        ]);
        assert.deepEqual(jobSpecProblems(withFusion({ pam: 6 })), ["evaluation.fusion: missing field 'ram'"]);
    });
});
