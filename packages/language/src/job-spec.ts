/**
 * The JobSpec: the plain-JSON form of one experiment with every default filled in and `extends`
 * resolved. It is what the runtime receives (from the compiler, or as a file from another machine);
 * job.schema.json describes the same shape and is checked with ajv before any work starts.
 */

export const TRAITS = ['extraversion', 'agreeableness', 'conscientiousness', 'neuroticism', 'openness'] as const;
export type Trait = (typeof TRAITS)[number];

export const EMOTIONS = ['arousal', 'valence'] as const;
export type EmotionDimension = (typeof EMOTIONS)[number];

export type BackendKind = 'auto' | 'gpu' | 'node' | 'wasm' | 'cpu';
export type DatasetKind = 'personality' | 'emotion';
export type DatasetFormat = 'chalearn' | 'affwild' | 'affwild2' | 'folder' | 'synthetic';
export type FemDepth = 4 | 10 | 20 | 36 | 64;
export type ConsensusKind = 'average' | 'max' | 'lstm';
/** mse (personality and emotion), accuracy (A, eq. 14), r2 (R²), pcc (Pearson), ccc (Lin's concordance). */
export type MetricName = 'mse' | 'accuracy' | 'r2' | 'pcc' | 'ccc';
export const METRIC_NAMES: readonly MetricName[] = ['mse', 'accuracy', 'r2', 'pcc', 'ccc'];

/** A height x width pair in pixels. */
export interface Size {
    height: number;
    width: number;
}

export interface FacesSpec {
    /** False when frames are already aligned faces (the in-memory synthetic source). */
    enabled: boolean;
    detector: 'ssd' | 'tiny';
    /** Aligned crop size; the five landmarks are warped onto the SphereFace template scaled to it. */
    align: Size;
    /** Detections scored below this are ignored. */
    confidence: number;
}

export interface SyntheticSpec {
    people: number;
    clips: number;
    frames: number;
    image: Size;
    /** 0 = personality and emotion sets look alike, 1 = strong visual domain shift. */
    shift: number;
}

export interface DatasetSpec {
    name: string;
    kind: DatasetKind;
    format: DatasetFormat;
    /** Absolute path, or null for the in-memory synthetic source. */
    path: string | null;
    /** Splits the dataset provides; training always uses `train`. */
    splits: string[];
    faces: FacesSpec;
    /** Fraction of `train`'s people held out as `validation` (0 when the format ships its own). */
    validation: number;
    /** Only for format `synthetic`. */
    synthetic: SyntheticSpec | null;
}

export interface ConsensusSpec {
    kind: ConsensusKind;
    /** LSTM hidden size (paper: 128); ignored by average and max. */
    hidden: number;
}

export interface ModelSpec {
    fem: {
        family: 'sphereface';
        depth: FemDepth;
        input: Size;
        /** Absolute path of an initial weights file, or null for random initialisation. */
        init: string | null;
        freeze: boolean;
        /** Width of FEM's last fully connected layer (Table 1: 512). */
        features: number;
    };
    pam: { enabled: boolean; consensus: ConsensusSpec };
    eam: { enabled: boolean };
    ram: { enabled: boolean; hidden: number; consensus: ConsensusSpec };
    coherence: { enabled: boolean };
}

export interface SamplingSpec {
    /** K, segments per personality video, one random frame from each. */
    segments: number;
    emotionFrames: number;
    personalityVideos: number;
    /** Images per forward/backward pass; gradients of a larger batch are accumulated. */
    microBatch: number | 'auto';
}

export interface LossSpec {
    /** Weights of eq. 13: personality, emotion, discriminator, adversarial, RAM. */
    lambda1: number;
    lambda2: number;
    lambda3: number;
    lambda4: number;
    lambda5: number;
    /** Smooth-L1 margin m (eq. 3). */
    margin: number;
}

export type OptimizerSpec =
    | { kind: 'sgd'; lr: number; momentum: number; weightDecay: number }
    | { kind: 'adam'; lr: number; beta1: number; beta2: number; epsilon: number; weightDecay: number };

export interface ScheduleSpec {
    kind: 'step' | 'cosine' | 'constant';
    iterations: number;
    /** Step schedule: iterations at which the learning rate is multiplied by gamma. */
    milestones: number[];
    gamma: number;
    /** Iterations of linear warm-up from 0 to the base learning rate. */
    warmup: number;
    /** Cosine schedule: the final learning rate. */
    minLr: number;
}

export interface SplitRefSpec {
    dataset: string;
    split: string;
}

export interface EvaluationSpec {
    every: number;
    personality: SplitRefSpec[];
    emotion: SplitRefSpec[];
    /** What is computed, logged and shown. */
    metrics: MetricName[];
    fusion: FusionSpec;
}

/** Fixed late-fusion weights: fused = (pam·P + ram·R) / (pam + ram). */
export interface FusionWeights {
    pam: number;
    ram: number;
}

/**
 * Late-fusion weights chosen by a grid search: the PAM share α ∈ {0, step, 2·step, …, 1} with the
 * highest mean accuracy A of fused = α·P + (1 − α)·R on the split `on`.
 */
export interface FusionSearch {
    search: { on: SplitRefSpec; step: number };
}

/** Fixed weights (the form every JobSpec had before `fusion search`), or a search. */
export type FusionSpec = FusionWeights | FusionSearch;

export function isFusionSearch(fusion: FusionSpec): fusion is FusionSearch {
    return 'search' in fusion;
}

export interface JobSpec {
    version: 1;
    experiment: string;
    /** Absolute path of the .persemon file it was compiled from, or null. */
    source: string | null;
    seed: number;
    backend: BackendKind;
    datasets: DatasetSpec[];
    model: ModelSpec;
    sampling: SamplingSpec;
    loss: LossSpec;
    optimizer: OptimizerSpec;
    schedule: ScheduleSpec;
    evaluation: EvaluationSpec;
    checkpoint: { every: number };
    /** Absolute folder in which run directories are created. */
    output: string;
    /** The settings `--set` or a sweep point changed from the compiled document, as full JobSpec paths. */
    overrides?: Array<{ path: string; value: unknown }>;
}
