/**
 * Micro-batch planning: how many images one forward/backward pass may hold on the engine in use, and
 * how a batch is cut into passes of at most that many (whole personality videos, so the consensus
 * sees all K frames of a video; emotion frames in any grouping).
 */
import type { JobSpec } from '@persemon/language';
import { engineMemoryBytes } from '../backend/memory.js';
import type { BackendName } from '../backend/select.js';
import { femActivationValues, femParameterCount } from '../model/fem.js';

/**
 * Images per forward/backward pass that fit in the memory of the engine in use (backend/memory.ts)
 * unless `heapBytes` says otherwise. Per image, FEM's saved
 * activations are counted three times (themselves, their gradients, kernels' transient copies);
 * parameters five times (weights, gradients, accumulated gradients, two optimiser buffers); 40% of
 * the heap is left as headroom. The result is at least one personality video (K images).
 */
export function autoMicroBatch(spec: Pick<JobSpec, 'model' | 'sampling'>, backendName: BackendName, heapBytes?: number): number {
    const heap = heapBytes ?? engineMemoryBytes(backendName);
    const fixed = 5 * 4 * femParameterCount(spec.model.fem);
    const perImage = 3 * 4 * femActivationValues(spec.model.fem);
    const fit = Math.floor((0.6 * heap - fixed) / perImage);
    const { emotionFrames, personalityVideos, segments } = spec.sampling;
    return Math.max(segments, Math.min(emotionFrames + personalityVideos * segments, fit));
}

/** Frames [e0, e1) of the emotion set and videos [v0, v1) of the personality set in one pass. */
export interface Chunk {
    e0: number;
    e1: number;
    v0: number;
    v1: number;
}

/** Packs whole videos, then emotion frames, into passes of at most `microBatch` images. */
export function planChunks(emotionFrames: number, videos: number, segments: number, microBatch: number): Chunk[] {
    const chunks: Chunk[] = [];
    let cur: Chunk = { e0: 0, e1: 0, v0: 0, v1: 0 };
    const size = (c: Chunk) => c.e1 - c.e0 + (c.v1 - c.v0) * segments;
    const next = (c: Chunk) => {
        if (size(cur) > 0) chunks.push(cur);
        cur = c;
    };
    for (let v = 0; v < videos; v++) {
        if (size(cur) > 0 && size(cur) + segments > microBatch) next({ e0: 0, e1: 0, v0: v, v1: v });
        cur.v1 = v + 1;
    }
    for (let e = 0; e < emotionFrames; cur.e1 = e) {
        if (size(cur) >= microBatch) next({ e0: e, e1: e, v0: videos, v1: videos });
        e = Math.min(emotionFrames, e + microBatch - size(cur));
    }
    next(cur);
    return chunks;
}
