/** Small models, batches and optimisers for the model and training tests. */
import type { ConsensusKind, FemDepth, LossSpec } from '@persemon/language';
import { PersEmonModel, type ModelOptions, type ModuleName } from '../../src/model/persemon-model.js';
import { createOptimizer } from '../../src/train/optimizer.js';
import type { Optimizers, TrainBatch } from '../../src/train/step.js';
import { Random } from '../../src/util/random.js';

export const PAPER_LOSS: LossSpec = { lambda1: 1, lambda2: 1, lambda3: 0.1, lambda4: 0.1, lambda5: 0.1, margin: 0.05 };

export interface TinyOptions {
    seed?: number;
    size?: number;
    depth?: FemDepth;
    segments?: number;
    consensus?: ConsensusKind;
    freeze?: boolean;
    off?: ModuleName[];
}

export function tinyOptions(o: TinyOptions = {}): ModelOptions {
    const size = o.size ?? 16;
    const on = (m: ModuleName) => !(o.off ?? []).includes(m);
    const consensus = { kind: o.consensus ?? 'average', hidden: 8 };
    return {
        seed: o.seed ?? 7,
        sampling: { segments: o.segments ?? 2, emotionFrames: 4, personalityVideos: 2, microBatch: 'auto' },
        model: {
            fem: { family: 'sphereface', depth: o.depth ?? 4, input: { height: size, width: size }, init: null, freeze: o.freeze ?? false, features: 512 },
            pam: { enabled: on('pam'), consensus },
            eam: { enabled: on('eam') },
            ram: { enabled: on('ram'), hidden: 16, consensus },
            coherence: { enabled: on('coherence') }
        }
    };
}

export function tinyModel(o: TinyOptions = {}): PersEmonModel {
    return new PersEmonModel(tinyOptions(o));
}

/** Random face-like inputs and labels in the labels' ranges. */
export function syntheticBatch(seed: number, size: number, emotionFrames: number, videos: number, segments: number): TrainBatch {
    const r = new Random(seed);
    const images = (n: number) => Float32Array.from({ length: n * size * size * 3 }, () => r.normal() * 0.5);
    return {
        emotion: { images: images(emotionFrames), labels: Float32Array.from({ length: emotionFrames * 2 }, () => r.next() * 2 - 1) },
        personality: { images: images(videos * segments), labels: Float32Array.from({ length: videos * 5 }, () => r.next()), segments }
    };
}

export function sgdOptimizers(model: PersEmonModel, momentum = 0.9, weightDecay = 5e-4): Optimizers {
    const spec = { kind: 'sgd' as const, lr: 0.01, momentum, weightDecay };
    return {
        network: createOptimizer(spec, model.networkParams()),
        discriminator: model.discriminator ? createOptimizer(spec, model.discriminatorParams()) : null
    };
}

/** Parameter values by name, optionally of one module only. */
export function weightsOf(model: PersEmonModel, module?: ModuleName): Map<string, Float32Array> {
    return new Map(model.getWeights().filter((w) => !module || w.name.startsWith(`${module}/`)).map((w) => [w.name, w.values]));
}

/** Largest absolute difference between two sets of weights with the same names. */
export function maxDifference(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
    let max = 0;
    for (const [name, values] of a) {
        const other = b.get(name)!;
        for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i] - other[i]));
    }
    return max;
}
