/**
 * Default values of every setting. Where the paper states a value it is the default; where it is
 * silent the default is the one its code base (Caffe SphereFace, TSN) used, marked as such in hover.
 */
import type { DatasetFormat, FemDepth, MetricName, Size } from '../job-spec.js';

export const DEFAULTS = {
    seed: 1,
    backend: 'auto',
    fem: { family: 'sphereface', depth: 20 as FemDepth, input: { height: 112, width: 96 } as Size, features: 512 },
    consensus: { kind: 'average', hidden: 128 },
    ramHidden: 128,
    sampling: { segments: 10, emotionFrames: 100, personalityVideos: 10 },
    loss: { lambda1: 1, lambda2: 1, lambda3: 0.1, lambda4: 0.1, lambda5: 0.1, margin: 0.05 },
    sgd: { lr: 0.01, momentum: 0.9, weightDecay: 0.0005 },
    adam: { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
    schedule: { kind: 'step', iterations: 56000, gamma: 0.1, warmup: 0, minLr: 0 },
    /** The paper's milestones as fractions of its 56k iterations (32k, 48k); scaled to other lengths. */
    milestoneFractions: [32 / 56, 48 / 56],
    evaluateEvery: 1000,
    checkpointEvery: 1000,
    fusion: { pam: 6, ram: 1 },
    /** `fusion search`'s grid: every 0.05 of the PAM share from 0 to 1 (21 points). */
    fusionSearchStep: 0.05,
    /** All five: the paper's tables report A, R² and MSE; PCC and CCC are the field's (DeepPersonality, Aff-Wild). */
    metrics: ['mse', 'accuracy', 'r2', 'pcc', 'ccc'] as MetricName[],
    faces: { detector: 'ssd', confidence: 0.5 },
    /** 400 people: the held-out test split keeps about 80 of them, enough for stable test metrics (32 left 6). */
    synthetic: { people: 400, clips: 4, frames: 24, image: { height: 64, width: 64 } as Size, shift: 0.5 },
    output: 'runs'
} as const;

/** Splits each format ships, before any validation split is held out of `train`. */
export const FORMAT_SPLITS: Record<DatasetFormat, readonly string[]> = {
    chalearn: ['train', 'validation', 'test'],
    affwild: ['train', 'test'],
    affwild2: ['train', 'validation'],
    folder: ['train', 'validation', 'test'],
    synthetic: ['train', 'validation', 'test']
};

/** Validation fraction held out of `train` by default: Aff-Wild's test labels are not public, so the
 * paper split its training set 10:1; synthetic data holds out people for validation and test. */
export const FORMAT_VALIDATION: Record<DatasetFormat, number> = {
    chalearn: 0,
    affwild: 1 / 11,
    affwild2: 0,
    folder: 0,
    synthetic: 0.2
};

/** The splits a dataset has: those declared, else its format's, plus `validation` when one is held out. */
export function datasetSplits(format: DatasetFormat, declared: readonly string[] | undefined, validation: number): string[] {
    const splits = [...(declared && declared.length > 0 ? declared : FORMAT_SPLITS[format])];
    if (validation > 0 && !splits.includes('validation')) splits.splice(1, 0, 'validation');
    return splits;
}

/**
 * The split a dataset is evaluated on when the document names none: test, or validation where the
 * test labels are not public (Aff-Wild and Aff-Wild2); else its last split.
 */
export function defaultEvaluationSplit(format: DatasetFormat, splits: readonly string[]): string {
    const labelsHidden: DatasetFormat[] = ['affwild', 'affwild2'];
    const preferred = labelsHidden.includes(format) ? ['validation', 'test'] : ['test', 'validation'];
    return preferred.find(s => splits.includes(s)) ?? splits[splits.length - 1];
}

/** Downsampling stages of SphereFace: four stride-2 convolutions. */
export const FEM_STAGES = 4;
export const FEM_DEPTHS: readonly FemDepth[] = [4, 10, 20, 36, 64];
/** Residual units per stage for each depth (SphereFace, Liu et al. 2017). */
export const FEM_UNITS: Record<FemDepth, readonly [number, number, number, number]> = {
    4: [0, 0, 0, 0],
    10: [0, 1, 2, 0],
    20: [1, 2, 4, 1],
    36: [2, 4, 8, 2],
    64: [3, 8, 16, 3]
};
