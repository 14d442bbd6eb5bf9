/**
 * Fig. 4's 2-D map of fc5 features. UMAP by umap-js (a maintained port of the reference
 * implementation, pure JavaScript, seeded through its `random` option); t-SNE, the paper's choice,
 * by ./tsne.ts. Both take row-major points and give row-major [x, y] pairs.
 */
import { UMAP } from 'umap-js';
import { Random } from '../util/random.js';
import { tsne } from './tsne.js';

export const EMBEDDINGS = ['umap', 'tsne'] as const;
export type EmbeddingMethod = (typeof EMBEDDINGS)[number];

export interface Embedding {
    method: EmbeddingMethod;
    /** The settings used, as the figure's JSON records them. */
    params: Record<string, number>;
    /** Row-major [x, y] per point. */
    coords: Float64Array;
}

export function embed(method: EmbeddingMethod, points: ArrayLike<number>, dim: number, seed: number): Embedding {
    const n = points.length / dim;
    if (n < 3) throw new RangeError(`an embedding needs at least 3 points, not ${n}`);
    if (method === 'tsne') {
        const result = tsne(points, dim, { seed });
        return { method, params: { perplexity: result.perplexity, iterations: result.iterations, kl: result.kl }, coords: result.coords };
    }
    const random = new Random(seed);
    const nNeighbors = Math.min(15, n - 1);
    const umap = new UMAP({ nComponents: 2, nNeighbors, minDist: 0.1, random: () => random.next() });
    const rows = Array.from({ length: n }, (_, i) => Array.from({ length: dim }, (_, c) => points[i * dim + c]));
    const coords = Float64Array.from(umap.fit(rows).flat());
    return { method, params: { nNeighbors, minDist: 0.1 }, coords };
}
