/**
 * With FEM frozen its features of a frame never change, so each frame goes through FEM once and its
 * feature vector is reused whenever the sampler draws that frame again.
 */
import type { Batch } from '../data/sampling.js';
import type { PersEmonModel } from '../model/persemon-model.js';
import type { TrainBatch } from './step.js';

export class FeatureCache {
    private readonly features = new Map<string, Float32Array>();
    hits = 0;
    misses = 0;

    constructor(private readonly model: PersEmonModel) {}

    /** The batch with frames replaced by their cached (or newly computed) FEM features. */
    toFeatures(batch: Batch, segments: number): TrainBatch {
        const out: TrainBatch = {};
        if (batch.emotion) {
            const keys = batch.ids.emotion.map(id => `e:${id.video}#${id.frame}`);
            out.emotion = { features: this.lookup(keys, batch.emotion.images), labels: batch.emotion.labels };
        }
        if (batch.personality) {
            const keys = batch.ids.personality.flatMap(id => id.frames.map(f => `p:${id.video}#${f}`));
            out.personality = { features: this.lookup(keys, batch.personality.images), labels: batch.personality.labels, segments };
        }
        return out;
    }

    private lookup(keys: string[], images: Float32Array): Float32Array {
        const width = this.model.features;
        const crop = images.length / keys.length;
        const missing = keys.map((k, i) => this.features.has(k) ? -1 : i).filter(i => i >= 0);
        if (missing.length > 0) {
            const pending = new Float32Array(missing.length * crop);
            missing.forEach((i, j) => pending.set(images.subarray(i * crop, (i + 1) * crop), j * crop));
            const computed = this.model.extractFeatures(pending);
            missing.forEach((i, j) => this.features.set(keys[i], computed.slice(j * width, (j + 1) * width)));
        }
        this.misses += missing.length;
        this.hits += keys.length - missing.length;
        const out = new Float32Array(keys.length * width);
        keys.forEach((k, i) => out.set(this.features.get(k)!, i * width));
        return out;
    }
}
