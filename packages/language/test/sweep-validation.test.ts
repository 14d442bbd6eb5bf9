import * as assert from 'node:assert/strict';
import { expectCompletion, expectHover } from 'langium/test';
import { parseHelper } from 'langium/test';
import { clearDocuments } from 'langium/test';
import type { Model } from '../src/generated/ast.js';
import { PersemonSweepHintProvider } from '../src/lsp/persemon-sweep-hints.js';
import { createServices, diagnose } from './helpers.js';

const services = createServices();

const BASE = `experiment Base {
  dataset personas: personality from synthetic { people 40  clips 2  frames 8  image 16x16 }
  dataset moods: emotion from synthetic { people 40  clips 1  frames 8  image 16x16 }
  fem sphereface depth 4 { input 16x16 }
  coherence { }
  schedule step { iterations 100  milestones [50] }
}
experiment NoCoherence extends Base { coherence off }
`;

async function problems(sweep: string): Promise<string[]> {
    return diagnose(services, `${BASE}${sweep}\n`);
}

describe('sweep declarations: validation in the editor', () => {
    it('accepts a valid sweep', async () => {
        assert.deepEqual(await problems('sweep S over [Base, NoCoherence] {\n  seed [1, 2]\n  loss.λ3 [0.05, 0.1]\n  zip {\n    fem.depth [4, 10]\n    datasets.personas.synthetic.people [40, 60]\n  }\n  slurm { partition gpu  cpus 2 }\n}'), []);
    });

    it('names a path that is not in the JobSpec, with the closest field', async () => {
        assert.deepEqual(await problems('sweep S over Base {\n  loss.lamda3 [0.1]\n}'), [
            "10:3 'loss.lamda3' error sweep-unknown-path: loss has no field 'lamda3' (did you mean 'lambda3'?)"
        ]);
    });

    it('checks each value against each experiment, naming the experiment', async () => {
        assert.deepEqual(await problems('sweep S over [Base, NoCoherence] {\n  fem.depth [4, 11]\n  schedule.iterations [100, 40]\n}'), [
            "10:17 '11' error sweep-bad-value: model.fem.depth: must be equal to one of the allowed values (4, 10, 20, 36, 64) (experiment Base)",
            "10:17 '11' error sweep-bad-value: model.fem.depth: must be equal to one of the allowed values (4, 10, 20, 36, 64) (experiment NoCoherence)",
            "11:29 '40' error sweep-bad-value: schedule.milestones.0: milestone 50 is not within the 40 iterations (experiment Base)",
            "11:29 '40' error sweep-bad-value: schedule.milestones.0: milestone 50 is not within the 40 iterations (experiment NoCoherence)"
        ]);
    });

    it('wants zipped lists of one length, each path varied once, known Slurm settings, each experiment once', async () => {
        assert.deepEqual(await problems('sweep S over [Base, Base] {\n  seed [1]\n  zip {\n    seed [1, 2]\n    loss.lambda4 [0.1]\n  }\n  slurm { queue "x"  cpus 0 }\n}'), [
            "9:21 'Base' error sweep-duplicate-experiment: experiment Base is named twice in this sweep",
            "12:5 'seed' error sweep-duplicate-path: seed is varied twice in this sweep (experiment Base)",
            "13:5 'loss.lambda4' error sweep-zip-lengths: the settings of a zip vary together, so each lists as many values as the first (2), not 1",
            "15:11 'queue' error sweep-slurm: unknown Slurm setting 'queue' (there is: partition, time, cpus, mem, gres, parallel)",
            "15:22 'cpus' error sweep-slurm: slurm cpus takes a whole number >= 1"
        ]);
    });

    it('refuses an experiment it cannot find', async () => {
        const found = await problems('sweep S over [Base, Missing] { }');
        assert.equal(found.length, 1);
        assert.match(found[0], /^9:21 'Missing' error .*Missing/);
    });
});

describe('sweep declarations: hover, completion and the runs hint', () => {
    it('shows how many runs a sweep makes on its name, and each experiment\'s value on a path', async () => {
        const text = `${BASE}sweep <|>S over [Base, NoCoherence] {\n  seed [1, 2, 3]\n  zip {\n    loss.lambda3 [0.1, 0.2]\n    loss.lambda4 [0.1, 0.2]\n  }\n}\n`;
        await expectHover(services)({ text, index: 0, hover: /^\*\*sweep S\*\*: 12 runs = 2 experiments × seed \(3\) × zip of loss\.lambda3, loss\.lambda4 \(2\)/, disposeAfterCheck: true });
        const onPath = `${BASE}sweep S over [Base, NoCoherence] {\n  coherence.ena<|>bled [true, false]\n}\n`;
        await expectHover(services)({ text: onPath, index: 0, hover: /- Base: `model\.coherence\.enabled` is true\n- NoCoherence: `model\.coherence\.enabled` is false/, disposeAfterCheck: true });
    });

    it('puts the number of runs after the sweep\'s name', async () => {
        const document = await parseHelper<Model>(services)(`${BASE}sweep S over [Base, NoCoherence] {\n  seed [1, 2, 3]\n}\n`);
        const hints = new PersemonSweepHintProvider().getInlayHints(document, { textDocument: { uri: document.uri.toString() }, range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } } });
        assert.deepEqual(hints.map(h => [h.position, h.label, h.tooltip]), [[{ line: 8, character: 7 }, ': 6 runs', '6 = 2 experiments × seed (3)']]);
        await clearDocuments(services, [document]);
    });

    it('completes the JobSpec\'s paths in a sweep, and Slurm\'s settings in its slurm block', async () => {
        const complete = expectCompletion(services);
        await complete({
            text: `${BASE}sweep S over Base {\n  loss.lam<|>\n}\n`, index: 0, disposeAfterCheck: true,
            expectedItems: ['loss.lambda1', 'loss.lambda2', 'loss.lambda3', 'loss.lambda4', 'loss.lambda5']
        });
        await complete({
            text: `${BASE}sweep S over Base {\n  fem.de<|>\n}\n`, index: 0, disposeAfterCheck: true, expectedItems: ['fem.depth']
        });
        await complete({
            text: `${BASE}sweep S over Base {\n  slurm { <|> }\n}\n`, index: 0, disposeAfterCheck: true,
            expectedItems: ['partition', 'time', 'cpus', 'mem', 'gres', 'parallel']
        });
        await complete({ text: `${BASE}sweep S over [Base, <|>`, index: 0, disposeAfterCheck: true, expectedItems: ['Base', 'NoCoherence'] });
    });
});
