/** Backend choice here: no tfjs-node (its install needs internet), so `auto` lands on threaded wasm. */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../../src/errors.js';
import {
    BackendUnavailableError, isBackendRequest, probeBackends, selectBackend,
} from '../../src/backend/select.js';

describe('selectBackend', function () {
    this.timeout(60_000);

    it('auto: passes over tfjs-node-gpu and tfjs-node, saying why, and loads wasm', async () => {
        const info = await selectBackend('auto');
        assert.equal(info.name, 'wasm');
        assert.equal(info.version, '4.22.0');
        assert.equal(info.threads, Math.min(8, os.availableParallelism()));
        assert.equal(tf.getBackend(), 'wasm');
        assert.deepEqual(info.tried.map((t) => [t.name, t.ok]), [['gpu', false], ['node', false], ['wasm', true]]);
        assert.match(info.tried[0].reason ?? '', /@tensorflow\/tfjs-node-gpu is not installed/);
        assert.match(info.tried[1].reason ?? '', /@tensorflow\/tfjs-node is not installed.*npm install @tensorflow\/tfjs-node/);
    });

    it('node: throws BackendUnavailableError with how to install it', async () => {
        await assert.rejects(selectBackend('node'), (error: unknown) => {
            assert.ok(error instanceof BackendUnavailableError);
            assert.ok(error instanceof UserError, 'the CLI exits 1 for it');
            assert.equal(error.backend, 'node');
            assert.match(error.reason, /@tensorflow\/tfjs-node is not installed/);
            assert.match(error.message, /npm install @tensorflow\/tfjs-node`/);
            assert.match(error.message, /internet/);
            return true;
        });
        assert.equal(tf.getBackend(), 'wasm', 'a failed request leaves the current backend');
    });

    it('gpu: names CUDA in its install hint', async () => {
        await assert.rejects(selectBackend('gpu'), (error: unknown) => {
            assert.ok(error instanceof BackendUnavailableError);
            assert.match(error.message, /npm install @tensorflow\/tfjs-node-gpu/);
            assert.match(error.message, /CUDA/);
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
        assert.deepEqual(probes.map((p) => [p.name, p.loads]), [['gpu', false], ['node', false], ['wasm', true], ['cpu', true]]);
        assert.equal(probes[2].version, '4.22.0');
        assert.equal(probes[2].threads, Math.min(8, os.availableParallelism()));
        assert.equal(tf.getBackend(), 'wasm');
    });

    it('isBackendRequest: accepts the five names only', () => {
        assert.deepEqual(['auto', 'gpu', 'node', 'wasm', 'cpu', 'webgl', ''].map(isBackendRequest),
            [true, true, true, true, true, false, false]);
    });
});
