/**
 * The segmental consensus G (eq. 1, 11): combines a video's K per-frame vectors into one.
 * average and max work on the vectors themselves (TSN); lstm runs an LSTM over the K vectors and
 * averages its outputs over time (section 4.6.2), so its output has the LSTM's hidden size.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ConsensusSpec } from '@persemon/language';
import type { ParamScope } from './layers.js';
import { Lstm } from './lstm.js';

export class Consensus {
    /** Width of the combined vector. */
    readonly outputs: number;
    readonly lstm: Lstm | null;

    constructor(readonly spec: ConsensusSpec, scope: ParamScope, inputs: number) {
        this.lstm = spec.kind === 'lstm' ? new Lstm(scope, 'lstm', inputs, spec.hidden) : null;
        this.outputs = this.lstm ? spec.hidden : inputs;
    }

    /** [V, K, D] -> [V, outputs]. */
    apply(frames: tf.Tensor3D): tf.Tensor2D {
        if (this.lstm) return tf.mean(this.lstm.apply(frames), 1);
        return this.spec.kind === 'max' ? tf.max(frames, 1) : tf.mean(frames, 1);
    }
}
