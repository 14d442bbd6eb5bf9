/**
 * One training iteration of PersEmoN: the alternating update of section 3.3 on eq. 13.
 *
 * 1. Discriminator step: FEM features of every frame are computed with FEM fixed (a forward pass
 *    without gradients), and only the discriminator is updated, on λ3·L_D.
 * 2. Network step: FEM (unless frozen), PAM, EAM and RAM are updated on
 *    λ1·L_per + λ2·L_emo + λ4·L_adv + λ5·L_RAM, with the discriminator (already updated) fixed.
 * With coherence on and FEM trained, each iteration therefore runs FEM forward twice.
 *
 * Micro-batches: a batch of more than `microBatch` images is split (whole personality videos, so the
 * consensus sees all K frames; emotion frames in any grouping), each part's losses are normalised by
 * the whole batch's counts, and the gradients are summed before one update. Nothing in the network
 * depends on other images of the batch (no batch normalisation), so the update equals the whole
 * batch's up to float rounding. micro-batch.ts plans the passes.
 *
 * A term that is NaN or infinite is reported in `nonFinite`; no update is made from it: the
 * discriminator is updated only when L_D is finite, the network only when all its terms are.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { JobSpec, LossSpec } from '@persemon/language';
import { EMOTION_DATASET, PERSONALITY_DATASET } from '../model/coherence.js';
import { EMOTION_COUNT } from '../model/eam.js';
import { TRAIT_COUNT } from '../model/pam.js';
import type { FrameInput, PersEmonModel } from '../model/persemon-model.js';
import './gradients.js';
import { planChunks, type Chunk } from './micro-batch.js';
import {
    adversarialLoss, discriminatorLoss, lossWeight, nonFiniteTerms, regressionLoss, totalLoss,
    type LossTerm, type LossValues
} from './losses.js';
import type { Optimizer } from './optimizer.js';

export interface EmotionBatch extends FrameInput {
    /** N·2 labels, [arousal, valence] per frame. */
    labels: Float32Array;
}

export interface PersonalityBatch extends FrameInput {
    /** V·5 labels in TRAITS order. */
    labels: Float32Array;
    /** K: frames per video; frames are video-major (video 0's K frames, then video 1's, ...). */
    segments: number;
}

/** One iteration's data; frames as images, or as cached features when FEM is frozen. */
export interface TrainBatch {
    emotion?: EmotionBatch;
    personality?: PersonalityBatch;
}

export interface Optimizers {
    network: Optimizer;
    /** Required when the discriminator loss is on. */
    discriminator: Optimizer | null;
}

export interface StepOptions {
    /** This iteration's learning rate (schedule.ts), for both optimisers. */
    lr: number;
    /** Most images per forward/backward pass (autoMicroBatch, or the JobSpec's number). */
    microBatch: number;
}

export interface StepResult {
    loss: LossValues;
    /** Terms that were NaN or infinite (empty when all were finite). */
    nonFinite: LossTerm[];
    /** Frames in the batch. */
    images: number;
}

/** Gradients keyed by parameter name. */
export type Gradients = Map<string, tf.Tensor>;

/** Which terms of eq. 13 this model, batch and λs compute; the others are 0 and not computed. */
export function activeTerms(model: PersEmonModel, batch: TrainBatch, loss: LossSpec): Record<LossTerm, boolean> {
    const emotion = (batch.emotion?.labels.length ?? 0) > 0;
    const personality = (batch.personality?.labels.length ?? 0) > 0;
    const coherence = model.discriminator !== null && (emotion || personality);
    return {
        per: model.pam !== null && loss.lambda1 > 0 && personality,
        emo: model.eam !== null && model.spec.eam.enabled && loss.lambda2 > 0 && emotion,
        d: coherence && loss.lambda3 > 0,
        adv: coherence && loss.lambda4 > 0,
        ram: model.ram !== null && loss.lambda5 > 0 && personality
    };
}

export function trainStep(model: PersEmonModel, optimizers: Optimizers, batch: TrainBatch,
                          spec: Pick<JobSpec, 'loss'>, options: StepOptions): StepResult {
    const terms = activeTerms(model, batch, spec.loss);
    if (terms.d && !optimizers.discriminator) throw new Error('the discriminator loss is on but no discriminator optimiser was given');
    const data = prepare(model, batch, options.microBatch);
    const values: Record<LossTerm, number> = { per: 0, emo: 0, d: 0, adv: 0, ram: 0 };
    if (terms.d && optimizers.discriminator) {
        const d = discriminatorPass(model, data, spec.loss, options.microBatch);
        values.d = d.value;
        if (Number.isFinite(d.value)) optimizers.discriminator.apply(d.grads, options.lr);
        tf.dispose([...d.grads.values()]);
    }
    const net = networkPass(model, data, spec.loss, terms, options.microBatch);
    Object.assign(values, net.values);
    const nonFinite = nonFiniteTerms(values);
    if (net.grads.size > 0 && !nonFinite.some((t) => t !== 'd')) optimizers.network.apply(net.grads, options.lr);
    tf.dispose([...net.grads.values()]);
    return { loss: totalLoss(values, spec.loss), nonFinite, images: data.emotionCount + data.videos * data.segments };
}

/**
 * The network step's gradients (summed over micro-batches) and term values, without updating
 * anything; the caller disposes the gradients.
 */
export function networkGradients(model: PersEmonModel, batch: TrainBatch, loss: LossSpec,
                                 microBatch = Number.POSITIVE_INFINITY): { grads: Gradients; values: Record<LossTerm, number> } {
    const net = networkPass(model, prepare(model, batch, microBatch), loss, activeTerms(model, batch, loss), microBatch);
    return { grads: net.grads, values: { ...net.values, d: 0 } };
}

/** A batch checked and, with a frozen FEM, turned into features. */
interface Prepared {
    kind: 'images' | 'features';
    /** Values per frame. */
    width: number;
    emotion: Float32Array | null;
    emotionLabels: Float32Array;
    emotionCount: number;
    personality: Float32Array | null;
    personalityLabels: Float32Array;
    videos: number;
    segments: number;
}

function prepare(model: PersEmonModel, batch: TrainBatch, microBatch: number): Prepared {
    const frozen = model.fem.frozen;
    const pixels = model.input.height * model.input.width * 3;
    const frames = (input: FrameInput | undefined, count: number, what: string): Float32Array | null => {
        if (!input || count === 0) return null;
        if (input.features && !frozen) throw new Error(`${what}: features instead of images need a frozen FEM`);
        const data = frozen && !input.features ? model.extractFeatures(input.images ?? new Float32Array(0), microBatch) : input.features ?? input.images;
        const width = frozen ? model.features : pixels;
        if (!data || data.length !== count * width) {
            throw new Error(`${what}: expected ${count} frames of ${width} values, got ${data?.length ?? 0} values`);
        }
        return data;
    };
    const emotionLabels = batch.emotion?.labels ?? new Float32Array(0);
    const personalityLabels = batch.personality?.labels ?? new Float32Array(0);
    const emotionCount = emotionLabels.length / EMOTION_COUNT;
    const videos = personalityLabels.length / TRAIT_COUNT;
    const segments = batch.personality?.segments ?? model.segments;
    if (!Number.isInteger(emotionCount) || !Number.isInteger(videos)) throw new Error('labels: emotion needs 2 values a frame, personality 5 a video');
    return {
        kind: frozen ? 'features' : 'images',
        width: frozen ? model.features : pixels,
        emotion: frames(batch.emotion, emotionCount, 'emotion batch'),
        emotionLabels,
        emotionCount,
        personality: frames(batch.personality, videos * segments, 'personality batch'),
        personalityLabels,
        videos,
        segments
    };
}

/** FEM features of a chunk's frames: its emotion frames first, then its videos' frames. */
function chunkFeatures(model: PersEmonModel, data: Prepared, c: Chunk): tf.Tensor2D {
    const { width, segments } = data;
    const parts: Float32Array[] = [];
    if (c.e1 > c.e0 && data.emotion) parts.push(data.emotion.subarray(c.e0 * width, c.e1 * width));
    if (c.v1 > c.v0 && data.personality) parts.push(data.personality.subarray(c.v0 * segments * width, c.v1 * segments * width));
    let values = parts[0];
    if (parts.length > 1) {
        values = new Float32Array(parts[0].length + parts[1].length);
        values.set(parts[0]);
        values.set(parts[1], parts[0].length);
    }
    const input: FrameInput = data.kind === 'features' ? { features: values } : { images: values };
    return model.featuresOf(input, 0, values.length / width);
}

function discriminatorPass(model: PersEmonModel, data: Prepared, loss: LossSpec, microBatch: number): { grads: Gradients; value: number } {
    const discriminator = model.discriminator!;
    const chunks = planChunks(data.emotionCount, data.videos, data.segments, microBatch);
    const labels: number[] = [];
    const parts = chunks.map((c) => {
        for (let i = c.e0; i < c.e1; i++) labels.push(EMOTION_DATASET);
        for (let i = c.v0 * data.segments; i < c.v1 * data.segments; i++) labels.push(PERSONALITY_DATASET);
        return tf.tidy(() => chunkFeatures(model, data, c));
    });
    const features = tf.concat(parts);
    tf.dispose(parts);
    const kept: tf.Scalar[] = [];
    const { value, grads } = tf.variableGrads(() => {
        const lossD = tf.keep(discriminatorLoss(discriminator.logits(features), labels));
        kept.push(lossD);
        return tf.mul(lossD, loss.lambda3);
    }, model.discriminatorParams().map((p) => p.variable));
    const result = { grads: byParamName(model, grads), value: kept[0].dataSync()[0] };
    tf.dispose([features, value, ...kept]);
    return result;
}

type NetworkTerm = Exclude<LossTerm, 'd'>;

function networkPass(model: PersEmonModel, data: Prepared, loss: LossSpec, terms: Record<LossTerm, boolean>,
                     microBatch: number): { grads: Gradients; values: Record<NetworkTerm, number> } {
    const names: NetworkTerm[] = ['per', 'emo', 'adv', 'ram'];
    const grads: Gradients = new Map();
    if (!names.some((t) => terms[t])) return { grads, values: { per: 0, emo: 0, adv: 0, ram: 0 } };
    const { pam, eam, ram, discriminator } = model;
    const emotionCount = terms.emo || terms.adv ? data.emotionCount : 0;
    const videos = terms.per || terms.ram || terms.adv ? data.videos : 0;
    const K = data.segments;
    const frames = emotionCount + videos * K;
    const vars = model.networkParams().map((p) => p.variable);
    let sums = tf.zeros([names.length]);
    for (const c of planChunks(emotionCount, videos, K, microBatch)) {
        const nE = c.e1 - c.e0;
        const nV = c.v1 - c.v0;
        const on: Record<NetworkTerm, boolean> = {
            per: terms.per && nV > 0, emo: terms.emo && nE > 0, adv: terms.adv, ram: terms.ram && nV > 0
        };
        const kept: tf.Tensor1D[] = [];
        const objective = (): tf.Scalar => {
            const f = chunkFeatures(model, data, c);
            const fE = nE > 0 ? tf.slice(f, [0, 0], [nE, -1]) : null;
            const fP = nV > 0 ? tf.slice(f, [nE, 0], [nV * K, -1]) : null;
            const traits = () => tf.tensor2d(data.personalityLabels.subarray(c.v0 * TRAIT_COUNT, c.v1 * TRAIT_COUNT), [nV, TRAIT_COUNT]);
            const term: Record<NetworkTerm, tf.Scalar> = {
                per: on.per ? regressionLoss(traits(), pam!.apply(fP!, nV), loss.margin, data.videos) : tf.scalar(0),
                emo: on.emo
                    ? regressionLoss(tf.tensor2d(data.emotionLabels.subarray(c.e0 * EMOTION_COUNT, c.e1 * EMOTION_COUNT), [nE, EMOTION_COUNT]),
                                     eam!.apply(fE!), loss.margin, data.emotionCount)
                    : tf.scalar(0),
                adv: on.adv ? adversarialLoss(discriminator!.logits(f), frames) : tf.scalar(0),
                ram: on.ram ? regressionLoss(traits(), ram!.apply(eam!.apply(fP!), nV), loss.margin, data.videos) : tf.scalar(0)
            };
            kept.push(tf.keep(tf.stack(names.map((t) => term[t])) as tf.Tensor1D));
            return tf.addN(names.map((t) => tf.mul(term[t], lossWeight(t, loss)))) as tf.Scalar;
        };
        // L_adv alone reaches no trainable parameter when FEM is frozen: only its value is needed.
        if (on.per || on.emo || on.ram || (on.adv && !model.fem.frozen)) {
            const result = tf.variableGrads(objective, vars);
            result.value.dispose();
            for (const [name, g] of byParamName(model, result.grads)) {
                const prev = grads.get(name);
                grads.set(name, prev ? tf.add(prev, g) : g);
                if (prev) tf.dispose([prev, g]);
            }
        } else {
            tf.tidy(objective).dispose();
        }
        const next = tf.add(sums, kept[0]);
        tf.dispose([sums, ...kept]);
        sums = next;
    }
    const v = sums.dataSync();
    sums.dispose();
    return { grads, values: { per: v[0], emo: v[1], adv: v[2], ram: v[3] } };
}

function byParamName(model: PersEmonModel, grads: tf.NamedTensorMap): Gradients {
    const names = new Map(model.params().map((p) => [p.variable.name, p.name]));
    return new Map(Object.entries(grads).map(([variable, g]) => [names.get(variable)!, g]));
}
