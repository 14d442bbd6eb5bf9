import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { JobSpec, LossSpec } from '@persemon/language';
import type { PersEmonModel } from '../../src/model/persemon-model.js';
import { autoMicroBatch, planChunks } from '../../src/train/micro-batch.js';
import { networkGradients, trainStep, type TrainBatch } from '../../src/train/step.js';
import * as os from 'node:os';
import { cgroupLimitBytes, engineMemoryBytes } from '../../src/backend/memory.js';
import { describeOnEngines } from '../helpers/engines.js';
import { maxDifference, PAPER_LOSS, sgdOptimizers, syntheticBatch, tinyModel, tinyOptions, weightsOf } from '../helpers/fixtures.js';

const only = (term: keyof LossSpec): LossSpec => ({ lambda1: 0, lambda2: 0, lambda3: 0, lambda4: 0, lambda5: 0, margin: 0.05, [term]: 1 });
const step = (model: PersEmonModel, batch: TrainBatch, loss: LossSpec = PAPER_LOSS, microBatch = 1000, optimizers = sgdOptimizers(model)) =>
    trainStep(model, optimizers, batch, { loss }, { lr: 0.05, microBatch });
const without = (weights: Map<string, Float32Array>, module: string) => new Map([...weights].filter(([name]) => !name.startsWith(`${module}/`)));

describeOnEngines('training step', () => {

    // 3 emotion frames and 2 videos of K = 2 frames at 16x16, SphereFace-4.
    const batch = syntheticBatch(1, 16, 3, 2, 2);

    it('plans micro-batches of whole videos, then emotion frames', () => {
        // 5 emotion frames, 3 videos of 2, at most 4 images a pass: videos 0-1; video 2 + frames 0-1;
        // frames 2-4.
        assert.deepEqual(planChunks(5, 3, 2, 4), [
            { e0: 0, e1: 0, v0: 0, v1: 2 },
            { e0: 0, e1: 2, v0: 2, v1: 3 },
            { e0: 2, e1: 5, v0: 3, v1: 3 }
        ]);
        assert.deepEqual(planChunks(7, 0, 2, 3), [{ e0: 0, e1: 3, v0: 0, v1: 0 }, { e0: 3, e1: 6, v0: 0, v1: 0 }, { e0: 6, e1: 7, v0: 0, v1: 0 }]);
        assert.deepEqual(planChunks(5, 3, 2, Number.POSITIVE_INFINITY), [{ e0: 0, e1: 5, v0: 0, v1: 3 }]);
        // A video larger than the micro-batch still goes whole.
        assert.deepEqual(planChunks(1, 1, 3, 2), [{ e0: 0, e1: 0, v0: 0, v1: 1 }, { e0: 0, e1: 1, v0: 1, v1: 1 }]);
    });

    it('picks a micro-batch that fits the wasm heap', () => {
        const paper = tinyOptions({ depth: 20 });
        const spec: Pick<JobSpec, 'model' | 'sampling'> = {
            model: { ...paper.model, fem: { ...paper.model.fem, input: { height: 112, width: 96 } } },
            sampling: { segments: 10, emotionFrames: 100, personalityVideos: 10, microBatch: 'auto' }
        };
        // SphereFace-20 at 112x96 keeps ~3.3M values an image (~40 MB with gradients): 200 do not fit in 4 GiB.
        const wasm = autoMicroBatch(spec, 'wasm');
        assert.ok(wasm >= 10 && wasm < 200, `${wasm}`);
        assert.equal(autoMicroBatch(spec, 'node', 2 ** 40), 200);
        // The native engine has the machine's memory: 16 GiB holds the paper's step in one pass.
        assert.equal(autoMicroBatch(spec, 'node', 16 * 2 ** 30), 200);
        assert.equal(autoMicroBatch(spec, 'node'), autoMicroBatch(spec, 'node', engineMemoryBytes('node')));
        assert.equal(engineMemoryBytes('node'), Math.min(os.totalmem(), cgroupLimitBytes() ?? Infinity));
        assert.equal(autoMicroBatch(spec, 'wasm', 2 ** 28), 10);
        assert.equal(autoMicroBatch({ ...spec, model: tinyOptions({ size: 64 }).model }, 'wasm'), 200);
    });

    it('alternates: the discriminator step changes only the discriminator, the network step all but it', () => {
        const module = (w: Map<string, Float32Array>, m: string) => new Map([...w].filter(([name]) => name.startsWith(`${m}/`)));
        // The iteration in two calls: the discriminator step alone (λ3 only), then the network step alone (λ3 = 0).
        const apart = tinyModel();
        const optimizers = sgdOptimizers(apart);
        const w0 = weightsOf(apart);
        const d = step(apart, batch, { ...only('lambda3'), lambda3: 0.1 }, 1000, optimizers);
        assert.deepEqual({ ...d.loss, d: 0, total: 0 }, { per: 0, emo: 0, d: 0, adv: 0, ram: 0, total: 0 });
        assert.ok(d.loss.d > 0);
        const w1 = weightsOf(apart);
        assert.equal(maxDifference(without(w0, 'coherence'), without(w1, 'coherence')), 0);
        assert.ok(maxDifference(module(w0, 'coherence'), module(w1, 'coherence')) > 0);
        step(apart, batch, { ...PAPER_LOSS, lambda3: 0 }, 1000, optimizers);
        const w2 = weightsOf(apart);
        assert.equal(maxDifference(module(w1, 'coherence'), module(w2, 'coherence')), 0);
        for (const m of ['fem', 'pam', 'eam', 'ram']) assert.ok(maxDifference(module(w1, m), module(w2, m)) > 0, m);
        // One call does the same: the network step saw the discriminator the first step had updated.
        const together = tinyModel();
        step(together, batch);
        assert.ok(maxDifference(weightsOf(together), w2) < 1e-6);
        together.dispose();
        apart.dispose();
    });

    it('FEM receives gradients from PAM, EAM, RAM and L_adv each alone', () => {
        const model = tinyModel();
        const norm = (g: tf.Tensor | undefined) => (g ? tf.tidy(() => tf.norm(g).dataSync()[0]) : 0);
        const cases: Array<[keyof LossSpec, string, string[], string[]]> = [
            ['lambda1', 'per', ['pam/fc/weight'], ['eam/fc/weight', 'ram/fc1/weight', 'coherence/fc/weight']],
            ['lambda2', 'emo', ['eam/fc/weight'], ['pam/fc/weight', 'ram/fc1/weight']],
            ['lambda5', 'ram', ['ram/fc1/weight', 'eam/fc/weight'], ['pam/fc/weight']],
            ['lambda4', 'adv', [], ['pam/fc/weight', 'eam/fc/weight', 'ram/fc1/weight', 'coherence/fc/weight']]
        ];
        for (const [lambda, term, reached, untouched] of cases) {
            const { grads, values } = networkGradients(model, batch, only(lambda));
            assert.ok(values[term as 'per'] > 0, term);
            for (const name of ['fem/conv1_1/weight', 'fem/fc5/weight', ...reached]) assert.ok(norm(grads.get(name)) > 0, `${term} -> ${name}`);
            for (const name of untouched) assert.equal(grads.get(name), undefined, `${term} -> ${name}`);
            tf.dispose([...grads.values()]);
        }
        model.dispose();
    });

    it('trains through the max and lstm consensus too', () => {
        for (const consensus of ['max', 'lstm'] as const) {
            const model = tinyModel({ consensus });
            const { grads, values } = networkGradients(model, batch, PAPER_LOSS);
            assert.ok(Number.isFinite(values.per) && values.per > 0 && values.ram > 0);
            for (const name of ['fem/conv1_1/weight', 'pam/fc/weight', 'ram/fc1/weight', ...(consensus === 'lstm' ? ['pam/lstm/kernel', 'ram/lstm/recurrent'] : [])]) {
                assert.ok(grads.has(name), `${consensus}: ${name}`);
            }
            tf.dispose([...grads.values()]);
            model.dispose();
        }
    });

    it('accumulates micro-batches into exactly the whole batch update', () => {
        // 3 emotion frames and 2 videos of 2 frames in passes of at most 3 images: video 0; video 1 and
        // frame 0; frames 1-2 (planned as above).
        const whole = tinyModel();
        const split = tinyModel();
        const start = weightsOf(whole);
        const a = step(whole, batch, PAPER_LOSS, 1000);
        const b = step(split, batch, PAPER_LOSS, 3);
        for (const term of ['total', 'per', 'emo', 'd', 'adv', 'ram'] as const) {
            assert.ok(Math.abs(a.loss[term] - b.loss[term]) < 1e-5, `${term}: ${a.loss[term]} vs ${b.loss[term]}`);
        }
        const moved = maxDifference(start, weightsOf(whole));
        assert.ok(moved > 1e-3, `the update moved the weights by ${moved}`);
        assert.ok(maxDifference(weightsOf(whole), weightsOf(split)) < 1e-5);
        whole.dispose();
        split.dispose();
    });

    it('lowers the loss over a few steps on a tiny batch (SphereFace-4, 32x32)', () => {
        const model = tinyModel({ size: 32 });
        const data = syntheticBatch(3, 32, 2, 2, 2);
        const optimizers = sgdOptimizers(model);
        const totals: number[] = [];
        for (let i = 0; i < 4; i++) totals.push(trainStep(model, optimizers, data, { loss: PAPER_LOSS }, { lr: 0.01, microBatch: 1000 }).loss.total);
        assert.ok(totals[3] < 0.7 * totals[0], totals.join(', '));
        model.dispose();
    });

    it('leaks no tensors', () => {
        const model = tinyModel();
        const optimizers = sgdOptimizers(model);
        const before = tf.memory().numTensors;
        step(model, batch, PAPER_LOSS, 3, optimizers);
        assert.equal(tf.memory().numTensors, before);
        model.dispose();
    });

    it('is deterministic: the same seed gives the same losses', () => {
        const run = (seed: number, steps: number) => {
            const model = tinyModel({ seed });
            const optimizers = sgdOptimizers(model);
            const losses = Array.from({ length: steps }, () => step(model, batch, PAPER_LOSS, 1000, optimizers).loss);
            model.dispose();
            return losses;
        };
        const [a, b, c] = [run(5, 2), run(5, 2), run(6, 1)];
        a.forEach((l, i) => (['total', 'per', 'emo', 'd', 'adv', 'ram'] as const).forEach((t) => assert.ok(Math.abs(l[t] - b[i][t]) < 1e-5)));
        assert.notEqual(a[0].total, c[0].total);
    });

    it('with a frozen FEM trains the heads only, from images or cached features alike', () => {
        const a = tinyModel({ freeze: true });
        const b = tinyModel({ freeze: true });
        const fem = weightsOf(a, 'fem');
        const cached: TrainBatch = {
            emotion: { features: a.extractFeatures(batch.emotion!.images!), labels: batch.emotion!.labels },
            personality: { features: a.extractFeatures(batch.personality!.images!), labels: batch.personality!.labels, segments: 2 }
        };
        const ra = step(a, batch);
        const rb = step(b, cached);
        assert.equal(maxDifference(fem, weightsOf(a, 'fem')), 0);
        assert.ok(maxDifference(weightsOf(a), weightsOf(b)) < 1e-6);
        assert.ok(Math.abs(ra.loss.total - rb.loss.total) < 1e-6);
        assert.throws(() => step(tinyModel(), cached), /emotion batch: features instead of images need a frozen FEM/);
        a.dispose();
        b.dispose();
    });

    it('reports switched-off terms as 0 and non-finite terms by name, without updating from them', () => {
        const model = tinyModel({ off: ['coherence'] });
        const off = step(model, batch, { ...PAPER_LOSS, lambda1: 0 });
        assert.equal(off.loss.per, 0);
        assert.equal(off.loss.d, 0);
        assert.equal(off.loss.adv, 0);
        assert.ok(off.loss.emo > 0 && off.loss.ram > 0);
        const before = weightsOf(model);
        const bad: TrainBatch = { ...batch, personality: { ...batch.personality!, labels: batch.personality!.labels.map((v, i) => (i === 3 ? Number.NaN : v)) } };
        const result = step(model, bad);
        assert.deepEqual(result.nonFinite, ['per', 'ram']);
        assert.ok(Number.isNaN(result.loss.total));
        assert.equal(maxDifference(before, weightsOf(model)), 0);
        model.dispose();
    });
});
