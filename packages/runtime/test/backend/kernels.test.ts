/** Our wasm training kernels against the cpu backend's kernels, on seeded random inputs. */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/backend/select.js';
import { WASM_TRAINING_KERNELS } from '../../src/backend/kernels/register.js';
import { isOurs } from '../../src/backend/kernels/wasm-ops.js';
import '../../src/train/gradients.js';
import { assertClose, randomValues, runOn } from './compare.js';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

interface ConvCase {
    x: Shape4;
    filter: Shape4;
    strides: number | [number, number];
    pad: Pad;
}

// Stride 1 and 2, odd and even sizes, 'same', 'valid', a number and explicit pads, 1 to 32 channels.
const CONV_CASES: ConvCase[] = [
    { x: [2, 7, 6, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
    { x: [2, 10, 12, 16], filter: [3, 3, 16, 8], strides: 1, pad: 'valid' },
    { x: [2, 8, 8, 5], filter: [3, 3, 5, 8], strides: 2, pad: 'same' },
    { x: [1, 9, 7, 4], filter: [3, 3, 4, 6], strides: 2, pad: 'valid' },
    { x: [2, 13, 12, 32], filter: [3, 3, 32, 32], strides: 2, pad: 1 },
    { x: [3, 11, 9, 8], filter: [5, 5, 8, 16], strides: 2, pad: [[0, 0], [2, 1], [1, 2], [0, 0]] },
    { x: [1, 7, 7, 3], filter: [4, 4, 3, 2], strides: 2, pad: 'same' },
    // A 1x1 stride-2 projection: the filter has no taps in three of the four phases.
    { x: [2, 6, 10, 2], filter: [1, 1, 2, 3], strides: 2, pad: 'valid' },
    // Padding wider than the filter: some outputs see only padding.
    { x: [1, 5, 5, 2], filter: [3, 3, 2, 3], strides: 1, pad: [[0, 0], [3, 3], [3, 3], [0, 0]] },
    { x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: [1, 2], pad: 'same' },
];

const TOLERANCE = 1e-4;

function label(c: ConvCase): string {
    return `x ${c.x.join('x')}, filter ${c.filter.join('x')}, strides ${c.strides}, pad ${JSON.stringify(c.pad)}`;
}

function dyShape(c: ConvCase): Shape4 {
    return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad).outShape as Shape4;
}

async function onBothBackends(build: () => tf.Tensor): Promise<[Float32Array, Float32Array]> {
    const [wasm] = await runOn('wasm', build);
    const [cpu] = await runOn('cpu', build);
    return [wasm, cpu];
}

describe('wasm training kernels', function () {
    this.timeout(60_000);

    before(async () => {
        await selectBackend('wasm');
    });
    after(async () => {
        await tf.setBackend('wasm');
    });

    it('replace the shipped kernels for the wasm backend', () => {
        for (const config of WASM_TRAINING_KERNELS) {
            // Ours, though possibly another copy's of the same module (kernel-copies.test.ts): not the shipped one.
            const registered = tf.getKernel(config.kernelName, 'wasm');
            assert.ok(isOurs(registered), config.kernelName);
            assert.equal(registered?.kernelFunc.name, config.kernelFunc.name, config.kernelName);
        }
    });

    for (const [index, c] of CONV_CASES.entries()) {
        it(`Conv2DBackpropFilter matches cpu: ${label(c)}`, async () => {
            const [wasm, cpu] = await onBothBackends(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, {
                x: tf.tensor4d(randomValues(tf.util.sizeFromShape(c.x), 10 + index), c.x),
                dy: tf.tensor4d(randomValues(tf.util.sizeFromShape(dyShape(c)), 20 + index), dyShape(c)),
            }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter }) as tf.Tensor);
            assertClose(wasm, cpu, TOLERANCE, 'dW');
        });

        it(`Conv2DBackpropInput matches cpu: ${label(c)}`, async () => {
            const [wasm, cpu] = await onBothBackends(() => tf.engine().runKernel(tf.Conv2DBackpropInput, {
                dy: tf.tensor4d(randomValues(tf.util.sizeFromShape(dyShape(c)), 30 + index), dyShape(c)),
                filter: tf.tensor4d(randomValues(tf.util.sizeFromShape(c.filter), 40 + index), c.filter),
            }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }) as tf.Tensor);
            assertClose(wasm, cpu, TOLERANCE, 'dx');
        });
    }

    const MATMUL_CASES: Array<{ a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }> = [
        { a: [37, 53], b: [53, 29], transposeA: false, transposeB: false },
        { a: [53, 37], b: [53, 29], transposeA: true, transposeB: false },
        { a: [37, 53], b: [29, 53], transposeA: false, transposeB: true },
        { a: [53, 37], b: [29, 53], transposeA: true, transposeB: true },
        // Dense-layer gradients: x^T dy (transpose the activations) and dy W^T (leave W alone).
        { a: [16, 1200], b: [16, 64], transposeA: true, transposeB: false },
        { a: [16, 64], b: [1200, 64], transposeA: false, transposeB: true },
        { a: [1, 9, 6], b: [1, 9, 5], transposeA: true, transposeB: false },
        // A layer's forward with fresh weights: x W as (W^T x^T)^T, packing x^T rather than W.
        { a: [4, 300], b: [300, 200], transposeA: false, transposeB: false },
        // Batched: left to the shipped kernel.
        { a: [3, 7, 5], b: [3, 4, 5], transposeA: false, transposeB: true },
    ];
    for (const [index, c] of MATMUL_CASES.entries()) {
        it(`BatchMatMul matches cpu: ${c.a.join('x')}${c.transposeA ? 'ᵀ' : ''} · ${c.b.join('x')}${c.transposeB ? 'ᵀ' : ''}`,
            async () => {
                const [wasm, cpu] = await onBothBackends(() => tf.matMul(
                    tf.tensor(randomValues(tf.util.sizeFromShape(c.a), 50 + index), c.a),
                    tf.tensor(randomValues(tf.util.sizeFromShape(c.b), 60 + index), c.b),
                    c.transposeA, c.transposeB));
                assertClose(wasm, cpu, TOLERANCE, 'matmul');
            });
    }

    it('BatchMatMul matches cpu when a weight is used again (XNNPACK keeps its packing)', async () => {
        const build = () => {
            const w = tf.tensor2d(randomValues(300 * 200, 70), [300, 200]);
            return [1, 2, 3].map((i) => tf.matMul(tf.tensor2d(randomValues(4 * 300, 70 + i), [4, 300]), w));
        };
        const wasm = await runOn('wasm', build);
        const cpu = await runOn('cpu', build);
        wasm.forEach((values, i) => assertClose(values, cpu[i], TOLERANCE, `use ${i + 1}`));
    });

    it('leaves no tensor behind', async () => {
        await tf.setBackend('wasm');
        const c = CONV_CASES[4];
        const x = tf.tensor4d(randomValues(tf.util.sizeFromShape(c.x), 1), c.x);
        const filter = tf.tensor4d(randomValues(tf.util.sizeFromShape(c.filter), 2), c.filter);
        const a = tf.tensor2d(randomValues(4 * 6, 3), [4, 6]);
        const b = tf.tensor2d(randomValues(6 * 3, 4), [6, 3]);
        const before = tf.engine().backend.numDataIds();
        const grads = [
            ...tf.grads((x_, f) => tf.sum(tf.conv2d(x_ as tf.Tensor4D, f as tf.Tensor4D, 2, 1)))([x, filter]),
            ...tf.grads((a_, b_) => tf.sum(tf.matMul(a_, b_)))([a, b]),
        ];
        assert.equal(tf.engine().backend.numDataIds() - before, grads.length, 'only the gradients remain');
        tf.dispose([x, filter, a, b, ...grads]);
    });
});
