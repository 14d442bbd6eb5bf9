/**
 * Backend choice: `auto` takes the native engine where `persemon backends install node` built it,
 * else threaded wasm; a requested engine that is not there says how to build it.
 */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../../src/errors.js';
import {
    BackendUnavailableError, isBackendRequest, probeBackends, selectBackend,
} from '../../src/backend/select.js';
import { WASM_HEAP_BYTES } from '../../src/backend/memory.js';
import { nativeInstalled } from '../helpers/engines.js';

const native = nativeInstalled();

describe('selectBackend', function () {
    this.timeout(60_000);

    it(`auto: passes over the GPU engine, saying why, and loads ${native ? 'the native engine' : 'wasm'}`, async () => {
        const info = await selectBackend('auto');
        assert.match(info.tried[0].reason ?? '', /no gpu engine is installed.*persemon backends install gpu/);
        if (native) {
            assert.equal(info.name, 'node');
            assert.equal(info.version, '4.22.0');
            assert.equal(info.tensorflow, '2.21.0');
            assert.deepEqual(info.devices, ['CPU']);
            assert.equal(tf.getBackend(), 'tensorflow');
            assert.deepEqual(info.tried.map((t) => [t.name, t.ok]), [['gpu', false], ['node', true]]);
        } else {
            assert.equal(info.name, 'wasm');
            assert.equal(info.version, '4.22.0');
            assert.equal(info.threads, Math.min(8, os.availableParallelism()));
            assert.equal(info.memory, WASM_HEAP_BYTES);
            assert.equal(tf.getBackend(), 'wasm');
            assert.deepEqual(info.tried.map((t) => [t.name, t.ok]), [['gpu', false], ['node', false], ['wasm', true]]);
            assert.match(info.tried[1].reason ?? '', /no node engine is installed.*persemon backends install node/);
        }
        await selectBackend('wasm');
    });

    it('node: loads the native engine where it is installed, else says how to build it', async () => {
        if (native) {
            const info = await selectBackend('node');
            assert.equal(tf.getBackend(), 'tensorflow');
            assert.ok(info.memory > WASM_HEAP_BYTES / 8, 'plans with the machine\'s memory');
            assert.equal(tf.tidy(() => tf.conv2d(tf.ones([1, 4, 4, 1]), tf.ones([3, 3, 1, 1]), 2, 'valid').dataSync()[0]), 9);
            await selectBackend('wasm');
            return;
        }
        await assert.rejects(selectBackend('node'), (error: unknown) => {
            assert.ok(error instanceof BackendUnavailableError);
            assert.ok(error instanceof UserError, 'the CLI exits 1 for it');
            assert.equal(error.backend, 'node');
            assert.match(error.reason, /no node engine is installed/);
            assert.match(error.message, /persemon backends install node/);
            return true;
        });
        assert.equal(tf.getBackend(), 'wasm', 'a failed request leaves the current backend');
    });

    it('gpu: says how to build the GPU engine, and that it needs CUDA 12', async () => {
        await assert.rejects(selectBackend('gpu'), (error: unknown) => {
            assert.ok(error instanceof BackendUnavailableError);
            assert.match(error.message, /persemon backends install gpu/);
            assert.match(error.message, /CUDA 12/);
            return true;
        });
    });

    it('cpu: loads when asked for, with a warning in its tried entry', async () => {
        const info = await selectBackend('cpu');
        assert.equal(info.name, 'cpu');
        assert.equal(info.threads, 1);
        assert.match(info.tried[0].reason ?? '', /slower/);
        await selectBackend('wasm');
    });

    it('probeBackends: reports every backend and leaves the current one current', async () => {
        const probes = await probeBackends();
        assert.deepEqual(probes.map((p) => [p.name, p.loads]), [['gpu', false], ['node', native], ['wasm', true], ['cpu', true]]);
        if (native) assert.equal(probes[1].tensorflow, '2.21.0');
        assert.equal(probes[2].version, '4.22.0');
        assert.equal(probes[2].threads, Math.min(8, os.availableParallelism()));
        assert.equal(tf.getBackend(), 'wasm');
    });

    it('isBackendRequest: accepts the five names only', () => {
        assert.deepEqual(['auto', 'gpu', 'node', 'wasm', 'cpu', 'webgl', ''].map(isBackendRequest),
            [true, true, true, true, true, false, false]);
    });
});
