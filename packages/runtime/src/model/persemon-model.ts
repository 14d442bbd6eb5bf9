/**
 * PersEmoN assembled from a JobSpec (Fig. 1): a shared FEM, PAM, EAM, RAM and the coherence
 * discriminator, each owning its parameters. A module switched off in the JobSpec is not built
 * (null); EAM is built whenever RAM is on, since RAM reads EAM's outputs, and trains on L_emo only
 * when EAM itself is on.
 *
 * Frames come in as FaceCrop-normalised NHWC images, or, with a frozen FEM, as the FEM features of
 * those images (`extractFeatures`), which the engine may cache per frame.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { JobSpec, ModelSpec, Size } from '@persemon/language';
import { Discriminator } from './coherence.js';
import { Eam, EMOTION_COUNT } from './eam.js';
import { Fem, readFemInit } from './fem.js';
import { assignParams, countParams, moduleRandom, type Param } from './layers.js';
import { Pam, TRAIT_COUNT } from './pam.js';
import { Ram } from './ram.js';
import type { NamedArray } from './weights.js';

export const MODULES = ['fem', 'pam', 'eam', 'ram', 'coherence'] as const;
export type ModuleName = (typeof MODULES)[number];

/** Trainable parameter counts, as the `start` event reports them. */
export type ParameterCounts = Record<ModuleName | 'total', number>;

export type ModelOptions = Pick<JobSpec, 'model' | 'sampling' | 'seed'>;

/** Frames as images (N·H·W·3) or, with a frozen FEM, as features (N·features). */
export interface FrameInput {
    images?: Float32Array;
    features?: Float32Array;
}

/** Frames per forward pass in the array-in, array-out methods. */
const DEFAULT_CHUNK = 64;

export class PersEmonModel {
    readonly spec: ModelSpec;
    readonly input: Size;
    readonly features: number;
    /** K, the segments per personality video the JobSpec samples. */
    readonly segments: number;
    readonly fem: Fem;
    readonly pam: Pam | null;
    readonly eam: Eam | null;
    readonly ram: Ram | null;
    readonly discriminator: Discriminator | null;

    constructor(options: ModelOptions) {
        const spec = options.model;
        if (spec.fem.family !== 'sphereface') throw new Error(`model.fem.family: unknown family '${spec.fem.family}'`);
        this.spec = spec;
        this.input = spec.fem.input;
        this.features = spec.fem.features;
        this.segments = options.sampling.segments;
        const random = (module: ModuleName) => moduleRandom(options.seed, module);
        this.fem = new Fem(spec.fem, random('fem'));
        this.pam = spec.pam.enabled ? new Pam(spec.pam, this.features, random('pam')) : null;
        this.eam = spec.eam.enabled || spec.ram.enabled ? new Eam(this.features, random('eam')) : null;
        this.ram = spec.ram.enabled ? new Ram(spec.ram, random('ram')) : null;
        this.discriminator = spec.coherence.enabled ? new Discriminator(this.features, random('coherence')) : null;
    }

    /** Builds the model and, when the JobSpec names one, loads FEM's initial weights file. */
    static async create(options: ModelOptions): Promise<PersEmonModel> {
        const model = new PersEmonModel(options);
        const init = options.model.fem.init;
        if (init !== null) {
            try {
                model.fem.load(await readFemInit(init), init);
            } catch (e) {
                model.dispose();
                throw e;
            }
        }
        return model;
    }

    /** Every module's parameters, trainable or not. */
    moduleParams(): Record<ModuleName, Param[]> {
        return {
            fem: this.fem.params,
            pam: this.pam?.params ?? [],
            eam: this.eam?.params ?? [],
            ram: this.ram?.params ?? [],
            coherence: this.discriminator?.params ?? []
        };
    }

    params(): Param[] {
        return MODULES.flatMap((m) => this.moduleParams()[m]);
    }

    /** What the network step trains: FEM (unless frozen), PAM, EAM, RAM. */
    networkParams(): Param[] {
        const m = this.moduleParams();
        return [...(this.fem.frozen ? [] : m.fem), ...m.pam, ...m.eam, ...m.ram];
    }

    /** What the discriminator step trains. */
    discriminatorParams(): Param[] {
        return this.moduleParams().coherence;
    }

    parameterCounts(): ParameterCounts {
        const m = this.moduleParams();
        const counts = {
            fem: this.fem.frozen ? 0 : countParams(m.fem),
            pam: countParams(m.pam),
            eam: countParams(m.eam),
            ram: countParams(m.ram),
            coherence: countParams(m.coherence)
        };
        return { ...counts, total: counts.fem + counts.pam + counts.eam + counts.ram + counts.coherence };
    }

    /** Frames in an input. */
    frameCount(input: FrameInput): number {
        if (input.features) return input.features.length / this.features;
        if (input.images) return input.images.length / (this.input.height * this.input.width * 3);
        throw new Error('frames given neither as images nor as features');
    }

    /** FEM features [count, features] of frames [start, start + count) of `input`, as a tensor. */
    featuresOf(input: FrameInput, start: number, count: number): tf.Tensor2D {
        if (input.features) {
            const f = this.features;
            return tf.tensor2d(input.features.subarray(start * f, (start + count) * f), [count, f]);
        }
        const images = input.images;
        if (!images) throw new Error('frames given neither as images nor as features');
        const { height, width } = this.input;
        const pixels = height * width * 3;
        return tf.tidy(() => this.fem.apply(tf.tensor4d(images.subarray(start * pixels, (start + count) * pixels), [count, height, width, 3])));
    }

    /** FEM features of N images (N·features values), `chunk` images per pass; for caching with a frozen FEM. */
    extractFeatures(images: Float32Array, chunk = DEFAULT_CHUNK): Float32Array {
        return this.mapFrames({ images }, chunk, this.features, (f) => f);
    }

    /** EAM's [arousal, valence] for each frame (N·2 values). */
    predictEmotion(input: FrameInput, chunk = DEFAULT_CHUNK): Float32Array {
        const eam = this.eam;
        if (!eam) throw new Error('EAM is off in this model');
        return this.mapFrames(input, chunk, EMOTION_COUNT, (f) => eam.apply(f));
    }

    /**
     * PAM's and RAM's traits (videos·5 values each; null for a module that is off) for videos of
     * `segments` frames each, video-major; a still image is a video with one segment.
     */
    predictPersonality(input: FrameInput, segments: number = this.segments, chunk = DEFAULT_CHUNK): { pam: Float32Array | null; ram: Float32Array | null } {
        const videos = this.frameCount(input) / segments;
        if (!Number.isInteger(videos)) throw new Error(`${this.frameCount(input)} frames are not whole videos of ${segments} segments`);
        const perPass = Math.max(1, Math.floor(chunk / segments));
        const run = (module: (f: tf.Tensor2D, v: number) => tf.Tensor2D): Float32Array => {
            const out = new Float32Array(videos * TRAIT_COUNT);
            for (let v = 0; v < videos; v += perPass) {
                const n = Math.min(perPass, videos - v);
                const values = tf.tidy(() => module(this.featuresOf(input, v * segments, n * segments), n).dataSync());
                out.set(values, v * TRAIT_COUNT);
            }
            return out;
        };
        const pam = this.pam;
        const eam = this.eam;
        const ram = this.ram;
        return {
            pam: pam ? run((f, v) => pam.apply(f, v)) : null,
            ram: ram && eam ? run((f, v) => ram.apply(eam.apply(f), v)) : null
        };
    }

    private mapFrames(input: FrameInput, chunk: number, width: number, head: (f: tf.Tensor2D) => tf.Tensor2D): Float32Array {
        const count = this.frameCount(input);
        const out = new Float32Array(count * width);
        for (let start = 0; start < count; start += chunk) {
            const n = Math.min(chunk, count - start);
            out.set(tf.tidy(() => head(this.featuresOf(input, start, n)).dataSync()), start * width);
        }
        return out;
    }

    /** Every parameter's values, named as in weights files. */
    getWeights(): NamedArray[] {
        return this.params().map((p) => ({ name: p.name, shape: [...p.variable.shape], values: new Float32Array(p.variable.dataSync()) }));
    }

    /** Restores every parameter from `tensors` (extra tensors are ignored); `source` names them in errors. */
    setWeights(tensors: readonly NamedArray[], source = 'weights'): void {
        assignParams(this.params(), tensors, source);
    }

    /** FEM's parameters from `tensors` (a FEM init file or another run's checkpoint). */
    loadFem(tensors: readonly NamedArray[], source = 'weights'): void {
        assignParams(this.fem.params, tensors, source);
    }

    dispose(): void {
        tf.dispose(this.params().map((p) => p.variable));
    }
}
