/**
 * Named parameters with seeded initial values, and the three layers the modules are built from
 * (3x3 convolution, fully connected, PReLU). Every module owns its parameters as plain tfjs variables
 * so that freezing, the alternating update, gradient accumulation and checkpoints stay explicit.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../util/random.js';
import { FNV_OFFSET, seedHash } from '../util/seed-hash.js';
import type { NamedArray } from './weights.js';

/** One named tensor of a module. */
export interface Param {
    /** Stable name `<module>/<layer>/<kind>`: the key in weights files, checkpoints and optimiser state. */
    readonly name: string;
    /** Trained unless `variable.trainable` is false (a frozen module, a bias SphereFace fixes). */
    readonly variable: tf.Variable;
    /**
     * Whether weight decay applies: to weights and PReLU slopes, not to biases. SphereFace's prototxt
     * gives biases decay_mult 0 and its PReLU layers no param block, so Caffe decays their slopes.
     */
    readonly decay: boolean;
}

/** Number of trained values in a list of parameters. */
export function countParams(params: readonly Param[]): number {
    return params.reduce((sum, p) => sum + (p.variable.trainable ? p.variable.size : 0), 0);
}

/**
 * Sets every parameter from the tensor of its name (extra tensors are ignored); nothing is assigned
 * unless all are there with the right shapes. `source` names the tensors in errors.
 */
export function assignParams(params: readonly Param[], tensors: readonly NamedArray[], source: string): void {
    const byName = new Map(tensors.map((t) => [t.name, t]));
    const missing = params.filter((p) => !byName.has(p.name)).map((p) => p.name);
    if (missing.length > 0) {
        const more = missing.length > 3 ? ` and ${missing.length - 3} more` : '';
        throw new Error(`${source}: no tensor named ${missing.slice(0, 3).join(', ')}${more}`);
    }
    for (const p of params) {
        const t = byName.get(p.name)!;
        if (t.shape.join(',') !== p.variable.shape.join(',')) {
            throw new Error(`${source}: tensor ${p.name} has shape [${t.shape}], this model needs [${p.variable.shape}]`);
        }
    }
    for (const p of params) {
        const t = byName.get(p.name)!;
        tf.tidy(() => p.variable.assign(tf.tensor(t.values.slice(), t.shape, 'float32')));
    }
}

/**
 * The generator a module draws its initial values from: derived from the run's seed and the module's
 * name, so that switching one module on or off does not change the others' initial values.
 */
export function moduleRandom(seed: number, module: string): Random {
    return new Random(seedHash(module, FNV_OFFSET ^ (seed >>> 0)));
}

/** Collects a module's parameters under one name prefix and creates them from one generator. */
export class ParamScope {
    readonly params: Param[] = [];

    constructor(
        readonly prefix: string,
        readonly random: Random,
        readonly trainable = true
    ) {}

    /** `trainable` false fixes this one parameter in a scope that trains. */
    add(name: string, shape: number[], values: Float32Array, decay: boolean, trainable = true): tf.Variable {
        const variable = tf.variable(tf.tensor(values, shape, 'float32'), this.trainable && trainable);
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

/** A convolution's bias: trained, held at its initial 0 (Caffe's lr_mult 0), or none. */
export type ConvBias = 'trainable' | 'fixed' | 'none';

/**
 * 3x3 convolution with padding 1, as SphereFace's. At stride 1 that is 'same'. At stride 2 on an even
 * input it is not (tfjs's 'same' pads only at the bottom/right); a numeric pad would express it, but
 * the native TensorFlow engine accepts only 'valid' and 'same', so the input is padded explicitly and
 * convolved 'valid', which every backend runs. Weights are [3, 3, in, out] (HWIO).
 */
export class Conv3x3 {
    readonly weight: tf.Variable;
    readonly bias: tf.Variable | null;

    constructor(scope: ParamScope, name: string, inChannels: number, outChannels: number,
                readonly stride: 1 | 2, filler: ConvFiller, bias: ConvBias) {
        const count = 9 * inChannels * outChannels;
        const values = filler.kind === 'xavier' ? scope.xavier(count, 9 * inChannels) : scope.gaussian(count, filler.std);
        this.weight = scope.add(`${name}/weight`, [3, 3, inChannels, outChannels], values, true);
        this.bias = bias === 'none' ? null : scope.add(`${name}/bias`, [outChannels], new Float32Array(outChannels), false, bias === 'trainable');
    }

    apply(x: tf.Tensor4D): tf.Tensor4D {
        const y = this.stride === 1
            ? tf.conv2d(x, this.weight as tf.Tensor4D, 1, 'same')
            : tf.conv2d(tf.pad(x, SYMMETRIC_PAD_1), this.weight as tf.Tensor4D, 2, 'valid');
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

/** Channel-wise PReLU with slopes initialised to 0.25 and decayed (Caffe's PReLU defaults, as SphereFace). */
export class PRelu {
    readonly alpha: tf.Variable;

    constructor(scope: ParamScope, name: string, channels: number) {
        this.alpha = scope.add(`${name}/alpha`, [channels], new Float32Array(channels).fill(0.25), true);
    }

    apply<T extends tf.Tensor>(x: T): T {
        return tf.prelu(x as tf.Tensor, this.alpha as tf.Tensor) as T;
    }
}
