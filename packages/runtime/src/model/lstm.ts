/**
 * A single-layer LSTM (Hochreiter & Schmidhuber) over a sequence, returning every step's hidden
 * state; the lstm consensus averages them over time (paper section 4.6.2).
 *
 * Gates in the order input, forget, cell, output: z = x_t·W + h_{t-1}·U + b; c_t = σ(f)·c_{t-1} +
 * σ(i)·tanh(g); h_t = σ(o)·tanh(c_t), with h_0 = c_0 = 0. W and U are Xavier-initialised; the bias
 * is 0 except the forget gate's, 1 (Jozefowicz et al. 2015), so early training remembers.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamScope } from './layers.js';

export class Lstm {
    readonly kernel: tf.Variable;
    readonly recurrent: tf.Variable;
    readonly bias: tf.Variable;

    constructor(scope: ParamScope, name: string, readonly inputs: number, readonly hidden: number) {
        const gates = 4 * hidden;
        this.kernel = scope.add(`${name}/kernel`, [inputs, gates], scope.xavier(inputs * gates, inputs), true);
        this.recurrent = scope.add(`${name}/recurrent`, [hidden, gates], scope.xavier(hidden * gates, hidden), true);
        const bias = new Float32Array(gates);
        bias.fill(1, hidden, 2 * hidden);
        this.bias = scope.add(`${name}/bias`, [gates], bias, false);
    }

    /** [B, T, inputs] -> [B, T, hidden]. */
    apply(sequence: tf.Tensor3D): tf.Tensor3D {
        const [batch, steps] = sequence.shape;
        // One matmul for every step's input projection; only the recurrent part is sequential.
        const projected = tf.reshape(
            tf.add(tf.matMul(tf.reshape(sequence, [batch * steps, this.inputs]), this.kernel as tf.Tensor2D), this.bias),
            [batch, steps, 4 * this.hidden]
        );
        const inputs = tf.unstack(projected, 1) as tf.Tensor2D[];
        let h: tf.Tensor2D = tf.zeros([batch, this.hidden]);
        let c: tf.Tensor2D = tf.zeros([batch, this.hidden]);
        const outputs: tf.Tensor2D[] = [];
        for (const x of inputs) {
            const z = tf.add(x, tf.matMul(h, this.recurrent as tf.Tensor2D));
            const [i, f, g, o] = tf.split(z, 4, 1) as tf.Tensor2D[];
            c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
            h = tf.mul(tf.sigmoid(o), tf.tanh(c));
            outputs.push(h);
        }
        return tf.stack(outputs, 1) as tf.Tensor3D;
    }
}
