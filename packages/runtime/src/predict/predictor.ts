/**
 * The paper's demo: a trained run applied to a portrait or a video. Faces are found with the
 * detector the run trained with (its first dataset that detects faces; else the Tiny Face Detector),
 * in a still photo searched in tiles when the whole picture shows none (small faces in a large
 * photo, a group), and aligned exactly as training aligned them (five landmarks onto the SphereFace
 * template at FEM's input size, SphereFace normalisation). A still is a one-frame video: PAM and RAM
 * see one segment.
 * A video gets per-frame predictions on up to MAX_VIDEO_FRAMES evenly spaced frames, and one
 * video-level personality from the middle frames of its K segments through the model's consensus,
 * as evaluation scores a video.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { TRAITS, type FacesSpec, type FusionWeights, type JobSpec, type Size, type Trait } from '@persemon/language';
import { selectBackend, type BackendInfo } from '../backend/select.js';
import { alignmentTransform, warpSimilarity } from '../data/faces/align.js';
import { loadFaceDetector, type DetectedFace, type FaceDetector } from '../data/faces/detector.js';
import { searchFaces } from '../data/faces/search.js';
import { normalise, type Pixels } from '../data/image.js';
import { checkImageFile, readImage } from '../data/image-file.js';
import { IMAGE_FORMAT_NAMES, ImageError, sniffImageFormat } from '../data/image-header.js';
import { decodeFrames, probeVideo } from '../data/video.js';
import { UserError } from '../errors.js';
import { evaluationFrames } from '../eval/evaluate.js';
import { fuse, fusionWeights } from '../eval/fusion.js';
import { reportedFusion } from '../run/report.js';
import { PersEmonModel } from '../model/persemon-model.js';
import { decodeWeights } from '../model/weights.js';
import { latestCheckpoint } from '../run/checkpoint.js';
import { openRunDir } from '../run/run-dir.js';
import { concatFloat32 } from '../util/concat.js';
import { borrowNearest } from '../util/nearest.js';

/** Frames of a video that get per-frame predictions; longer videos are sampled evenly. */
export const MAX_VIDEO_FRAMES = 100;

export type TraitScores = Record<Trait, number>;

/** Traits by the module that predicted them; a switched-off module is absent. */
export interface PersonalityPrediction {
    pam?: TraitScores;
    ram?: TraitScores;
    fused?: TraitScores;
}

export interface FacePrediction {
    box: { x: number; y: number; width: number; height: number };
    /** Left eye, right eye, nose tip, left and right mouth corner, as [x, y] image pixels. */
    landmarks: Array<[number, number]>;
    /** EAM's outputs in [-1, 1]; absent when the run switched EAM off. */
    arousal?: number;
    valence?: number;
    personality?: PersonalityPrediction;
}

export interface FramePrediction {
    index: number;
    /** Seconds from the start; null when the file states no frame rate. */
    time: number | null;
    faces: FacePrediction[];
}

/** The `persemon predict --json` contract (README, "The CLI"). */
export interface ImagePrediction {
    source: string;
    faces: FacePrediction[];
}

/** A video's top-level `faces` stays empty: its faces are per frame. */
export interface VideoPrediction extends ImagePrediction {
    frames: FramePrediction[];
    /** From the K segment frames; absent when none of them shows a face or both PAM and RAM are off. */
    personality?: PersonalityPrediction;
}

export interface PredictorInfo {
    runDir: string;
    step: number;
    detector: FacesSpec['detector'];
    backend: BackendInfo;
    input: Size;
    segments: number;
}

/** Names that promise a still image: one that is none is refused rather than handed to ffmpeg. */
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.bmp', '.gif', '.avif']);

/** The detector settings for a run without face detection (in-memory synthetic data). */
const FALLBACK_FACES = { detector: 'tiny', confidence: 0.5 } as const;

export class Predictor {
    private constructor(
        readonly info: PredictorInfo,
        private readonly spec: JobSpec,
        private readonly model: PersEmonModel,
        private readonly detector: FaceDetector,
        private readonly fusion: FusionWeights
    ) {}

    /** Loads a run's JobSpec, its latest checkpoint's weights and the face detector. */
    static async open(runDir: string): Promise<Predictor> {
        const dir = openRunDir(runDir);
        const checkpoint = latestCheckpoint(dir.checkpointsDir);
        if (!checkpoint) throw new UserError(`${dir.root}: has no checkpoint to predict with (train it with persemon run first)`);
        const spec = dir.spec;
        // A run that searched its fusion weights fused with the ones its report names.
        const chosen = existsSync(dir.reportFile) ? reportedFusion(dir.reportFile) : undefined;
        let fusion: FusionWeights;
        try {
            fusion = fusionWeights(spec.evaluation.fusion, chosen);
        } catch (error) {
            throw new UserError(`${dir.reportFile}: ${error instanceof Error ? error.message : String(error)}`);
        }
        const backend = await selectBackend(spec.backend);
        const faces = spec.datasets.find((d) => d.faces.enabled)?.faces ?? FALLBACK_FACES;
        // Not PersEmonModel.create: every weight comes from the checkpoint, FEM's init file is not needed.
        const model = new PersEmonModel(spec);
        const file = path.join(checkpoint.path, 'weights.bin');
        try {
            model.setWeights(decodeWeights(readFileSync(file), file).tensors, file);
        } catch (error) {
            model.dispose();
            // A checkpoint that does not fit its own spec.json is bad data, not a bug; the message names the file.
            throw new UserError(error instanceof Error ? error.message : String(error));
        }
        const detector = await loadFaceDetector({ detector: faces.detector, confidence: faces.confidence });
        const info = { runDir: dir.root, step: checkpoint.step, detector: faces.detector, backend, input: spec.model.fem.input, segments: spec.sampling.segments };
        return new Predictor(info, spec, model, detector, fusion);
    }

    /** An image or a video file, told apart by the file's first bytes. */
    async predictFile(file: string): Promise<ImagePrediction | VideoPrediction> {
        const prediction = mediaKind(file) === 'image' ? await this.predictImageFile(file) : await this.predictVideoFile(file);
        const frames = isVideoPrediction(prediction) ? prediction.frames : [prediction];
        if (!frames.some((f) => f.faces.length > 0)) {
            const { detector, confidence } = this.detector.options;
            throw new UserError(`${file}: no face found (${detector} detector, confidence ${confidence})`);
        }
        return prediction;
    }

    /** Every face in a still image, most confident first; searched in tiles when the whole shows none. */
    async predictImage(image: Pixels): Promise<FacePrediction[]> {
        const { faces } = await searchFaces(this.detector, image);
        return this.describe(faces.map((face) => ({ face, crop: this.align(image, face) })));
    }

    dispose(): void {
        this.model.dispose();
    }

    private async predictImageFile(file: string): Promise<ImagePrediction> {
        return { source: file, faces: await this.predictImage(await readImage(file)) };
    }

    private async predictVideoFile(file: string): Promise<VideoPrediction> {
        const info = await probeVideo(file);
        const shown = sampleEvenly(info.frameCount, MAX_VIDEO_FRAMES);
        const segments = evaluationFrames(info.frameCount, this.info.segments);
        const detected = new Map<number, Array<{ face: DetectedFace; crop: Float32Array }>>();
        // One ffmpeg pass for both sets of frames; each frame is detected once and then let go.
        for await (const { index, image } of decodeFrames(file, [...shown, ...segments])) {
            const faces = await this.detector.detect(image);
            detected.set(index, faces.map((face) => ({ face, crop: this.align(image, face) })));
        }
        const frames: FramePrediction[] = [];
        for (const index of shown) {
            const faces = detected.get(index);
            // Frames a truncated clip does not have are left out.
            if (faces) frames.push({ index, time: info.fps > 0 ? round(index / info.fps, 4) : null, faces: this.describe(faces) });
        }
        const prediction: VideoPrediction = { source: file, faces: [], frames };
        const personality = this.videoPersonality(segments.map((i) => largest(detected.get(i) ?? [])?.crop ?? null));
        if (personality) prediction.personality = personality;
        return prediction;
    }

    /**
     * The consensus over the K segment frames' largest faces; a frame without one borrows the
     * nearest frame that has one, as evaluation does.
     */
    private videoPersonality(crops: Array<Float32Array | null>): PersonalityPrediction | undefined {
        const filled = borrowNearest(crops);
        if (!filled) return undefined;
        return this.personality(this.model.extractFeatures(concatFloat32(filled)), filled.length)[0];
    }

    /** FEM crop of one face: the same alignment and normalisation as training's face pipeline. */
    private align(image: Pixels, face: DetectedFace): Float32Array {
        const size = this.info.input;
        return normalise(Float32Array.from(warpSimilarity(image, alignmentTransform(face.landmarks5, size), size)));
    }

    /** Emotion and personality of each face, every face a one-frame video. */
    private describe(faces: ReadonlyArray<{ face: DetectedFace; crop: Float32Array }>): FacePrediction[] {
        if (faces.length === 0) return [];
        // FEM once: EAM, PAM and RAM would each run it again on images.
        const features = this.model.extractFeatures(concatFloat32(faces.map((f) => f.crop)));
        const emotion = this.spec.model.eam.enabled ? this.model.predictEmotion({ features }) : null;
        const personality = this.personality(features, 1);
        return faces.map(({ face }, i) => {
            const out: FacePrediction = {
                box: { x: round(face.box.x, 2), y: round(face.box.y, 2), width: round(face.box.width, 2), height: round(face.box.height, 2) },
                landmarks: face.landmarks5.map((p): [number, number] => [round(p.x, 2), round(p.y, 2)]),
            };
            if (emotion) [out.arousal, out.valence] = [round(emotion[2 * i], 6), round(emotion[2 * i + 1], 6)];
            if (personality[i]) out.personality = personality[i];
            return out;
        });
    }

    /** PAM, RAM and their fusion from the FEM features of videos of `segments` frames each; empty when both are off. */
    private personality(features: Float32Array, segments: number): PersonalityPrediction[] {
        const { pam, ram } = this.model.predictPersonality({ features }, segments);
        if (!pam && !ram) return [];
        const videos = (pam ?? ram)!.length / TRAITS.length;
        return Array.from({ length: videos }, (_, v) => {
            const slice = (a: Float32Array) => a.subarray(v * TRAITS.length, (v + 1) * TRAITS.length);
            const out: PersonalityPrediction = {};
            if (pam) out.pam = scores(slice(pam));
            if (ram) out.ram = scores(slice(ram));
            if (pam && ram) out.fused = scores(fuse(slice(pam), slice(ram), this.fusion));
            return out;
        });
    }
}

/**
 * A still image (read by @napi-rs/canvas) or anything else, handed to ffmpeg as a video, told by the
 * file's first bytes. An image's header is checked here, so a bad one is refused before any model loads.
 */
export function mediaKind(file: string): 'image' | 'video' {
    let head: Buffer;
    try {
        const fd = openSync(file, 'r');
        try {
            head = Buffer.alloc(32);
            head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
        } finally {
            closeSync(fd);
        }
    } catch (error) {
        throw new ImageError(file, `cannot be read: ${(error as Error).message}`);
    }
    if (sniffImageFormat(head) !== null) {
        checkImageFile(file);
        return 'image';
    }
    if (IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase())) throw new ImageError(file, `is not a ${IMAGE_FORMAT_NAMES} image`);
    return 'video';
}

export function isVideoPrediction(p: ImagePrediction | VideoPrediction): p is VideoPrediction {
    return 'frames' in p;
}

/** At most `count` frame numbers spread evenly over the clip: the middle of `count` equal stretches. */
export function sampleEvenly(frameCount: number, count: number): number[] {
    if (frameCount <= count) return Array.from({ length: frameCount }, (_, i) => i);
    return Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * frameCount) / count));
}

function largest<T extends { face: DetectedFace }>(faces: readonly T[]): T | undefined {
    return faces.reduce<T | undefined>((a, b) => (!a || b.face.box.width * b.face.box.height > a.face.box.width * a.face.box.height ? b : a), undefined);
}

function scores(values: ArrayLike<number>): TraitScores {
    return Object.fromEntries(TRAITS.map((t, i) => [t, round(values[i], 6)])) as TraitScores;
}

function round(value: number, digits: number): number {
    return Number(value.toFixed(digits));
}
