/**
 * Named parameters with seeded initial values, and the three layers the modules are built from
 * (3x3 convolution, fully connected, PReLU). Every module owns its parameters as plain tfjs variables
 * so that freezing, the alternating update, gradient accumulation and checkpoints stay explicit.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../util/random.js';

/** One named tensor of a module. */
export interface Param {
    /** Stable name `<module>/<layer>/<kind>`: the key in weights files, checkpoints and optimiser state. */
    readonly name: string;
    readonly variable: tf.Variable;
    /** Whether weight decay applies: to weights, not to biases or PReLU slopes (SphereFace: decay_mult 0). */
    readonly decay: boolean;
}

/** Total number of values in a list of parameters. */
export function countParams(params: readonly Param[]): number {
    return params.reduce((sum, p) => sum + p.variable.size, 0);
}

/**
 * The generator a module draws its initial values from: derived from the run's seed and the module's
 * name, so that switching one module on or off does not change the others' initial values.
 */
export function moduleRandom(seed: number, module: string): Random {
    let h = 0x811c9dc5 ^ (seed >>> 0);
    for (const ch of module) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    return new Random(h);
}

/** Collects a module's parameters under one name prefix and creates them from one generator. */
export class ParamScope {
    readonly params: Param[] = [];

    constructor(
        readonly prefix: string,
        readonly random: Random,
        readonly trainable = true
    ) {}

    add(name: string, shape: number[], values: Float32Array, decay: boolean): tf.Variable {
        const variable = tf.variable(tf.tensor(values, shape, 'float32'), this.trainable);
        this.params.push({ name: `${this.prefix}/${name}`, variable, decay });
        return variable;
    }

    /**
     * Caffe's XavierFiller (variance_norm FAN_IN), which SphereFace used for its stride-2 convolutions
     * and fc5: uniform in ±sqrt(3 / fanIn).
     */
    xavier(count: number, fanIn: number): Float32Array {
        const limit = Math.sqrt(3 / fanIn);
        const values = new Float32Array(count);
        for (let i = 0; i < count; i++) values[i] = (2 * this.random.next() - 1) * limit;
        return values;
    }

    /** Caffe's GaussianFiller, which SphereFace used (std 0.01) for the residual units' convolutions. */
    gaussian(count: number, std: number): Float32Array {
        const values = new Float32Array(count);
        for (let i = 0; i < count; i++) values[i] = this.random.normal() * std;
        return values;
    }
}

const SYMMETRIC_PAD_1: Array<[number, number]> = [[0, 0], [1, 1], [1, 1], [0, 0]];

export type ConvFiller = { kind: 'xavier' } | { kind: 'gaussian'; std: number };

/**
 * 3x3 convolution with padding 1, as SphereFace's: for a stride-2 layer on an even input this is not
 * tfjs's 'same' (which pads only at the bottom/right). A numeric pad expresses it, but the native
 * TensorFlow engine accepts only 'valid' and 'same'; so the input is padded explicitly and convolved
 * 'valid', which every backend runs. Weights are [3, 3, in, out] (HWIO).
 */
export class Conv3x3 {
    readonly weight: tf.Variable;
    readonly bias: tf.Variable | null;

    constructor(scope: ParamScope, name: string, inChannels: number, outChannels: number,
                readonly stride: 1 | 2, filler: ConvFiller, withBias: boolean) {
        const count = 9 * inChannels * outChannels;
        const values = filler.kind === 'xavier' ? scope.xavier(count, 9 * inChannels) : scope.gaussian(count, filler.std);
        this.weight = scope.add(`${name}/weight`, [3, 3, inChannels, outChannels], values, true);
        this.bias = withBias ? scope.add(`${name}/bias`, [outChannels], new Float32Array(outChannels), false) : null;
    }

    apply(x: tf.Tensor4D): tf.Tensor4D {
        const padded = tf.pad(x, SYMMETRIC_PAD_1);
        const y = tf.conv2d(padded, this.weight as tf.Tensor4D, this.stride, 'valid');
        return this.bias ? tf.add(y, this.bias) : y;
    }
}

/** Fully connected layer, weights [in, out], Xavier-initialised (Caffe's InnerProduct default here), bias 0. */
export class Dense {
    readonly weight: tf.Variable;
    readonly bias: tf.Variable;

    constructor(scope: ParamScope, name: string, readonly inputs: number, readonly outputs: number) {
        this.weight = scope.add(`${name}/weight`, [inputs, outputs], scope.xavier(inputs * outputs, inputs), true);
        this.bias = scope.add(`${name}/bias`, [outputs], new Float32Array(outputs), false);
    }

    apply(x: tf.Tensor2D): tf.Tensor2D {
        return tf.add(tf.matMul(x, this.weight as tf.Tensor2D), this.bias);
    }
}

/** Channel-wise PReLU with slopes initialised to 0.25 (Caffe's PReLU default, as SphereFace). */
export class PRelu {
    readonly alpha: tf.Variable;

    constructor(scope: ParamScope, name: string, channels: number) {
        this.alpha = scope.add(`${name}/alpha`, [channels], new Float32Array(channels).fill(0.25), false);
    }

    apply<T extends tf.Tensor>(x: T): T {
        return tf.prelu(x as tf.Tensor, this.alpha as tf.Tensor) as T;
    }
}
