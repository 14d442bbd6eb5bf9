/**
 * What every dataset looks like to training and evaluation, whatever its format: videos (a still
 * image is a one-frame video) with Big Five labels per video and/or arousal-valence labels per frame,
 * and a way to get aligned face crops of chosen frames.
 */
import type { DatasetKind, Size, Trait } from '@persemon/language';

/** One video of a dataset. */
export interface VideoItem {
    /** Unique within the dataset: the clip's file name for ChaLearn, the video name for Aff-Wild. */
    id: string;
    /** Who appears in it; splits never share a person. */
    person: string;
    frameCount: number;
    /** Big Five in [0, 1], in TRAITS order; personality datasets only. */
    traits?: number[];
    /** Per-frame [arousal, valence] in [-1, 1], null where a frame has no label; emotion datasets only. */
    emotion?: Array<[number, number] | null>;
}

/** A problem found in the data, naming the file; the run goes on with the good items. */
export interface DataProblem {
    file: string;
    problem: string;
}

/** Counts reported in the run's `data` events. */
export interface DataCounts {
    items: number;
    read: number;
    skipped: number;
    facesNotFound: number;
    reasons: Record<string, number>;
}

/** One face crop, H x W x 3 RGB, normalised as SphereFace expects: (pixel - 127.5) / 128. */
export interface FaceCrop {
    data: Float32Array;
    height: number;
    width: number;
}

export interface DataSource {
    readonly name: string;
    readonly kind: DatasetKind;
    /** Splits with their videos, after any validation split was held out of `train` by person. */
    splits(): string[];
    videos(split: string): VideoItem[];
    /**
     * Aligned face crops of the given frames at `size`; null for a frame where no face was found
     * or the frame could not be read (counted, with the reason, in counts()).
     */
    frames(video: VideoItem, indices: number[], size: Size): Promise<Array<FaceCrop | null>>;
    problems(): DataProblem[];
    counts(): DataCounts;
}

export type { Trait };
