/**
 * RAM's output over the arousal-valence grid (Fig. 3). Each grid point is fed as a video whose K
 * frames all show that emotion. With the average or max consensus that is exactly the per-frame map
 * (a, v) -> FC hidden + ReLU -> FC 5 -> sigmoid, since G of K equal vectors is the vector itself;
 * with the LSTM consensus it is RAM's answer to a video of constant emotion.
 */
import * as tf from '@tensorflow/tfjs-core';
import { TRAITS, type Trait } from '@persemon/language';
import { EMOTION_COUNT } from '../model/eam.js';
import type { Ram } from '../model/ram.js';
import { gridInputs, type AvGrid } from './grid.js';

/** Grid points per forward pass. */
const CHUNK = 1024;

/** Per trait, RAM's output at every grid point, row-major (arousal rows, valence columns). */
export function ramOverGrid(ram: Ram, grid: AvGrid, segments: number): Record<Trait, Float32Array> {
    const inputs = gridInputs(grid);
    const n = inputs.length / EMOTION_COUNT;
    const out = Object.fromEntries(TRAITS.map((t) => [t, new Float32Array(n)])) as Record<Trait, Float32Array>;
    for (let start = 0; start < n; start += CHUNK) {
        const count = Math.min(CHUNK, n - start);
        const values = tf.tidy(() => {
            const points = tf.tensor2d(inputs.subarray(start * EMOTION_COUNT, (start + count) * EMOTION_COUNT), [count, EMOTION_COUNT]);
            // [count, 2] -> [count, K, 2] -> [count·K, 2], video-major as RAM reads it.
            const videos = tf.reshape(tf.tile(tf.expandDims(points, 1), [1, segments, 1]), [count * segments, EMOTION_COUNT]);
            return ram.apply(videos as tf.Tensor2D, count).dataSync();
        });
        for (let i = 0; i < count; i++) TRAITS.forEach((t, k) => (out[t][start + i] = values[i * TRAITS.length + k]));
    }
    return out;
}
