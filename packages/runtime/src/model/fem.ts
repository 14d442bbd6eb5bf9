/**
 * FEM, the feature extraction module: SphereFace-N truncated after fc5 (paper section 3.2, Table 1).
 *
 * Four stages; each is a stride-2 3x3 convolution (64, 128, 256, 512 filters, padding 1) + PReLU,
 * then residual units of two 3x3 convolutions (each + PReLU) with an identity shortcut
 * (units per stage: FEM_UNITS). A fully connected layer gives the 512-d feature, with no activation
 * after it (SphereFace's fc5). Input NHWC, RGB normalised as (pixel - 127.5) / 128.
 *
 * Names follow SphereFace's Caffe layers: stage s's stride-2 convolution is `conv{s}_1`, unit u's two
 * convolutions are `conv{s}_{2u}` and `conv{s}_{2u+1}`, each followed by `relu{s}_{j}`; then `fc5`.
 * Initial values as SphereFace's: Xavier for the stride-2 convolutions and fc5, Gaussian (std 0.01)
 * for the residual convolutions. Every convolution has a bias, 0 at first; the residual ones' stay
 * fixed (SphereFace's prototxt gives them lr_mult 0) unless the init file says they were trained
 * (`residualBias: "trainable"` in its meta, as `persemon weights import` writes for the PyTorch port).
 * fc5's input is the last stage's output flattened in H, W, C order (Caffe and PyTorch flatten
 * C, H, W: the import permutes fc5's rows accordingly, and transposes OIHW to HWIO).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { FEM_UNITS, type ModelSpec, type Size } from '@persemon/language';
import { assignParams, Conv3x3, Dense, ParamScope, PRelu, type Param } from './layers.js';
import { decodeWeights, WeightsFormatError, type WeightsFile } from './weights.js';
import type { Random } from '../util/random.js';

export const FEM_WIDTHS = [64, 128, 256, 512] as const;

export type FemSpec = ModelSpec['fem'];

/** Whether the residual convolutions' biases train: the init file's meta field RESIDUAL_BIAS_META. */
export type ResidualBias = 'fixed' | 'trainable';
export const RESIDUAL_BIAS_META = 'residualBias';

interface ConvPrelu {
    conv: Conv3x3;
    prelu: PRelu;
}

/** Output size of a 3x3, stride-2, padding-1 convolution. */
function halve(n: number): number {
    return Math.floor((n - 1) / 2) + 1;
}

/** Spatial size after the four stride-2 stages: 112x96 gives 7x6. */
export function femOutputSize(input: Size): Size {
    let { height, width } = input;
    for (let s = 0; s < FEM_WIDTHS.length; s++) {
        height = halve(height);
        width = halve(width);
    }
    return { height, width };
}

/**
 * Values one image keeps alive while it trains: the input and, per convolution, its output and
 * its PReLU's (both saved for the backward pass), plus each residual sum; then fc5's output.
 */
export function femActivationValues(spec: Pick<FemSpec, 'depth' | 'input' | 'features'>): number {
    let { height, width } = spec.input;
    let values = height * width * 3;
    FEM_UNITS[spec.depth].forEach((units, s) => {
        height = halve(height);
        width = halve(width);
        const map = height * width * FEM_WIDTHS[s];
        values += map * (2 + units * 5);
    });
    return values + spec.features;
}

/**
 * Trained parameters of a SphereFace-N FEM, counted from its structure without building it: the
 * residual convolutions' biases are not, as SphereFace fixes them.
 */
export function femParameterCount(spec: Pick<FemSpec, 'depth' | 'input' | 'features'>): number {
    let channels = 3;
    let total = 0;
    FEM_UNITS[spec.depth].forEach((units, s) => {
        const width = FEM_WIDTHS[s];
        // Stride-2 convolution with bias, PReLU; each unit: two convolutions (fixed biases) and PReLUs.
        total += 9 * channels * width + 2 * width + units * 2 * (9 * width * width + width);
        channels = width;
    });
    const out = femOutputSize(spec.input);
    return total + (out.height * out.width * channels + 1) * spec.features;
}

export class Fem {
    readonly params: Param[];
    readonly frozen: boolean;
    readonly features: number;
    private readonly stages: Array<{ down: ConvPrelu; units: Array<[ConvPrelu, ConvPrelu]> }> = [];
    private readonly fc5: Dense;
    private readonly residualBiases: tf.Variable[] = [];

    constructor(readonly spec: FemSpec, random: Random) {
        this.frozen = spec.freeze;
        this.features = spec.features;
        const scope = new ParamScope('fem', random, !spec.freeze);
        const convPrelu = (name: string, inC: number, outC: number, stride: 1 | 2): ConvPrelu => ({
            conv: stride === 2
                ? new Conv3x3(scope, `conv${name}`, inC, outC, 2, { kind: 'xavier' }, 'trainable')
                : new Conv3x3(scope, `conv${name}`, inC, outC, 1, { kind: 'gaussian', std: 0.01 }, 'fixed'),
            prelu: new PRelu(scope, `relu${name}`, outC)
        });
        let channels = 3;
        FEM_UNITS[spec.depth].forEach((unitCount, s) => {
            const width = FEM_WIDTHS[s];
            const stage = `${s + 1}_`;
            const down = convPrelu(`${stage}1`, channels, width, 2);
            const units: Array<[ConvPrelu, ConvPrelu]> = [];
            for (let u = 1; u <= unitCount; u++) {
                units.push([convPrelu(`${stage}${2 * u}`, width, width, 1), convPrelu(`${stage}${2 * u + 1}`, width, width, 1)]);
            }
            this.stages.push({ down, units });
            channels = width;
        });
        const out = femOutputSize(spec.input);
        this.fc5 = new Dense(scope, 'fc5', out.height * out.width * channels, spec.features);
        this.params = scope.params;
        for (const { units } of this.stages) for (const unit of units) for (const { conv } of unit) this.residualBiases.push(conv.bias!);
    }

    /**
     * Every parameter from an init file, and its meta's `residualBias`: "trainable" lets the residual
     * biases train (unless FEM is frozen); "fixed" or none keeps SphereFace's. `source` names the file.
     */
    load(weights: WeightsFile, source: string): void {
        const mode = weights.meta[RESIDUAL_BIAS_META] ?? 'fixed';
        if (mode !== 'fixed' && mode !== 'trainable') {
            throw new WeightsFormatError(`${source}: meta.${RESIDUAL_BIAS_META} is ${JSON.stringify(mode)}; it must be "fixed" or "trainable"`);
        }
        assignParams(this.params, weights.tensors, source);
        for (const bias of this.residualBiases) bias.trainable = !this.frozen && mode === 'trainable';
    }

    /** [N, H, W, 3] face crops -> [N, features]. */
    apply(images: tf.Tensor4D): tf.Tensor2D {
        const step = (x: tf.Tensor4D, layer: ConvPrelu) => layer.prelu.apply(layer.conv.apply(x));
        let x = images;
        for (const stage of this.stages) {
            x = step(x, stage.down);
            for (const [a, b] of stage.units) x = tf.add(x, step(step(x, a), b));
        }
        return this.fc5.apply(tf.reshape(x, [x.shape[0], -1]));
    }
}

/**
 * FEM's init file, named by `fem { init "FILE" }`. It must be a PersEmoN weights file; a missing one,
 * or a published SphereFace file given as it is, gets the command that converts one.
 */
export async function readFemInit(file: string): Promise<WeightsFile> {
    let bytes: Uint8Array;
    try {
        bytes = await readFile(file);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        throw new WeightsFormatError(`${file}: FEM's init weights file does not exist; convert SphereFace-20's published weights (the authors' `
            + `sphereface_model.caffemodel or the PyTorch port's sphere20a_*.pth) with: persemon weights import <downloaded file> --out ${file}`);
    }
    try {
        return decodeWeights(bytes, file);
    } catch (error) {
        if (!(error instanceof WeightsFormatError && error.message.includes('not a PersEmoN weights file'))) throw error;
        const converted = path.join(path.dirname(file), `${path.parse(file).name}.weights`);
        throw new WeightsFormatError(`${error.message}; if it is SphereFace-20's published weights, convert it with: `
            + `persemon weights import ${file} --out ${converted} and name that file in fem { init }`);
    }
}
