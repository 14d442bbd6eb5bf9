/** Shared by the backend tests: seeded inputs, running one computation on a named backend, comparing. */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';

/** Deterministic uniform values in [-1, 1) (mulberry32), so a failure reproduces. */
export function randomValues(size: number, seed: number): Float32Array {
    const values = new Float32Array(size);
    let state = seed >>> 0;
    for (let i = 0; i < size; i++) {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        values[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
    }
    return values;
}

/** Runs `build` with `backend` current and returns the values of every tensor it returns. */
export async function runOn(backend: 'cpu' | 'wasm', build: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
    // Silences the cpu backend's "install tfjs-node" banner; put back after, for the suites that follow.
    const testFlag = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', true);
    try {
        assert.ok(await tf.setBackend(backend), `backend ${backend} did not initialise`);
        const result = tf.tidy(build);
        const tensors = Array.isArray(result) ? result : [result];
        const values = await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
        tf.dispose(tensors);
        return values;
    } finally {
        tf.env().set('IS_TEST', testFlag);
    }
}

/** Largest absolute difference relative to the largest expected magnitude. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
    assert.equal(actual.length, expected.length, 'sizes differ');
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < expected.length; i++) {
        diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
        scale = Math.max(scale, Math.abs(expected[i]));
    }
    assert.ok(scale > 0, 'the expected values are all zero: the case tests nothing');
    return diff / scale;
}

export function assertClose(actual: Float32Array, expected: Float32Array, tolerance: number, what: string): void {
    const error = relativeError(actual, expected);
    assert.ok(error <= tolerance, `${what}: relative error ${error.toExponential(2)} > ${tolerance}`);
}
