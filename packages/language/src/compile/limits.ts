/**
 * What one machine can hold: the upper bounds of the settings that size memory, and estimates of
 * the memory the in-memory synthetic set and one training batch take. The language, the JobSpec
 * check and `persemon synth` all read these, so a value refused in one is refused in all; the
 * maxima in job.schema.json are the same numbers (a test keeps them equal).
 */
import type { DatasetKind, SamplingSpec, Size, SyntheticSpec } from '../job-spec.js';

/** An upper bound on one setting and why a machine needs it, for messages. */
export interface Limit {
    readonly max: number;
    readonly why: string;
}

/** Keyed by the JobSpec's field names (`side` bounds every height and width). */
export const LIMITS = {
    seed: { max: 2 ** 32 - 1, why: 'the random generator takes a 32-bit seed' },
    people: { max: 100_000, why: 'the synthetic set is held in memory' },
    clips: { max: 1_000, why: 'the synthetic set is held in memory' },
    frames: { max: 10_000, why: 'the synthetic set is held in memory' },
    side: { max: 1_024, why: 'images are held in memory at this size' },
    hidden: { max: 4_096, why: 'its weights grow with the square of hidden' },
    features: { max: 4_096, why: "the face network's last layer grows with it" },
    iterations: { max: 9_999_999, why: 'checkpoint folders are numbered with seven digits' }
} as const satisfies Record<string, Limit>;

/**
 * Fewest synthetic people: validation and test each hold out at least one person and train keeps
 * one (the synthetic source splits by person), so fewer would leave a split empty.
 */
export const MIN_SYNTHETIC_PEOPLE = { min: 3, why: 'validation and test each hold out at least one person, and train keeps one' } as const;

/** The most memory one synthetic set, or one batch of images, may take. */
export const MEMORY_LIMITS = {
    syntheticSet: 2 ** 30,
    batch: 2 ** 30
} as const;

/**
 * What the runtime's synthetic source keeps in memory (measured on Node 20 with --expose-gc): about
 * 1 KiB per person and per clip (identity, look, ids), and per frame its expression (about 136
 * bytes) plus, in an emotion set, its arousal and valence labels (about 208 bytes in all). Pixels
 * are not kept: frames are rendered when read, over a cached still of each clip (up to 256 stills)
 * and two working buffers, all RGBA at the set's image size.
 */
const PERSON_BYTES = 1_024;
const CLIP_BYTES = 1_024;
const FRAME_BYTES: Record<DatasetKind, number> = { personality: 144, emotion: 224 };
const STILLS_KEPT = 256;
const RENDER_BUFFERS = 2;
const RGBA = 4;
/** A batch's images are float32 RGB at the face network's input size. */
const BATCH_PIXEL_BYTES = 3 * 4;

export interface SyntheticSetEstimate {
    bytes: number;
    frames: number;
    /** Each image-sized RGBA buffer the renderer holds. */
    buffers: number;
}

export function syntheticSetBytes(kind: DatasetKind, s: Pick<SyntheticSpec, 'people' | 'clips' | 'frames' | 'image'>): SyntheticSetEstimate {
    const clips = s.people * s.clips;
    const frames = clips * s.frames;
    const buffers = Math.min(clips, STILLS_KEPT) + RENDER_BUFFERS;
    const bytes = s.people * PERSON_BYTES + clips * CLIP_BYTES + frames * FRAME_BYTES[kind]
        + buffers * s.image.height * s.image.width * RGBA;
    return { bytes, frames, buffers };
}

/** Why a synthetic set is too large for memory, or undefined when it fits; `advice` says what to lower. */
export function syntheticSetProblem(kind: DatasetKind, s: Pick<SyntheticSpec, 'people' | 'clips' | 'frames' | 'image'>,
    advice = 'lower people, clips, frames or image'): string | undefined {
    const estimate = syntheticSetBytes(kind, s);
    if (estimate.bytes <= MEMORY_LIMITS.syntheticSet) return undefined;
    return `the synthetic set would take about ${formatBytes(estimate.bytes)} of memory: `
        + `${formatCount(estimate.frames)} frames (people ${s.people} x clips ${s.clips} x frames ${s.frames}) at about ${FRAME_BYTES[kind]} bytes each, `
        + `and ${estimate.buffers} rendering buffers of ${s.image.height}x${s.image.width}; `
        + `at most ${formatBytes(MEMORY_LIMITS.syntheticSet)}: ${advice}`;
}

export interface BatchEstimate {
    bytes: number;
    images: number;
}

/**
 * One training batch: N emotion frames plus V videos of K frames, packed as float32 RGB at FEM's
 * input size. A stream without a dataset of its kind draws nothing.
 */
export function batchBytes(sampling: Pick<SamplingSpec, 'segments' | 'emotionFrames' | 'personalityVideos'>, input: Size,
    streams: { personality: boolean; emotion: boolean }): BatchEstimate {
    const images = (streams.emotion ? sampling.emotionFrames : 0) + (streams.personality ? sampling.personalityVideos * sampling.segments : 0);
    return { images, bytes: images * input.height * input.width * BATCH_PIXEL_BYTES };
}

/** Why a batch is too large for memory, or undefined when it fits. */
export function batchProblem(sampling: Pick<SamplingSpec, 'segments' | 'emotionFrames' | 'personalityVideos'>, input: Size,
    streams: { personality: boolean; emotion: boolean }): string | undefined {
    const estimate = batchBytes(sampling, input, streams);
    if (estimate.bytes <= MEMORY_LIMITS.batch) return undefined;
    const parts = [
        streams.emotion ? `emotion frames ${sampling.emotionFrames}` : '',
        streams.personality ? `personality videos ${sampling.personalityVideos} x segments ${sampling.segments}` : ''
    ].filter(Boolean).join(' + ');
    return `a batch would take about ${formatBytes(estimate.bytes)} of memory: ${formatCount(estimate.images)} images (${parts}) `
        + `of ${input.height}x${input.width} float32 RGB; at most ${formatBytes(MEMORY_LIMITS.batch)}: `
        + 'lower emotion frames, personality videos or segments';
}

/** `must be at most 100000, not 1e9: the synthetic set is held in memory` when `value` is above the limit. */
export function aboveLimit(value: number, limit: Limit, written = String(value)): string | undefined {
    return value > limit.max ? `must be at most ${limit.max}, not ${written}: ${limit.why}` : undefined;
}

/** `height 2048 and width 4096` for the sides of `size` above the limit, or undefined when both fit. */
export function sidesAboveLimit(size: Size): string | undefined {
    const over = (['height', 'width'] as const).filter(side => size[side] > LIMITS.side.max).map(side => `${side} ${size[side]}`);
    return over.length > 0 ? `${over.join(' and ')} must be at most ${LIMITS.side.max}: ${LIMITS.side.why}` : undefined;
}

/** Bytes in binary units, to three significant figures (so 1.01 GiB is not shown as the 1 GiB limit): `3.14 GiB`, `512 MiB`. */
export function formatBytes(bytes: number): string {
    const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    const shown = value >= 100 || unit === 0 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
    return `${shown} ${units[unit]}`;
}

function formatCount(n: number): string {
    return n.toLocaleString('en-US');
}
