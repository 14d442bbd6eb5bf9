/**
 * SphereFace-20 as its authors (Caffe) and the PyTorch port published it, turned into FEM's initial
 * weights. Both hold the same tensors under the same layer names (conv1_1 ... conv4_3, PReLU slopes
 * relu1_1 ... relu4_3, fc5, and the A-Softmax layer fc6, which PersEmoN truncates), in the layouts
 * of their frameworks. The conversion:
 *
 * - convolutions [out, in, kh, kw] -> FEM's HWIO [kh, kw, in, out];
 * - conv1_1's input channels reversed: both were trained on images in OpenCV's BGR order, FEM is fed
 *   RGB (normalised the same way, (pixel - 127.5) / 128);
 * - fc5 [out, in] -> FEM's [in, out], its inputs reordered from the C, H, W order in which Caffe and
 *   PyTorch flatten the last 512x7x6 map to FEM's H, W, C;
 * - biases and PReLU slopes (one per channel) as they are.
 *
 * The residual convolutions' biases come along: the Caffe release holds them at 0 and never trains
 * them (lr_mult 0), the PyTorch port trained them as ordinary parameters. The weights file's meta
 * records which (`residualBias`), and FEM applies it on load.
 */
import { FEM_UNITS } from '@persemon/language';
import { FEM_WIDTHS, femOutputSize, RESIDUAL_BIAS_META, type ResidualBias } from '../model/fem.js';
import type { NamedArray } from '../model/weights.js';
import { WeightsImportError, type SourceTensor } from './source-tensor.js';

/** The aligned face size SphereFace-20 was trained at; fc5's input follows from it. */
export const SPHEREFACE_INPUT = { height: 112, width: 96 } as const;

/** Tensors of the published files that PersEmoN drops: FEM ends at fc5. */
const TRUNCATED = /^fc6\./;

interface Layer {
    /** Layer name in both sources and in FEM. */
    name: string;
    kind: 'conv' | 'prelu' | 'fc5';
    inputs: number;
    outputs: number;
    residual: boolean;
}

/** SphereFace-20's layers with weights, in network order. */
export function sphereface20Layers(): Layer[] {
    const layers: Layer[] = [];
    let channels = 3;
    FEM_UNITS[20].forEach((units, s) => {
        const width = FEM_WIDTHS[s];
        for (let j = 1; j <= 1 + 2 * units; j++) {
            layers.push({ name: `conv${s + 1}_${j}`, kind: 'conv', inputs: j === 1 ? channels : width, outputs: width, residual: j > 1 });
            layers.push({ name: `relu${s + 1}_${j}`, kind: 'prelu', inputs: width, outputs: width, residual: false });
        }
        channels = width;
    });
    const out = femOutputSize(SPHEREFACE_INPUT);
    layers.push({ name: 'fc5', kind: 'fc5', inputs: channels * out.height * out.width, outputs: 512, residual: false });
    return layers;
}

/** Each source tensor SphereFace-20 has, with its shape in the source's layout. */
function expectedTensors(): Map<string, { shape: number[]; layer: Layer }> {
    const out = new Map<string, { shape: number[]; layer: Layer }>();
    for (const layer of sphereface20Layers()) {
        if (layer.kind === 'prelu') out.set(`${layer.name}.weight`, { shape: [layer.outputs], layer });
        else {
            out.set(`${layer.name}.weight`, { shape: layer.kind === 'conv' ? [layer.outputs, layer.inputs, 3, 3] : [layer.outputs, layer.inputs], layer });
            out.set(`${layer.name}.bias`, { shape: [layer.outputs], layer });
        }
    }
    return out;
}

export interface FemWeights {
    tensors: NamedArray[];
    /** What FEM reads on load (`residualBias`), and where the weights came from. */
    meta: Record<string, unknown>;
}

/**
 * FEM's initial weights from a source's tensors. Every problem (a missing, unexpected or misshapen
 * tensor) is listed in one error naming the file and the tensors.
 */
export function sphereface20ToFem(source: ReadonlyMap<string, SourceTensor>, file: string, residualBias: ResidualBias,
                                  meta: Record<string, unknown>): FemWeights {
    const expected = expectedTensors();
    const problems: string[] = [];
    for (const [name, { shape }] of expected) {
        const found = source.get(name);
        if (!found) problems.push(`${name} is missing`);
        else if (!sameShape(found.shape, shape)) problems.push(`${name} has shape [${found.shape}], SphereFace-20 at 112x96 needs [${shape}]`);
    }
    for (const name of source.keys()) if (!expected.has(name) && !TRUNCATED.test(name)) problems.push(`${name} is not a tensor of SphereFace-20`);
    if (problems.length > 0) {
        const more = problems.length > 6 ? `; and ${problems.length - 6} more` : '';
        throw new WeightsImportError(file, `is not SphereFace-20: ${problems.slice(0, 6).join('; ')}${more}`);
    }

    const tensors: NamedArray[] = [];
    for (const [name, { layer }] of expected) {
        const { values } = source.get(name)!;
        const kind = name.endsWith('.bias') ? 'bias' : layer.kind === 'prelu' ? 'alpha' : 'weight';
        const fem = `fem/${layer.name}/${kind}`;
        if (kind !== 'weight') tensors.push({ name: fem, shape: [layer.outputs], values: new Float32Array(values) });
        else if (layer.kind === 'conv') tensors.push({ name: fem, shape: [3, 3, layer.inputs, layer.outputs], values: convToHwio(values, layer, layer.name === 'conv1_1') });
        else tensors.push({ name: fem, shape: [layer.inputs, layer.outputs], values: fc5ToFem(values, layer) });
    }
    return { tensors, meta: { ...meta, network: 'SphereFace-20', input: `${SPHEREFACE_INPUT.height}x${SPHEREFACE_INPUT.width}`, [RESIDUAL_BIAS_META]: residualBias } };
}

/** Shapes match when they do after dropping leading 1s (Caffe's legacy blobs are padded to 4-D). */
function sameShape(a: readonly number[], b: readonly number[]): boolean {
    const trim = (s: readonly number[]) => s.slice(Math.max(0, s.findIndex((n) => n !== 1)));
    return trim(a).join(',') === trim(b).join(',');
}

/** [out, in, 3, 3] -> [3, 3, in, out]; with `bgr`, input channel i is read from source channel 2 - i. */
function convToHwio(src: Float32Array, layer: Layer, bgr: boolean): Float32Array {
    const { inputs: I, outputs: O } = layer;
    const dst = new Float32Array(src.length);
    for (let o = 0; o < O; o++) {
        for (let i = 0; i < I; i++) {
            const from = bgr ? I - 1 - i : i;
            for (let h = 0; h < 3; h++) {
                for (let w = 0; w < 3; w++) dst[((h * 3 + w) * I + i) * O + o] = src[((o * I + from) * 3 + h) * 3 + w];
            }
        }
    }
    return dst;
}

/** fc5 [out, C·H·W] flattened C, H, W -> FEM's [H·W·C, out] flattened H, W, C. */
function fc5ToFem(src: Float32Array, layer: Layer): Float32Array {
    const C = FEM_WIDTHS[FEM_WIDTHS.length - 1];
    const { height: H, width: W } = femOutputSize(SPHEREFACE_INPUT);
    const O = layer.outputs;
    const dst = new Float32Array(src.length);
    for (let o = 0; o < O; o++) {
        for (let c = 0; c < C; c++) {
            for (let h = 0; h < H; h++) {
                for (let w = 0; w < W; w++) dst[((h * W + w) * C + c) * O + o] = src[o * C * H * W + (c * H + h) * W + w];
            }
        }
    }
    return dst;
}
