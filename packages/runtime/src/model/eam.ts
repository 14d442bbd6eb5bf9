/**
 * EAM, the emotion analysis module (eq. 4): FC 2 + tanh on each frame's FEM feature, giving
 * [arousal, valence] in [-1, 1].
 */
import * as tf from '@tensorflow/tfjs-core';
import { Dense, ParamScope, type Param } from './layers.js';
import type { Random } from '../util/random.js';

/** Output order: arousal, valence (EMOTIONS in @persemon/language). */
export const EMOTION_COUNT = 2;

export class Eam {
    readonly params: Param[];
    private readonly fc: Dense;

    constructor(features: number, random: Random) {
        const scope = new ParamScope('eam', random);
        this.fc = new Dense(scope, 'fc', features, EMOTION_COUNT);
        this.params = scope.params;
    }

    /** [N, features] -> [N, 2]. */
    apply(features: tf.Tensor2D): tf.Tensor2D {
        return tf.tanh(this.fc.apply(features));
    }
}
