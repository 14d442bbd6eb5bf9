import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { ConsensusKind } from '@persemon/language';
import { Discriminator } from '../../src/model/coherence.js';
import { Consensus } from '../../src/model/consensus.js';
import { Eam } from '../../src/model/eam.js';
import { ParamScope, type Param } from '../../src/model/layers.js';
import { Pam } from '../../src/model/pam.js';
import { Ram } from '../../src/model/ram.js';
import { Random } from '../../src/util/random.js';
import { describeOnEngines } from '../helpers/engines.js';

function set(params: readonly Param[], name: string, values: number[]): void {
    const p = params.find((q) => q.name.endsWith(name));
    assert.ok(p, `no parameter ${name}`);
    p.variable.assign(tf.tensor(values, p.variable.shape));
}

function close(actual: ArrayLike<number>, expected: number[], tolerance = 1e-5): void {
    assert.equal(actual.length, expected.length);
    expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) <= tolerance, `[${i}] ${actual[i]} != ${e}`));
}

function run(f: () => tf.Tensor): Float32Array {
    return tf.tidy(() => f().dataSync() as Float32Array);
}

describeOnEngines('consensus G', () => {

    // Two videos of K = 3 frames of 2-d vectors.
    const frames = () => tf.tensor3d([[[1, -2], [3, 0], [2, 5]], [[0, 0], [-1, -3], [4, 1]]]);

    it('average: the mean over the K frames', () => {
        const g = new Consensus({ kind: 'average', hidden: 4 }, new ParamScope('g', new Random(1)), 2);
        // (1+3+2)/3 = 2, (-2+0+5)/3 = 1; (0-1+4)/3 = 1, (0-3+1)/3 = -2/3
        close(run(() => g.apply(frames())), [2, 1, 1, -2 / 3]);
        assert.equal(g.outputs, 2);
    });

    it('max: the largest value of each dimension over the K frames', () => {
        const g = new Consensus({ kind: 'max', hidden: 4 }, new ParamScope('g', new Random(1)), 2);
        close(run(() => g.apply(frames())), [3, 5, 4, 1]);
    });

    it('lstm: the LSTM outputs averaged over time', () => {
        const scope = new ParamScope('g', new Random(1));
        const g = new Consensus({ kind: 'lstm', hidden: 1 }, scope, 1);
        assert.equal(g.outputs, 1);
        // Gates [i, f, g, o]: the cell input is x itself (kernel 1), i = o = σ(20) ≈ 1, f = σ(0) = 0.5,
        // nothing recurrent. So c_t = 0.5·c_{t-1} + tanh(x_t) and h_t = tanh(c_t). For x = 0.5, -1, 2:
        // c1 = 0.462117, h1 = 0.431808; c2 = 0.231059 - 0.761594 = -0.530536, h2 = -0.485790;
        // c3 = -0.265268 + 0.964028 = 0.698760, h3 = 0.603580. Mean: 0.183199 (the last step: 0.603580).
        set(scope.params, 'lstm/kernel', [0, 0, 1, 0]);
        set(scope.params, 'lstm/recurrent', [0, 0, 0, 0]);
        set(scope.params, 'lstm/bias', [20, 0, 0, 20]);
        close(run(() => g.apply(tf.tensor3d([[[0.5], [-1], [2]]]))), [0.183199]);
    });

    it('lstm: maps [V, K, D] to [V, hidden]', () => {
        const g = new Consensus({ kind: 'lstm', hidden: 6 }, new ParamScope('g', new Random(1)), 2);
        const y = tf.tidy(() => g.apply(frames()));
        assert.deepEqual(y.shape, [2, 6]);
        y.dispose();
    });
});

describeOnEngines('PAM, EAM, RAM, discriminator', () => {

    /** A PAM on 1-d features whose five raw scores all equal the feature. */
    function pam(kind: ConsensusKind): Pam {
        const m = new Pam({ enabled: true, consensus: { kind, hidden: 4 } }, 1, new Random(1));
        if (kind !== 'lstm') {
            set(m.params, 'fc/weight', [1, 1, 1, 1, 1]);
            set(m.params, 'fc/bias', [0, 0, 0, 0, 0]);
        }
        return m;
    }

    it('PAM takes the consensus of the raw scores, then the sigmoid (TSN order)', () => {
        // One video, K = 2, scores 0 and 2. average: σ(1) = 0.731059 (not (σ(0) + σ(2))/2 = 0.690399);
        // max: σ(2) = 0.880797.
        const features = () => tf.tensor2d([[0], [2]]);
        close(run(() => pam('average').apply(features(), 1)), Array(5).fill(0.731059));
        close(run(() => pam('max').apply(features(), 1)), Array(5).fill(0.880797));
    });

    it('PAM with lstm runs the LSTM over the features and regresses 5 traits in (0, 1)', () => {
        const m = pam('lstm');
        assert.deepEqual(m.params.map((p) => p.name), ['pam/lstm/kernel', 'pam/lstm/recurrent', 'pam/lstm/bias', 'pam/fc/weight', 'pam/fc/bias']);
        assert.deepEqual(m.params[3].variable.shape, [4, 5]);
        const y = run(() => m.apply(tf.randomNormal([6, 1]) as tf.Tensor2D, 2));
        assert.equal(y.length, 10);
        assert.ok(y.every((v) => v > 0 && v < 1));
    });

    it('EAM gives tanh of FC 2: [arousal, valence]', () => {
        const m = new Eam(2, new Random(1));
        set(m.params, 'fc/weight', [1, 0, 0, -1]);
        set(m.params, 'fc/bias', [0, 0.5]);
        // [1, 2]: arousal tanh(1) = 0.761594, valence tanh(-2 + 0.5) = -0.905148.
        close(run(() => m.apply(tf.tensor2d([[1, 2]]))), [0.761594, -0.905148]);
    });

    it('RAM pools EAM outputs with G, then FC hidden + ReLU, FC 5, sigmoid', () => {
        const ram = (kind: ConsensusKind) => {
            const m = new Ram({ enabled: true, hidden: 1, consensus: { kind, hidden: 4 } }, new Random(1));
            set(m.params, 'fc1/weight', [1, 0]);
            set(m.params, 'fc1/bias', [0]);
            set(m.params, 'fc2/weight', [2, 2, 2, 2, 2]);
            set(m.params, 'fc2/bias', [0, 0, 0, 0, 0]);
            return m;
        };
        // K = 2 frames, arousal 0.5 and 0.1 (valence ignored by fc1): average 0.3 -> σ(2·0.3) = 0.645656;
        // max 0.5 -> σ(1) = 0.731059.
        const emotion = () => tf.tensor2d([[0.5, -0.9], [0.1, 0.9]]);
        close(run(() => ram('average').apply(emotion(), 1)), Array(5).fill(0.645656));
        close(run(() => ram('max').apply(emotion(), 1)), Array(5).fill(0.731059));
        const lstm = new Ram({ enabled: true, hidden: 16, consensus: { kind: 'lstm', hidden: 4 } }, new Random(1));
        assert.deepEqual(lstm.params.find((p) => p.name === 'ram/fc1/weight')!.variable.shape, [4, 16]);
        assert.equal(run(() => lstm.apply(emotion(), 1)).length, 5);
    });

    it('the discriminator gives 2 logits a frame', () => {
        const d = new Discriminator(3, new Random(1));
        assert.deepEqual(d.params.map((p) => p.variable.shape), [[3, 2], [2]]);
        assert.equal(run(() => d.logits(tf.ones([4, 3]))).length, 8);
    });
});
