/**
 * Conv2DBackpropInput for wasm: the shipped kernel is a scalar loop, 10-20x slower than a forward conv.
 *
 * Along one axis, with stride s and leading pad p, input row u - p receives dy[a - m] * w[s*m + r]
 * where u = s*a + r. So each phase r of the input rows is a stride-1 conv of dy with the phase's taps
 * w[r], w[r + s], ... in reverse order (the filter rotated by 180 degrees, in/out channels swapped).
 * Stride 1 is one phase: the classic "conv with the rotated filter". Stride s runs s x s phase convs
 * over dy, together the work of one forward conv, and interleaves their outputs (sub-pixel layout).
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
    Conv2DBackpropInputAttrs, Conv2DBackpropInputInputs, KernelConfig, KernelFunc, TensorInfo,
} from '@tensorflow/tfjs-core';
import { conv2d, release, runShipped, slice, type BackendWasm } from './wasm-ops.js';

/** One phase along one axis: which taps of the filter meet which rows of dy. */
interface Phase {
    /** Taps of the filter in this phase (0 when the filter is shorter than the stride). */
    taps: number;
    /** Index of the phase's first tap in the rotated filter. */
    begin: number;
    /** Conv padding before/after dy; negative means dy rows to drop (they only met padding). */
    before: number;
    after: number;
}

/** Every phase conv yields `count` blocks; input row y comes from block floor((y + pad) / s) - first. */
interface AxisPlan {
    stride: number;
    pad: number;
    first: number;
    count: number;
    phases: Phase[];
}

function planAxis(inSize: number, outSize: number, kernel: number, stride: number, pad: number): AxisPlan {
    const first = Math.floor(pad / stride);
    const last = Math.floor((pad + inSize - 1) / stride);
    const phases: Phase[] = [];
    for (let r = 0; r < stride; r++) {
        const taps = Math.max(0, Math.ceil((kernel - r) / stride));
        const begin = kernel - 1 - r - stride * (taps - 1);
        phases.push({ taps, begin, before: taps - 1 - first, after: last - (outSize - 1) });
    }
    return { stride, pad, first, count: last - first + 1, phases };
}

function phaseConv(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, strides: [number, number],
    r: Phase, c: Phase): TensorInfo | undefined {
    const [batch, outHeight, outWidth, outChannels] = dy.shape;
    const top = Math.max(0, -r.before);
    const left = Math.max(0, -c.before);
    const height = outHeight - top - Math.max(0, -r.after);
    const width = outWidth - left - Math.max(0, -c.after);
    if (r.taps === 0 || c.taps === 0 || height <= 0 || width <= 0) return undefined;
    const input = height < outHeight || width < outWidth
        ? slice(backend, dy, [0, top, left, 0], [batch, height, width, outChannels]) : dy;
    const phaseFilter = rotatedTaps(backend, filter, r, c, strides);
    const pad = (p: Phase): [number, number] => [Math.max(0, p.before), Math.max(0, p.after)];
    const out = conv2d(backend, input, phaseFilter, [[0, 0], pad(r), pad(c), [0, 0]]);
    release(backend, input === dy ? undefined : input, phaseFilter);
    return out;
}

/**
 * The phase's taps of the filter rotated by 180 degrees with its channels swapped, [taps_r, taps_c,
 * out, in], copied in one pass over the heap: wasm's Reverse and StridedSlice kernels take longer
 * than the convolution itself on the deep layers' large filters.
 */
function rotatedTaps(backend: BackendWasm, filter: TensorInfo, r: Phase, c: Phase, strides: [number, number]): TensorInfo {
    const [kh, kw, inChannels, outChannels] = filter.shape;
    const out = backend.makeOutput([r.taps, c.taps, outChannels, inChannels], 'float32');
    const dst = backend.typedArrayFromHeap(out) as Float32Array;
    const src = backend.typedArrayFromHeap(filter) as Float32Array;
    const block = inChannels * outChannels;
    for (let i = 0; i < r.taps; i++) {
        const row = kh - 1 - (r.begin + strides[0] * i);
        for (let j = 0; j < c.taps; j++) {
            const col = kw - 1 - (c.begin + strides[1] * j);
            const from = (row * kw + col) * block;
            const to = (i * c.taps + j) * block;
            for (let n = 0; n < inChannels; n++) {
                const rowStart = from + n * outChannels;
                for (let o = 0; o < outChannels; o++) dst[to + o * inChannels + n] = src[rowStart + o];
            }
        }
    }
    return out;
}

/** Writes each pixel of dx from its phase's output: phase [(y + pad) % s][(x + pad) % s], at its block. */
function interleave(backend: BackendWasm, phases: Array<Array<TensorInfo | undefined>>, shape: number[],
    rows: AxisPlan, cols: AxisPlan): TensorInfo {
    const [batch, height, width, channels] = shape;
    const out = backend.makeOutput(shape, 'float32');
    // All tensors live in the wasm heap: copy within one view of it, by offsets, allocating nothing per
    // pixel. Views are taken after the last allocation, which could grow the heap.
    const outView = backend.typedArrayFromHeap(out) as Float32Array;
    const heap = new Float32Array(outView.buffer);
    const outBase = outView.byteOffset / 4;
    const bases = phases.map((row) => row.map((p) => (p == null ? -1 : backend.typedArrayFromHeap(p).byteOffset / 4)));
    for (let n = 0; n < batch; n++) {
        for (let y = 0; y < height; y++) {
            const rowBases = bases[(y + rows.pad) % rows.stride];
            const blockRow = n * rows.count + Math.floor((y + rows.pad) / rows.stride) - rows.first;
            let at = outBase + (n * height + y) * width * channels;
            for (let x = 0; x < width; x++, at += channels) {
                const base = rowBases[(x + cols.pad) % cols.stride];
                if (base < 0) {
                    heap.fill(0, at, at + channels);
                } else {
                    const block = blockRow * cols.count + Math.floor((x + cols.pad) / cols.stride) - cols.first;
                    heap.copyWithin(at, base + block * channels, base + (block + 1) * channels);
                }
            }
        }
    }
    return out;
}

function conv2DBackpropInput(args: {
    inputs: Conv2DBackpropInputInputs; attrs: Conv2DBackpropInputAttrs; backend: BackendWasm;
}): TensorInfo {
    const { inputs, attrs, backend } = args;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    if (attrs.dataFormat === 'NCHW') return runShipped(backend, tf.Conv2DBackpropInput, inputs, attrs);
    const filterShape = filter.shape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filterShape, attrs.strides, 1, attrs.pad,
        attrs.dimRoundingMode);
    const [, height, width] = attrs.inputShape;
    const rows = planAxis(height, dy.shape[1], info.filterHeight, info.strideHeight, info.padInfo.top);
    const cols = planAxis(width, dy.shape[2], info.filterWidth, info.strideWidth, info.padInfo.left);
    const strides: [number, number] = [rows.stride, cols.stride];
    const phases = rows.phases.map((r) => cols.phases.map((c) => phaseConv(backend, dy, filter, strides, r, c)));
    const single = phases[0][0];
    if (rows.stride === 1 && cols.stride === 1 && single != null) return single;
    const dx = interleave(backend, phases, attrs.inputShape, rows, cols);
    release(backend, ...phases.flat());
    return dx;
}

export const conv2DBackpropInputConfig: KernelConfig = {
    kernelName: tf.Conv2DBackpropInput,
    backendName: 'wasm',
    kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
