/**
 * Representation coherence (section 3.3): a dataset discriminator D, FC 2 + softmax on FEM features,
 * that tells personality frames (class 0) from emotion frames (class 1). It is trained on L_D
 * (eq. 6-8) while FEM is held fixed, and FEM is trained to confuse it (L_adv) while D is held fixed;
 * the losses are in ../train/losses.ts and the alternation in ../train/step.ts.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { Dense, ParamScope, type Param } from './layers.js';
import type { Random } from '../util/random.js';

export const PERSONALITY_DATASET = 0;
export const EMOTION_DATASET = 1;

export class Discriminator {
    readonly params: Param[];
    private readonly fc: Dense;

    constructor(features: number, random: Random) {
        const scope = new ParamScope('coherence', random);
        this.fc = new Dense(scope, 'fc', features, 2);
        this.params = scope.params;
    }

    /** [N, features] -> [N, 2] logits; the softmax is taken inside the losses. */
    logits(features: tf.Tensor2D): tf.Tensor2D {
        return this.fc.apply(features);
    }
}
