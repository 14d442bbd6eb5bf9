/**
 * RAM, the emotion-to-apparent-personality relationship module (eq. 10-12, section 4.2): EAM's
 * [arousal, valence] on each of a video's K frames are combined by the consensus G (average or max
 * of the 2-d vectors; or an LSTM over the 2-d sequence, averaged over time), then FC hidden + ReLU,
 * FC 5 and a sigmoid give the five traits. It trains end to end: its loss reaches EAM and FEM too.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '@persemon/language';
import { Consensus } from './consensus.js';
import { EMOTION_COUNT } from './eam.js';
import { Dense, ParamScope, type Param } from './layers.js';
import { TRAIT_COUNT } from './pam.js';
import type { Random } from '../util/random.js';

export class Ram {
    readonly params: Param[];
    private readonly consensus: Consensus;
    private readonly hidden: Dense;
    private readonly out: Dense;

    constructor(spec: ModelSpec['ram'], random: Random) {
        const scope = new ParamScope('ram', random);
        this.consensus = new Consensus(spec.consensus, scope, EMOTION_COUNT);
        this.hidden = new Dense(scope, 'fc1', this.consensus.outputs, spec.hidden);
        this.out = new Dense(scope, 'fc2', spec.hidden, TRAIT_COUNT);
        this.params = scope.params;
    }

    /** EAM outputs [V·K, 2] (video-major) -> [V, 5] traits in [0, 1]. */
    apply(emotion: tf.Tensor2D, videos: number): tf.Tensor2D {
        const segments = emotion.shape[0] / videos;
        const pooled = this.consensus.apply(tf.reshape(emotion, [videos, segments, EMOTION_COUNT]));
        return tf.sigmoid(this.out.apply(tf.relu(this.hidden.apply(pooled))));
    }
}
