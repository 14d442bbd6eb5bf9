/**
 * The losses of eq. 2-13.
 *
 * Normalisation (the paper writes plain sums over the batch): the regression losses L_per (eq. 2),
 * L_emo (eq. 5) and L_RAM (eq. 12) are summed over the outputs (5 traits, or arousal and valence)
 * and averaged over the batch's videos (L_per, L_RAM) or emotion frames (L_emo). L_D (eq. 6-8) and
 * L_adv are the two-class cross-entropy of each frame, averaged over all frames of the batch
 * (personality videos' K frames and emotion frames together). Every function takes that batch-wide
 * count as `normaliser`, so the losses of micro-batches add up to the whole batch's.
 *
 * Smooth-L1 with margin m is the form Caffe's SmoothL1 layer computes, which the paper ran:
 * 0.5·x²/m where |x| < m, |x| − 0.5·m elsewhere (PyTorch's smooth_l1_loss with beta = m). It equals
 * eq. 3 at m = 1; eq. 3 as printed (0.5·x² and |x| − 0.5) is discontinuous for m ≠ 1.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LossSpec } from '@persemon/language';
import { LOGGED_LOSS_TERMS } from '../events.js';

/** The terms of eq. 13: what a `train` event logs, less their weighted `total`. */
export type LossTerm = Exclude<(typeof LOGGED_LOSS_TERMS)[number], 'total'>;
export const LOSS_TERMS: readonly LossTerm[] = LOGGED_LOSS_TERMS.filter((term): term is LossTerm => term !== 'total');

/** Unweighted value of each term (0 for a switched-off term) and `total`, eq. 13's weighted sum. */
export type LossValues = Record<LossTerm | 'total', number>;

/** Element-wise smooth-L1 of x with margin m. */
export function smoothL1(x: tf.Tensor, margin: number): tf.Tensor {
    return tf.tidy(() => {
        // With q = min(|x|, m): 0.5·q²/m + (|x| − q) is 0.5·x²/m inside the margin and |x| − 0.5·m outside.
        const a = tf.abs(x);
        const q = tf.minimum(a, margin);
        return tf.add(tf.mul(tf.square(q), 0.5 / margin), tf.sub(a, q));
    });
}

/** Σ smoothL1(truth − prediction) over outputs and rows, divided by `normaliser` (eq. 2, 5, 12). */
export function regressionLoss(truth: tf.Tensor2D, prediction: tf.Tensor2D, margin: number,
                               normaliser: number = truth.shape[0]): tf.Scalar {
    return tf.tidy(() => tf.div(tf.sum(smoothL1(tf.sub(truth, prediction), margin)), normaliser));
}

/** L_D (eq. 6-8): cross-entropy of each row's true dataset (class index) under softmax(logits). */
export function discriminatorLoss(logits: tf.Tensor2D, labels: readonly number[],
                                  normaliser: number = logits.shape[0]): tf.Scalar {
    return tf.tidy(() => {
        const target = tf.oneHot(tf.tensor1d([...labels], 'int32'), logits.shape[1]);
        return tf.div(tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)))), normaliser);
    });
}

/** L_adv: cross-entropy of softmax(logits) against the uniform distribution over the datasets. */
export function adversarialLoss(logits: tf.Tensor2D, normaliser: number = logits.shape[0]): tf.Scalar {
    return tf.tidy(() => tf.div(tf.neg(tf.sum(tf.logSoftmax(logits))), logits.shape[1] * normaliser));
}

/** λ of each term in eq. 13. */
export function lossWeight(term: LossTerm, loss: LossSpec): number {
    switch (term) {
        case 'per': return loss.lambda1;
        case 'emo': return loss.lambda2;
        case 'd': return loss.lambda3;
        case 'adv': return loss.lambda4;
        case 'ram': return loss.lambda5;
    }
}

/** Eq. 13: λ1·L_per + λ2·L_emo + λ3·L_D + λ4·L_adv + λ5·L_RAM; switched-off terms are 0. */
export function totalLoss(terms: Record<LossTerm, number>, loss: LossSpec): LossValues {
    let total = 0;
    for (const term of LOSS_TERMS) total += lossWeight(term, loss) * terms[term];
    return { ...terms, total };
}

/** The terms whose value is NaN or ±Inf, for the engine's error event. */
export function nonFiniteTerms(values: Record<LossTerm, number>): LossTerm[] {
    return LOSS_TERMS.filter((term) => !Number.isFinite(values[term]));
}
