import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertJobSpec, compileFile, JobSpecError, type JobSpec } from '../src/index.js';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples');

function tempFile(name: string, text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-compile-'));
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
}

describe('compile', () => {
    it('fills the paper example with every value the paper states', async () => {
        const spec = await compileFile(path.join(examples, 'paper.persemon'));
        assert.equal(spec.experiment, 'Paper');
        assert.deepEqual(spec.model.fem, {
            family: 'sphereface', depth: 20, input: { height: 112, width: 96 }, init: path.join(examples, 'weights/sphereface_20.weights'), freeze: false, features: 512
        });
        assert.deepEqual(spec.sampling, { segments: 10, emotionFrames: 100, personalityVideos: 10, microBatch: 'auto' });
        assert.deepEqual(spec.loss, { lambda1: 1, lambda2: 1, lambda3: 0.1, lambda4: 0.1, lambda5: 0.1, margin: 0.05 });
        assert.deepEqual(spec.optimizer, { kind: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 0.0005 });
        assert.deepEqual(spec.schedule, { kind: 'step', iterations: 56000, milestones: [32000, 48000], gamma: 0.1, warmup: 0, minLr: 0 });
        assert.deepEqual(spec.model.ram, { enabled: true, hidden: 128, consensus: { kind: 'average', hidden: 128 } });
        assert.deepEqual(spec.evaluation.fusion, { pam: 6, ram: 1 });
        assert.deepEqual(spec.evaluation.personality, [{ dataset: 'chalearn', split: 'test' }]);
        assert.deepEqual(spec.evaluation.emotion, [{ dataset: 'affwild', split: 'validation' }]);
        const affwild = spec.datasets.find(d => d.name === 'affwild')!;
        // 10:1 train:validation holds out 1/11 of the training people.
        assert.ok(Math.abs(affwild.validation - 1 / 11) < 1e-12);
        assert.deepEqual(affwild.splits, ['train', 'validation', 'test']);
        assert.equal(affwild.path, path.join(examples, 'data/aff-wild'));
        assert.deepEqual(affwild.faces, { enabled: true, detector: 'ssd', align: { height: 112, width: 96 }, confidence: 0.5 });
        assert.equal(spec.output, path.join(examples, 'runs'));
    });

    it('resolves extends: a child merges option by option and switches modules off', async () => {
        const ablations = path.join(examples, 'ablations.persemon');
        const noRam = await compileFile(ablations, 'NoRelationship');
        assert.equal(noRam.model.ram.enabled, false);
        assert.equal(noRam.model.pam.enabled, true);
        assert.equal(noRam.seed, 7, 'inherited from Paper');
        const lstm = await compileFile(ablations, 'ConsensusLstm');
        assert.deepEqual(lstm.model.pam.consensus, { kind: 'lstm', hidden: 128 });
        assert.deepEqual(lstm.model.ram.consensus, { kind: 'average', hidden: 128 });
        // Paths written in paper.persemon stay relative to paper.persemon.
        assert.equal(lstm.datasets[0].path, path.join(examples, 'data/chalearn'));
    });

    it('merges a loss block key by key and replaces an optimizer of another kind', async () => {
        const file = tempFile('child.persemon', `
experiment Base {
  dataset p: personality from synthetic
  pam { }
  loss { λ1 2  margin 0.5 }
  optimizer sgd { lr 0.1  momentum 0.5 }
  schedule step { iterations 100 }
}
experiment Child extends Base {
  loss { lambda1 3 }
  optimizer adam { lr 0.002 }
  schedule step { iterations 200 }
}`);
        const spec = await compileFile(file, 'Child');
        assert.equal(spec.loss.lambda1, 3);
        assert.equal(spec.loss.margin, 0.5);
        assert.deepEqual(spec.optimizer, { kind: 'adam', lr: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });
        // Milestones default to the paper's 32/56 and 48/56 of the iterations: 114.3 -> 114, 171.4 -> 171.
        assert.deepEqual(spec.schedule.milestones, [114, 171]);
        assert.equal(spec.evaluation.every, 200, 'capped at the iterations');
    });

    it('scales the paper\'s milestones to a short schedule, each once and before its end', async () => {
        const file = tempFile('one.persemon', `
experiment One {
  dataset p: personality from synthetic
  pam { }
  schedule step { iterations 1 }
}`);
        // 32/56 and 48/56 of 1 both round to step 1, the last: no milestone (it used to be [1, 1], refused).
        const spec = await compileFile(file, 'One');
        assert.deepEqual(spec.schedule.milestones, []);
        // Of 3: 1.71 -> 2 and 2.57 -> 3, the last: [2].
        const three = await compileFile(tempFile('three.persemon', fs.readFileSync(file, 'utf8').replace('iterations 1', 'iterations 3')), 'One');
        assert.deepEqual(three.schedule.milestones, [2]);
    });

    it('asks which experiment when a file has several', async () => {
        await assert.rejects(compileFile(path.join(examples, 'ablations.persemon')), /declares 6 experiments; choose one with --experiment: EmotionOnly, PersonalityOnly/);
    });

    it('refuses a hand-written JobSpec that breaks the schema, naming the field', async () => {
        const spec = await compileFile(path.join(examples, 'quickstart.persemon')) as JobSpec;
        assertJobSpec(spec, 'quickstart');
        const bad = structuredClone(spec) as unknown as Record<string, any>;
        bad.loss.margin = 0;
        bad.sampling.segments = 'ten';
        delete bad.seed;
        bad.model.fem.depth = 18;
        assert.throws(() => assertJobSpec(bad, 'job.json'), (e: unknown) => {
            assert.ok(e instanceof JobSpecError);
            assert.match(e.message, /^job\.json: invalid JobSpec/);
            assert.ok(e.problems.includes('loss.margin: must be > 0'), e.problems.join('\n'));
            assert.ok(e.problems.includes('sampling.segments: must be integer'), e.problems.join('\n'));
            assert.ok(e.problems.includes("(root): missing field 'seed'"), e.problems.join('\n'));
            assert.ok(e.problems.some(p => p.startsWith('model.fem.depth: must be equal to one of the allowed values (4, 10, 20, 36, 64)')), e.problems.join('\n'));
            return true;
        });
        const extra = { ...structuredClone(spec), lr: 0.1 };
        assert.throws(() => assertJobSpec(extra, 'job.json'), /\(root\): unknown field 'lr'/);
    });
});
