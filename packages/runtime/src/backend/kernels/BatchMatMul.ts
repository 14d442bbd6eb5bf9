/**
 * BatchMatMul for wasm. The shipped kernel uses XNNPACK only for one matrix pair with neither operand
 * transposed, and a scalar loop otherwise, i.e. for every matmul gradient (x^T dy, dy W^T). XNNPACK
 * also repacks its right operand whenever that is a tensor it has not seen, which for a dense layer's
 * weights means every training step, since the optimiser replaces them: for fc5 of SphereFace-20
 * (21504 x 512) the packing costs more than the product.
 *
 * So we bring every single-matrix product to the fast path in one of two ways:
 *   op(A) op(B)           materialise the transposed operands; B is packed unless seen before, or
 *   (op(B)^T op(A)^T)^T   use the transposed operands as stored, transpose the others and the result,
 * whichever moves fewer elements, a packed element costing about three transposed ones (measured).
 * For dy W^T that avoids transposing W, for x^T dy it transposes only x, and for a layer's forward
 * x W with fresh weights it packs x^T instead of W.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BatchMatMulAttrs, BatchMatMulInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { matMul, release, reshape, runShipped, transpose, type BackendWasm } from './wasm-ops.js';

/** Cost of XNNPACK packing one right-operand element, in transposed elements. */
const PACK_COST = 3;

/**
 * Right operands already used: XNNPACK keeps their packed form while they live, so a weight used again
 * (an LSTM's recurrent kernel, inference) is taken as stored from its second use on.
 */
const seen = new WeakSet<object>();

/** The operand as a 2-D matrix in its stored layout, transposed when asked. */
function matrix(backend: BackendWasm, x: TensorInfo, transposed: boolean): TensorInfo {
    const rank = x.shape.length;
    const flat = reshape(backend, x, [x.shape[rank - 2], x.shape[rank - 1]]);
    if (!transposed) return flat;
    const result = transpose(backend, flat, [1, 0]);
    release(backend, flat);
    return result;
}

function batchMatMul(args: { inputs: BatchMatMulInputs; attrs: BatchMatMulAttrs; backend: BackendWasm }): TensorInfo {
    const { inputs, attrs, backend } = args;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs;
    const batches = (x: TensorInfo) => tf.util.sizeFromShape(x.shape.slice(0, -2));
    if (batches(a) !== 1 || batches(b) !== 1 || a.dtype !== 'float32' || b.dtype !== 'float32') {
        return runShipped(backend, tf.BatchMatMul, inputs, attrs);
    }
    const m = a.shape[a.shape.length - (transposeA ? 1 : 2)];
    const k = a.shape[a.shape.length - (transposeA ? 2 : 1)];
    const n = b.shape[b.shape.length - (transposeB ? 2 : 1)];
    const packed = (x: TensorInfo, asStored: boolean, size: number) =>
        (asStored && seen.has(x.dataId) ? 0 : PACK_COST * size);
    const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + packed(b, !transposeB, k * n);
    const swapped = (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + packed(a, transposeA, m * k) + m * n;
    if (!transposeB) seen.add(b.dataId);
    if (transposeA) seen.add(a.dataId);
    let product: TensorInfo;
    if (direct <= swapped) {
        const left = matrix(backend, a, transposeA);
        const right = matrix(backend, b, transposeB);
        product = matMul(backend, left, right);
        release(backend, left, right);
    } else {
        const left = matrix(backend, b, !transposeB);
        const right = matrix(backend, a, !transposeA);
        const productT = matMul(backend, left, right);
        product = transpose(backend, productT, [1, 0]);
        release(backend, left, right, productT);
    }
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const out = reshape(backend, product, [...outer, m, n]);
    release(backend, product);
    return out;
}

export const batchMatMulConfig: KernelConfig = {
    kernelName: tf.BatchMatMul,
    backendName: 'wasm',
    kernelFunc: batchMatMul as unknown as KernelFunc,
};
