/** The wasm backend runs XNNPACK on every core here, and its results do not depend on it. */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../../src/backend/select.js';
import { ADAPTED_WASM_VERSION, wasmThreadsCount, wasmThreadsProblem } from '../../src/backend/wasm-threads.js';
import { assertClose, randomValues, runOn } from './compare.js';

describe('wasm threads', function () {
    this.timeout(60_000);

    before(async () => {
        await selectBackend('wasm');
    });
    after(async () => {
        await tf.setBackend('wasm');
    });

    it('is adapted to the installed tfjs-backend-wasm', async () => {
        const { version_wasm } = await import('@tensorflow/tfjs-backend-wasm');
        assert.equal(version_wasm, ADAPTED_WASM_VERSION);
    });

    it('starts one pool thread per core (2 on a 2-core machine)', () => {
        const cores = Math.min(8, os.availableParallelism());
        assert.equal(wasmThreadsProblem(), undefined);
        assert.equal(wasmThreadsCount(), cores);
        // The main thread is one of the pool's threads; each other one runs in a Node worker.
        const backend = tf.findBackend('wasm') as BackendWasm;
        const pthread = (backend.wasm as unknown as { PThread: { runningWorkers: unknown[] } }).PThread;
        assert.equal(pthread.runningWorkers.length, cores - 1);
    });

    it('gives the cpu backend\'s results for a forward conv, a matmul and a reduction', async () => {
        const build = () => {
            const x = tf.tensor4d(randomValues(4 * 28 * 24 * 16, 1), [4, 28, 24, 16]);
            const w = tf.tensor4d(randomValues(3 * 3 * 16 * 32, 2), [3, 3, 16, 32]);
            const y = tf.conv2d(x, w, 1, 'same');
            const m = tf.matMul(tf.reshape(y, [-1, 32]), tf.tensor2d(randomValues(32 * 40, 3), [32, 40]));
            return [y, m, tf.sum(m, 0)];
        };
        const wasm = await runOn('wasm', build);
        const cpu = await runOn('cpu', build);
        assertClose(wasm[0], cpu[0], 1e-5, 'conv2d');
        assertClose(wasm[1], cpu[1], 1e-5, 'matMul');
        assertClose(wasm[2], cpu[2], 1e-5, 'sum');
    });
});
