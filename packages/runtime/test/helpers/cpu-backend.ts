/**
 * The cpu backend with a fast filter gradient, for tests that train on it. Its own
 * Conv2DBackpropFilter is ~100x slower than its forward convolution (a scalar loop), so it is
 * replaced with the formulation the wasm training kernel uses (backend/kernels/Conv2DBackpropFilter.ts:
 * a forward convolution of transposed operands, dilation = stride), built from the cpu backend's own
 * kernels; train/cpu-filter-gradient.test.ts checks it against the shipped kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Conv2DBackpropFilterAttrs, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

type CpuBackend = tf.KernelBackend & { disposeIntermediateTensorInfo(info: TensorInfo): void };

/** The cpu backend's shipped kernel, kept for the check. */
export let shippedFilterGrad: KernelFunc | null = null;

const fastFilterGrad: KernelFunc = ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as Conv2DBackpropFilterAttrs;
    const cpu = backend as CpuBackend;
    const run = (name: string, kernelInputs: Record<string, TensorInfo>, kernelAttrs: object) =>
        tf.getKernel(name, 'cpu')!.kernelFunc({ inputs: kernelInputs, attrs: kernelAttrs as NamedAttrMap, backend }) as TensorInfo;
    const [kh, kw, channels] = a.filterShape;
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode);
    const [batch, height, width] = x.shape;
    const [, outH, outW] = dy.shape;
    const usedH = Math.min(height, kh + (outH - 1) * info.strideHeight - info.padInfo.top);
    const usedW = Math.min(width, kw + (outW - 1) * info.strideWidth - info.padInfo.left);
    const cropped = usedH < height || usedW < width ? run('Slice', { x }, { begin: [0, 0, 0, 0], size: [batch, usedH, usedW, channels] }) : null;
    const xT = run('Transpose', { x: cropped ?? x }, { perm: [3, 1, 2, 0] });
    const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const pad = [[0, 0], [info.padInfo.top, kh + (outH - 1) * info.strideHeight - usedH - info.padInfo.top],
        [info.padInfo.left, kw + (outW - 1) * info.strideWidth - usedW - info.padInfo.left], [0, 0]];
    const dwT = run('Conv2D', { x: xT, filter: dyT }, {
        strides: 1, pad, dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth], dimRoundingMode: undefined
    });
    const dw = run('Transpose', { x: dwT }, { perm: [1, 2, 0, 3] });
    for (const t of [cropped, xT, dyT, dwT]) if (t) cpu.disposeIntermediateTensorInfo(t);
    return dw;
};

/**
 * Selects the cpu backend with the fast filter gradient, for one describe block: its `before` and
 * `after` hooks. The shipped kernel is put back afterwards, so that other suites in the same mocha
 * process (the wasm kernels' tests compare against it) see the cpu backend as shipped.
 */
export function useCpuBackend(): void {
    let testFlag = false;
    before(async () => {
        // IS_TEST silences the cpu backend's "install tfjs-node" banner (and checks kernels for leaks).
        testFlag = tf.env().getBool('IS_TEST');
        tf.env().set('IS_TEST', true);
        await tf.setBackend('cpu');
        const current = tf.getKernel(tf.Conv2DBackpropFilter, 'cpu')!;
        if (current.kernelFunc === fastFilterGrad) return;
        shippedFilterGrad = current.kernelFunc;
        tf.unregisterKernel(tf.Conv2DBackpropFilter, 'cpu');
        tf.registerKernel({ ...current, kernelFunc: fastFilterGrad });
    });
    after(() => {
        tf.env().set('IS_TEST', testFlag);
        const current = tf.getKernel(tf.Conv2DBackpropFilter, 'cpu');
        if (current?.kernelFunc !== fastFilterGrad || !shippedFilterGrad) return;
        tf.unregisterKernel(tf.Conv2DBackpropFilter, 'cpu');
        tf.registerKernel({ ...current, kernelFunc: shippedFilterGrad });
    });
}
