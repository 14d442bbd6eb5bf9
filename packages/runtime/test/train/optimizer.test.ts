import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { Param } from '../../src/model/layers.js';
import { createOptimizer } from '../../src/train/optimizer.js';
import { describeOnEngines } from '../helpers/engines.js';

function params(): Param[] {
    return [
        { name: 'm/w', variable: tf.variable(tf.tensor1d([1, -2])), decay: true },
        { name: 'm/b', variable: tf.variable(tf.tensor1d([0.5])), decay: false }
    ];
}

const grads = (w: number[], b: number[]) => new Map<string, tf.Tensor>([['m/w', tf.tensor1d(w)], ['m/b', tf.tensor1d(b)]]);
const values = (p: Param[]) => p.map((q) => [...q.variable.dataSync()]);
const near = (a: number[][], b: number[][]) => a.flat().forEach((v, i) => assert.ok(Math.abs(v - b.flat()[i]) < 1e-6, `${a} != ${b}`));

describeOnEngines('optimisers', () => {

    it('SGD: Caffe momentum with the learning rate inside, L2 decay on weights only', () => {
        const p = params();
        const sgd = createOptimizer({ kind: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.01 }, p);
        // Step 1, lr 0.1: w: g + wd·w = (0.5 + 0.01, 1 - 0.02) = (0.51, 0.98); v = 0.1·that = (0.051, 0.098);
        //   w = (0.949, -2.098). b: no decay: v = 0.1·0.2 = 0.02, b = 0.48.
        sgd.apply(grads([0.5, 1], [0.2]), 0.1);
        near(values(p), [[0.949, -2.098], [0.48]]);
        // Step 2, lr 0.05, no gradient for b: w: g + wd·w = (0 + 0.00949, 0 - 0.02098);
        //   v = 0.9·(0.051, 0.098) + 0.05·(0.00949, -0.02098) = (0.0463745, 0.087151); w = (0.9026255, -2.185151).
        //   b: v = 0.9·0.02 = 0.018, b = 0.462.
        sgd.apply(new Map([['m/w', tf.tensor1d([0, 0])]]), 0.05);
        near(values(p), [[0.9026255, -2.185151], [0.462]]);
        sgd.dispose();
    });

    it('Adam: bias-corrected moments and decoupled weight decay', () => {
        const p = params();
        const adam = createOptimizer({ kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 }, p);
        // Step 1: m̂ = g, v̂ = g², so the step is lr·(sign(g) + wd·w) for w: w1 = 1 - 0.01·(1 + 0.1·1) = 0.989,
        // w2 = -2 - 0.01·(-1 + 0.1·-2) = -1.988; b (no decay): 0.5 - 0.01·1 = 0.49.
        adam.apply(grads([3, -0.5], [0.2]), 0.01);
        near(values(p), [[0.989, -1.988], [0.49]]);
        adam.dispose();
    });

    it('exports and imports its state so that a restored optimiser continues identically', () => {
        const spec = { kind: 'sgd' as const, lr: 0.1, momentum: 0.9, weightDecay: 0.01 };
        const a = params();
        const sa = createOptimizer(spec, a, 'net/');
        sa.apply(grads([0.5, 1], [0.2]), 0.1);
        const state = sa.getState();
        assert.deepEqual(state.map((s) => s.name), ['net/step', 'net/m/w/momentum', 'net/m/b/momentum']);
        const b = params();
        b.forEach((q, i) => q.variable.assign(a[i].variable));
        const sb = createOptimizer(spec, b, 'net/');
        sb.setState(state);
        sa.apply(grads([-1, 2], [0.3]), 0.1);
        sb.apply(grads([-1, 2], [0.3]), 0.1);
        assert.deepEqual(values(a), values(b));
        assert.throws(() => sb.setState(state.slice(1)), /optimiser state: 'net\/step' is missing/);
        const adam = createOptimizer({ kind: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }, a);
        adam.apply(grads([1, 1], [1]), 0.1);
        assert.deepEqual(adam.getState().map((s) => [s.name, [...s.values].length]), [['step', 1], ['m/w/m', 2], ['m/b/m', 1], ['m/w/v', 2], ['m/b/v', 1]]);
        assert.equal(adam.getState()[0].values[0], 1);
    });
});
