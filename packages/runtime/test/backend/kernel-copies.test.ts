/**
 * Two copies of the runtime in one process (a bundle beside the sources, or a module loaded both as
 * CommonJS and as an ES module) register the wasm training kernels in turn; the full test run did
 * this, and the copies' kernels then called each other until the stack overflowed.
 */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/backend/select.js';
import { registerWasmKernels } from '../../src/backend/kernels/register.js';
import '../../src/train/gradients.js';
import { assertClose, randomValues, runOn } from './compare.js';

describe('wasm training kernels with a second copy of the runtime loaded', function () {
    this.timeout(60_000);

    it('register once, and matmul gradients still match the cpu backend', async () => {
        await selectBackend('wasm');
        // A distinct module URL is a second copy of register.ts and of the kernels it imports.
        const copy = await import(`../../src/backend/kernels/register.js?copy=${Date.now()}`) as { registerWasmKernels(): string[] };
        assert.notEqual(copy.registerWasmKernels, registerWasmKernels, 'a second copy was loaded');
        assert.deepEqual(copy.registerWasmKernels(), [], 'the other copy finds ours in place');
        assert.deepEqual(registerWasmKernels(), []);
        const build = () => {
            const a = tf.tensor2d(randomValues(12, 1), [3, 4]);
            const b = tf.tensor2d(randomValues(20, 2), [5, 4]);
            return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, false, true)))([a, b]);
        };
        const wasm = await runOn('wasm', build);
        const cpu = await runOn('cpu', build);
        wasm.forEach((values, i) => assertClose(values, cpu[i], 1e-5, `gradient ${i}`));
        await tf.setBackend('wasm');
    });
});
