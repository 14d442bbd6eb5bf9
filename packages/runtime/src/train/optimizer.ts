/**
 * Optimisers over an explicit list of parameters; the network and the discriminator each get their
 * own instance (the alternating update of section 3.3).
 *
 * SGD follows Caffe's solver, which the paper ran: v ← μ·v + lr·(g + wd·w); w ← w − v. The learning
 * rate is inside the momentum buffer (PyTorch instead keeps v ← μ·v + g and steps by lr·v; the two
 * differ only when the learning rate changes). Weight decay is L2, added to the gradient.
 *
 * Adam (Kingma & Ba, bias-corrected) with decoupled weight decay (AdamW, Loshchilov & Hutter):
 * w ← w − lr·(m̂ / (√v̂ + ε) + wd·w), so the decay is not rescaled by the adaptive denominator.
 *
 * Weight decay applies to weights (convolution kernels, fully connected and LSTM matrices) and to
 * PReLU slopes, not to biases (Param.decay), as in SphereFace's prototxt: biases have decay_mult 0,
 * and its PReLU layers have no param block, so Caffe decays their slopes with decay_mult 1. Caffe's
 * SphereFace also doubled the biases' learning rate (lr_mult 2); that is not reproduced: every
 * trained parameter shares lr. A parameter whose variable is not trainable (SphereFace's fixed
 * residual biases) gets no gradient, and without decay it never moves.
 *
 * A parameter without a gradient in a step (e.g. PAM in a batch without personality videos) is
 * updated with a zero gradient: its momentum and weight decay still act, as in Caffe.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerSpec } from '@persemon/language';
import type { Param } from '../model/layers.js';
import type { NamedArray } from '../model/weights.js';

export interface Optimizer {
    readonly params: readonly Param[];
    /** One update from gradients keyed by parameter name, at learning rate `lr`. Disposes nothing it was given. */
    apply(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void;
    /** Momentum buffers / moments (named `<param>/<buffer>`) and the step count (`<prefix>step`). */
    getState(): NamedArray[];
    setState(state: readonly NamedArray[]): void;
    dispose(): void;
}

/** `prefix` keeps two optimisers' state names apart when they share a checkpoint file. */
export function createOptimizer(spec: OptimizerSpec, params: readonly Param[], prefix = ''): Optimizer {
    return spec.kind === 'sgd'
        ? new Sgd(params, spec.momentum, spec.weightDecay, prefix)
        : new Adam(params, spec.beta1, spec.beta2, spec.epsilon, spec.weightDecay, prefix);
}

abstract class BufferedOptimizer implements Optimizer {
    protected steps = 0;
    /** Per buffer kind, one zero-initialised variable per parameter. */
    protected readonly buffers = new Map<string, tf.Variable[]>();

    constructor(readonly params: readonly Param[], kinds: string[], private readonly prefix: string) {
        for (const kind of kinds) {
            this.buffers.set(kind, params.map((p) => tf.variable(tf.zerosLike(p.variable), false)));
        }
    }

    apply(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void {
        this.steps++;
        this.params.forEach((param, i) => {
            tf.tidy(() => this.update(param, i, grads.get(param.name) ?? tf.zerosLike(param.variable), lr));
        });
    }

    protected abstract update(param: Param, index: number, grad: tf.Tensor, lr: number): void;

    protected buffer(kind: string, index: number): tf.Variable {
        return this.buffers.get(kind)![index];
    }

    getState(): NamedArray[] {
        const state: NamedArray[] = [{ name: `${this.prefix}step`, shape: [1], values: Float32Array.of(this.steps) }];
        for (const [kind, variables] of this.buffers) {
            variables.forEach((v, i) => {
                state.push({ name: `${this.prefix}${this.params[i].name}/${kind}`, shape: [...v.shape], values: new Float32Array(v.dataSync()) });
            });
        }
        return state;
    }

    setState(state: readonly NamedArray[]): void {
        const byName = new Map(state.map((s) => [s.name, s]));
        const get = (name: string, shape: readonly number[]): NamedArray => {
            const entry = byName.get(name);
            if (!entry) throw new Error(`optimiser state: '${name}' is missing`);
            if (entry.shape.join(',') !== shape.join(',')) {
                throw new Error(`optimiser state: '${name}' has shape [${entry.shape}], expected [${shape}]`);
            }
            return entry;
        };
        const steps = get(`${this.prefix}step`, [1]).values[0];
        for (const [kind, variables] of this.buffers) {
            variables.forEach((v, i) => {
                const entry = get(`${this.prefix}${this.params[i].name}/${kind}`, v.shape);
                tf.tidy(() => v.assign(tf.tensor(entry.values.slice(), v.shape, 'float32')));
            });
        }
        this.steps = steps;
    }

    dispose(): void {
        for (const variables of this.buffers.values()) tf.dispose(variables);
        this.buffers.clear();
    }
}

export class Sgd extends BufferedOptimizer {
    constructor(params: readonly Param[], private readonly momentum: number, private readonly weightDecay: number, prefix = '') {
        super(params, ['momentum'], prefix);
    }

    protected update(param: Param, index: number, grad: tf.Tensor, lr: number): void {
        const w = param.variable;
        const g = param.decay && this.weightDecay > 0 ? tf.add(grad, tf.mul(w, this.weightDecay)) : grad;
        const v = this.buffer('momentum', index);
        v.assign(tf.add(tf.mul(v, this.momentum), tf.mul(g, lr)));
        w.assign(tf.sub(w, v));
    }
}

export class Adam extends BufferedOptimizer {
    constructor(params: readonly Param[], private readonly beta1: number, private readonly beta2: number,
                private readonly epsilon: number, private readonly weightDecay: number, prefix = '') {
        super(params, ['m', 'v'], prefix);
    }

    protected update(param: Param, index: number, grad: tf.Tensor, lr: number): void {
        const w = param.variable;
        const m = this.buffer('m', index);
        const v = this.buffer('v', index);
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(grad, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(grad), 1 - this.beta2)));
        const mHat = tf.div(m, 1 - this.beta1 ** this.steps);
        const vHat = tf.div(v, 1 - this.beta2 ** this.steps);
        let delta = tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon));
        if (param.decay && this.weightDecay > 0) delta = tf.add(delta, tf.mul(w, this.weightDecay));
        w.assign(tf.sub(w, tf.mul(delta, lr)));
    }
}
