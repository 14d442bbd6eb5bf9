/**
 * Calls to the wasm backend's own kernels on TensorInfos, the way its kernels call each other: below
 * the engine (no tape, no tensor tracking), so every intermediate must be released with `release`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type { BackendWasm };
type Pads4 = [[number, number], [number, number], [number, number], [number, number]];

/**
 * Shipped kernels that ours replaced, still called where they are the fast path. Kept on the global
 * object, as tfjs keeps its kernel registry: a second copy of this module in the process (a bundle
 * beside the sources, or one loaded both as CommonJS and as an ES module) must find the shipped
 * kernels too, never another copy of ours, which would call back into it without end.
 */
const replaced: Map<string, KernelConfig> = ((globalThis as Record<symbol, unknown>)[Symbol.for('@persemon/runtime:replaced-wasm-kernels')] ??= new Map()) as Map<string, KernelConfig>;

/** Marks our kernels, whichever copy of this module made them. */
const OURS = Symbol.for('@persemon/runtime:wasm-training-kernel');

export function markOurs<T extends object>(kernelFunc: T): T {
    (kernelFunc as Record<symbol, boolean>)[OURS] = true;
    return kernelFunc;
}

export function isOurs(config: KernelConfig | undefined): boolean {
    return config != null && (config.kernelFunc as unknown as Record<symbol, boolean>)[OURS] === true;
}

export function keepReplaced(config: KernelConfig): void {
    if (!isOurs(config)) replaced.set(config.kernelName, config);
}

export function runShipped(backend: BackendWasm, name: string, inputs: object, attrs: object = {}): TensorInfo {
    const config = replaced.get(name) ?? tf.getKernel(name, 'wasm');
    if (config == null) throw new Error(`kernel '${name}' is not registered for the wasm backend`);
    return config.kernelFunc({
        inputs: inputs as NamedTensorInfoMap, attrs: attrs as unknown as NamedAttrMap, backend,
    }) as TensorInfo;
}

export function release(backend: BackendWasm, ...infos: Array<TensorInfo | undefined>): void {
    for (const info of infos) if (info != null) backend.disposeData(info.dataId);
}

/** NHWC conv, stride 1, explicit padding (non-negative). */
export function conv2d(backend: BackendWasm, x: TensorInfo, filter: TensorInfo, pad: Pads4,
    dilations: [number, number] = [1, 1]): TensorInfo {
    return runShipped(backend, tf.Conv2D, { x, filter },
        { strides: [1, 1], pad, dataFormat: 'NHWC', dilations, dimRoundingMode: undefined });
}

export function transpose(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
    return runShipped(backend, tf.Transpose, { x }, { perm });
}

export function reshape(backend: BackendWasm, x: TensorInfo, shape: number[]): TensorInfo {
    return runShipped(backend, tf.Reshape, { x }, { shape });
}

export function slice(backend: BackendWasm, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return runShipped(backend, tf.Slice, { x }, { begin, size });
}

/** 2-D matmul with neither operand transposed: the shipped kernel's XNNPACK path. */
export function matMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
    return runShipped(backend, tf.BatchMatMul, { a, b }, { transposeA: false, transposeB: false });
}
