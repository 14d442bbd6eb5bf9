/**
 * PAM, the personality analysis module (eq. 1): an FC layer gives 5 raw trait scores for each of a
 * video's K frames, the consensus G combines them, and a sigmoid maps the result into [0, 1], as
 * TSN applies G before the final non-linearity. With the lstm consensus (section 4.6.2) the LSTM runs
 * over the K FEM features instead, its outputs are averaged over time, and the FC layer + sigmoid
 * regress the traits from that.
 */
import * as tf from '@tensorflow/tfjs-core';
import { TRAITS, type ModelSpec } from '@persemon/language';
import { Consensus } from './consensus.js';
import { Dense, ParamScope, type Param } from './layers.js';
import type { Random } from '../util/random.js';

export const TRAIT_COUNT = TRAITS.length;

export class Pam {
    readonly params: Param[];
    private readonly consensus: Consensus;
    private readonly fc: Dense;

    constructor(spec: ModelSpec['pam'], features: number, random: Random) {
        const scope = new ParamScope('pam', random);
        if (spec.consensus.kind === 'lstm') {
            this.consensus = new Consensus(spec.consensus, scope, features);
            this.fc = new Dense(scope, 'fc', this.consensus.outputs, TRAIT_COUNT);
        } else {
            this.fc = new Dense(scope, 'fc', features, TRAIT_COUNT);
            this.consensus = new Consensus(spec.consensus, scope, TRAIT_COUNT);
        }
        this.params = scope.params;
    }

    /** [V·K, features] (video-major) -> [V, 5] traits in [0, 1]. */
    apply(features: tf.Tensor2D, videos: number): tf.Tensor2D {
        const segments = features.shape[0] / videos;
        if (this.consensus.lstm) {
            return tf.sigmoid(this.fc.apply(this.consensus.apply(tf.reshape(features, [videos, segments, features.shape[1]]) as tf.Tensor3D)));
        }
        const scores: tf.Tensor3D = tf.reshape(this.fc.apply(features), [videos, segments, TRAIT_COUNT]);
        return tf.sigmoid(this.consensus.apply(scores));
    }
}
