/**
 * From a dataset's media to FEM's input: look in the crop cache; for the frames it lacks, decode
 * them (one ffmpeg process per clip and call, or the image files), find the face (in a still photo
 * searched in tiles too, see search.ts), align it on the SphereFace template at the requested
 * size, and cache the result, "no face" included.
 */
import type { FacesSpec, Size } from '@persemon/language';
import { normalise, type Pixels } from '../image.js';
import { readImage } from '../image-file.js';
import { ImageError } from '../image-header.js';
import type { DataProblem, FaceCrop } from '../source.js';
import { decodeFrames, VideoError } from '../video.js';
import { alignmentTransform, coverTransform, warpSimilarity } from './align.js';
import { CropCache, type CachedCrop, type CropSettings, type FileFacts } from './cache.js';
import { loadFaceDetector, type Box, type DetectedFace, type FaceDetector } from './detector.js';
import { searchFaces } from './search.js';

/** Where a dataset item's frames come from. */
export type Media =
    | { kind: 'video'; file: string }
    /** A still image: a one-frame video. */
    | { kind: 'image'; file: string }
    /** One image file per frame that already is an aligned face; null where a frame has none. */
    | { kind: 'aligned-frames'; files: ReadonlyArray<string | null> };

/** Which face to use when a frame has several: the largest, or the person on the left or right. */
export type FacePick = 'largest' | 'left' | 'right';

export interface CropTarget {
    media: Media;
    pick: FacePick;
    /** An annotated face box for a frame (Aff-Wild's bboxes): the detection overlapping it most wins. */
    hint?: (frame: number) => Promise<Box | undefined>;
}

/** Why a frame gave no crop; these name the counts in the run's `data` events. */
export const REASONS = {
    noFace: 'no face',
    noFaceAtBox: 'no face at the annotated box',
    noFaceOnSide: 'no face on the annotated side',
    notDecoded: 'frame not decoded',
    unreadableVideo: 'unreadable video',
    unreadableImage: 'unreadable image',
    missingFrame: 'frame file missing',
} as const;
export type CropFailure = (typeof REASONS)[keyof typeof REASONS];

export interface CropOutcome {
    crop: FaceCrop | null;
    reason: CropFailure | null;
}

export interface CropResults {
    outcomes: CropOutcome[];
    /** Files found bad on the way, for the source's problems(). */
    problems: DataProblem[];
}

export interface FaceCropperOptions {
    faces: FacesSpec;
    cache: CropCache;
    facts: FileFacts;
    /** Defaults to face-api with the spec's detector and confidence, loaded on first need. */
    detector?: () => Promise<FaceDetector>;
}

/** Overlap (intersection over union) a detection needs with an annotated box to be that face. */
const MIN_HINT_IOU = 0.3;

/** One frame still to be made: where its pixels are and where its crop goes in the cache. */
interface Pending {
    position: number;
    /** The frame within its file. */
    frame: number;
    key: string;
    hint: Box | undefined;
}

export class FaceCropper {
    private detector: Promise<FaceDetector> | undefined;

    constructor(private readonly options: FaceCropperOptions) {}

    async crops(target: CropTarget, indices: readonly number[], size: Size): Promise<CropResults> {
        for (const i of indices) if (!Number.isInteger(i) || i < 0) throw new RangeError(`frame index ${i} is not a whole number >= 0`);
        const outcomes: CropOutcome[] = indices.map(() => ({ crop: null, reason: null }));
        const problems: DataProblem[] = [];
        const fail = (position: number, reason: CropFailure) => (outcomes[position] = { crop: null, reason });
        const settings = this.settings(target, size);

        // Group the wanted frames by source file: a clip is one file, aligned frames one file each.
        const byFile = new Map<string, Array<{ position: number; frame: number }>>();
        indices.forEach((frame, position) => {
            const located = locate(target.media, frame);
            if (located === null) return fail(position, REASONS.missingFrame);
            const list = byFile.get(located.file) ?? [];
            list.push({ position, frame: located.frame });
            byFile.set(located.file, list);
        });

        for (const [file, wanted] of byFile) {
            let hash: string;
            try {
                hash = await this.options.facts.contentHash(file);
            } catch (error) {
                problems.push({ file, problem: `cannot be read: ${message(error)}` });
                for (const { position } of wanted) fail(position, unreadable(target.media));
                continue;
            }
            const pending: Pending[] = [];
            await Promise.all(
                wanted.map(async ({ position, frame }) => {
                    const hint = target.hint ? await target.hint(indices[position]) : undefined;
                    const key = this.options.cache.keyOf(hash, frame, hint ? { ...settings, hint: boxText(hint) } : settings);
                    const cached = await this.options.cache.get(key);
                    if (cached) outcomes[position] = toOutcome(cached);
                    else pending.push({ position, frame, key, hint });
                })
            );
            if (pending.length > 0) await this.make(file, target, pending, size, outcomes, problems);
        }
        return { outcomes, problems };
    }

    /** Decodes, detects, aligns and caches the frames of one file that the cache lacked. */
    private async make(file: string, target: CropTarget, pending: Pending[], size: Size, outcomes: CropOutcome[], problems: DataProblem[]): Promise<void> {
        const writes: Promise<void>[] = [];
        const done = new Set<number>();
        const handle = async (image: Pixels, frame: number) => {
            done.add(frame);
            const items = pending.filter((p) => p.frame === frame);
            const made = await this.cropOf(image, target, size, items[0].hint);
            for (const item of items) {
                outcomes[item.position] = toOutcome(made);
                writes.push(this.options.cache.put(item.key, made));
            }
        };
        let failure: string | null = null;
        try {
            if (target.media.kind === 'video') {
                for await (const decoded of decodeFrames(file, pending.map((p) => p.frame))) await handle(decoded.image, decoded.index);
            } else await handle(await readImage(file), pending[0].frame);
        } catch (error) {
            if (!(error instanceof VideoError || error instanceof ImageError)) throw error;
            failure = error.detail;
        }
        const missing = [...new Set(pending.filter((p) => !done.has(p.frame)).map((p) => p.frame))].sort((a, b) => a - b);
        if (missing.length > 0) {
            const reason = target.media.kind === 'video' ? REASONS.notDecoded : REASONS.unreadableImage;
            for (const item of pending) if (!done.has(item.frame)) outcomes[item.position] = { crop: null, reason };
            failure ??= `frames ${missing.join(', ')} could not be decoded (truncated or corrupt video?)`;
        }
        if (failure !== null) problems.push({ file, problem: failure });
        await Promise.all(writes);
    }

    private async cropOf(image: Pixels, target: CropTarget, size: Size, hint: Box | undefined): Promise<CachedCrop> {
        const { faces } = this.options;
        if (!faces.enabled || target.media.kind === 'aligned-frames') {
            return { pixels: warpSimilarity(image, coverTransform(image, size), size), ...size, face: null, reason: null };
        }
        // A still photo is searched in tiles when the whole shows no face, as predict does; only its largest face is used.
        const detector = await this.faceDetector();
        const found = target.media.kind === 'image' ? (await searchFaces(detector, image, { further: 0 })).faces : await detector.detect(image);
        const chosen = choose(found, target.pick, hint, image.width);
        if ('reason' in chosen) return { pixels: null, ...size, face: null, reason: chosen.reason };
        const { face } = chosen;
        const pixels = warpSimilarity(image, alignmentTransform(face.landmarks5, size), size);
        return { pixels, ...size, face: { box: face.box, score: face.score, landmarks: face.landmarks5 }, reason: null };
    }

    private faceDetector(): Promise<FaceDetector> {
        const { faces, detector } = this.options;
        this.detector ??= detector ? detector() : loadFaceDetector({ detector: faces.detector, confidence: faces.confidence });
        return this.detector;
    }

    /** Everything besides the source and frame that changes a crop. */
    private settings(target: CropTarget, size: Size): CropSettings {
        const { faces } = this.options;
        const base = { width: size.width, height: size.height };
        if (!faces.enabled || target.media.kind === 'aligned-frames') return { ...base, mode: 'resize' };
        const align = { ...base, mode: 'align', detector: faces.detector, confidence: faces.confidence, pick: target.pick };
        return target.media.kind === 'image' ? { ...align, search: 'tiles' } : align;
    }
}

function locate(media: Media, frame: number): { file: string; frame: number } | null {
    switch (media.kind) {
        case 'video':
            return { file: media.file, frame };
        case 'image':
            if (frame !== 0) throw new RangeError(`${media.file} is a still image: it has frame 0 only, not ${frame}`);
            return { file: media.file, frame: 0 };
        case 'aligned-frames': {
            const file = media.files[frame];
            return file ? { file, frame: 0 } : null;
        }
    }
}

function choose(faces: DetectedFace[], pick: FacePick, hint: Box | undefined, width: number): { face: DetectedFace } | { reason: CropFailure } {
    if (faces.length === 0) return { reason: REASONS.noFace };
    if (hint) {
        let best: DetectedFace | undefined;
        let bestOverlap = MIN_HINT_IOU;
        for (const face of faces) {
            const overlap = iou(face.box, hint);
            if (overlap >= bestOverlap) [best, bestOverlap] = [face, overlap];
        }
        return best ? { face: best } : { reason: REASONS.noFaceAtBox };
    }
    if (pick === 'largest') return { face: faces.reduce((a, b) => (b.box.width * b.box.height > a.box.width * a.box.height ? b : a)) };
    const centre = (f: DetectedFace) => f.box.x + f.box.width / 2;
    const sorted = [...faces].sort((a, b) => centre(a) - centre(b));
    const face = pick === 'left' ? sorted[0] : sorted[sorted.length - 1];
    // With one face found, it is the named person only if it is on that side of the frame.
    if (sorted.length === 1 && (pick === 'left') !== centre(face) < width / 2) return { reason: REASONS.noFaceOnSide };
    return { face };
}

function iou(a: Box, b: Box): number {
    const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
    const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
    if (w <= 0 || h <= 0) return 0;
    const inter = w * h;
    return inter / (a.width * a.height + b.width * b.height - inter);
}

function toOutcome(entry: CachedCrop): CropOutcome {
    if (entry.pixels === null) return { crop: null, reason: (entry.reason as CropFailure | null) ?? REASONS.noFace };
    return { crop: { data: normalise(Float32Array.from(entry.pixels)), height: entry.height, width: entry.width }, reason: null };
}

function unreadable(media: Media): CropFailure {
    return media.kind === 'video' ? REASONS.unreadableVideo : REASONS.unreadableImage;
}

function boxText(box: Box): string {
    return [box.x, box.y, box.width, box.height].map((v) => v.toFixed(1)).join(',');
}

function message(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
