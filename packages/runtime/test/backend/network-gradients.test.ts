/**
 * A whole small conv net's gradients on each engine (wasm with our kernels, native TensorFlow)
 * against the cpu backend: strided and unstrided convs, PReLU, a residual add and a dense layer, as
 * in SphereFace.
 */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '../../src/train/gradients.js';
import { describeOnEngines } from '../helpers/engines.js';
import { assertClose, randomValues } from './compare.js';

const SHAPES: Record<string, number[]> = {
    input: [4, 17, 14, 3],
    conv1: [3, 3, 3, 8], bias1: [8], alpha1: [8],
    conv2: [3, 3, 8, 8], alpha2: [8],
    conv3: [3, 3, 8, 16], alpha3: [16],
    // conv1 (stride 2, 'same') leaves 9x7, conv3 (stride 2, 'valid') 4x3, with 16 channels.
    dense: [4 * 3 * 16, 10], denseBias: [10],
    target: [4, 10],
};

function network(p: Record<string, tf.Tensor>): tf.Scalar {
    const x = p.input as tf.Tensor4D;
    // Stride 2 'same' on odd sizes, then a residual unit with PReLU, then stride 2 'valid'.
    const a = tf.prelu(tf.add(tf.conv2d(x, p.conv1 as tf.Tensor4D, 2, 'same'), p.bias1), p.alpha1);
    const b = tf.add(a, tf.prelu(tf.conv2d(a as tf.Tensor4D, p.conv2 as tf.Tensor4D, 1, 'same'), p.alpha2));
    const c = tf.prelu(tf.conv2d(b as tf.Tensor4D, p.conv3 as tf.Tensor4D, 2, 'valid'), p.alpha3);
    const out = tf.add(tf.matMul(tf.reshape(c, [c.shape[0], -1]), p.dense as tf.Tensor2D), p.denseBias);
    return tf.mean(tf.square(tf.sub(out, p.target)));
}

interface Run { values: Map<string, Float32Array>; kernels: string[] }

/** Loss and the gradient with respect to every parameter and the input, and the kernels that ran. */
async function gradients(backend: 'cpu' | 'wasm' | 'tensorflow'): Promise<Run> {
    assert.ok(await tf.setBackend(backend));
    const names = Object.keys(SHAPES).filter((n) => n !== 'target');
    const values = new Map<string, Float32Array>();
    const profile = await tf.profile(() => tf.tidy(() => {
        const params = Object.fromEntries(Object.entries(SHAPES).map(([name, shape], i) => {
            const values = randomValues(tf.util.sizeFromShape(shape), 100 + i);
            // Positive PReLU slopes below 1, like trained ones.
            if (name.startsWith('alpha')) values.forEach((v, j) => { values[j] = 0.25 + 0.2 * v; });
            return [name, tf.tensor(values, shape)];
        }));
        const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) =>
            network({ ...params, ...Object.fromEntries(names.map((n, i) => [n, xs[i]])) }))(names.map((n) => params[n]));
        return [value, ...grads];
    }));
    const tensors = profile.result as tf.Tensor[];
    const data = await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
    ['loss', ...names].forEach((name, i) => values.set(name, data[i]));
    tf.dispose(tensors);
    return { values, kernels: profile.kernelNames };
}

describeOnEngines('network gradients', (engine) => {
    const backend = engine === 'node' ? 'tensorflow' : 'wasm';
    after(async () => {
        await tf.setBackend(backend);
    });

    it('match the cpu backend for every parameter and the input', async function () {
        this.timeout(60_000);
        const ours = await gradients(backend);
        const cpu = await gradients('cpu');
        for (const kernel of [tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput, tf.BatchMatMul]) {
            assert.ok(ours.kernels.includes(kernel), `${kernel} ran`);
        }
        assert.ok(cpu.values.get('loss')![0] > 0.1, 'a loss far from its minimum, so gradients are not tiny');
        for (const [name, expected] of cpu.values) {
            assertClose(ours.values.get(name)!, expected, 1e-4, name);
        }
    });
});
