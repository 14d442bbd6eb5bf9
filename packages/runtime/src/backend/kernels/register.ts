/**
 * Puts our training kernels in place of the wasm backend's missing or slow ones. Called after
 * `tf.setBackend('wasm')`; calling it again changes nothing.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './BatchMatMul.js';
import { conv2DBackpropFilterConfig } from './Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput.js';
import { isOurs, keepReplaced, markOurs } from './wasm-ops.js';

export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
    conv2DBackpropFilterConfig, conv2DBackpropInputConfig, batchMatMulConfig,
];
for (const config of WASM_TRAINING_KERNELS) markOurs(config.kernelFunc);

/** Registers our kernels for 'wasm'; returns the names of those it put in place now. */
export function registerWasmKernels(): string[] {
    const registered: string[] = [];
    for (const ours of WASM_TRAINING_KERNELS) {
        const current = tf.getKernel(ours.kernelName, 'wasm');
        // Ours already, from this copy of the runtime or another one in the process.
        if (isOurs(current)) continue;
        if (current != null) {
            keepReplaced(current);
            tf.unregisterKernel(ours.kernelName, 'wasm');
        }
        // The replaced kernel's setup stays: ours still call it, also after a backend re-initialisation.
        tf.registerKernel({ ...ours, setupFunc: current?.setupFunc, disposeFunc: current?.disposeFunc });
        registered.push(ours.kernelName);
    }
    return registered;
}
