/**
 * Times the wasm training kernels on SphereFace-like layers (batch 16): the forward conv, our backprop
 * kernels and the shipped ones they replace (null: none shipped), and the fc layer's matmuls, with 1
 * thread and with every core; prints JSON (ms, median).
 *
 *   node --conditions=source --import tsx bench/kernels.ts [--threads N]
 *
 * Without --threads it runs itself once per thread count, each in a fresh process: a wasm backend's
 * thread count is fixed when it starts.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { selectBackend } from '@persemon/runtime';

const BATCH = 16;
const CONV_LAYERS = {
    // conv2_1 of SphereFace-20: 56x48x64 -> 28x24x128, 3x3, stride 2, pad 1.
    'conv 3x3/2 56x48x64->128': { x: [BATCH, 56, 48, 64], filter: [3, 3, 64, 128], strides: 2 },
    // A residual unit's conv in the same stage.
    'conv 3x3/1 28x24x128->128': { x: [BATCH, 28, 24, 128], filter: [3, 3, 128, 128], strides: 1 },
} as const;
// fc5: 512 x 7 x 6 features -> 512.
const FC = { in: 512 * 7 * 6, out: 512 };

/** Median of `repeats` timed runs after one warm-up; run i gets fresh tensors from `inputs(i)`. */
function median(run: (i: number) => void, repeats: number): number {
    run(0);
    const times: number[] = [];
    for (let i = 1; i <= repeats; i++) {
        const start = performance.now();
        run(i);
        times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return Number(times[Math.floor(times.length / 2)].toFixed(1));
}

/**
 * Times a kernel through the engine (ours are registered) or a captured shipped config directly.
 * Weights are fresh copies each run, as after an optimiser step: XNNPACK caches packed weights by tensor.
 */
function timer(kernel: string | KernelConfig, inputs: (i: number) => tf.NamedTensorMap, attrs: object,
    repeats: number): number {
    const backend = tf.backend();
    return median((i) => {
        if (typeof kernel === 'string') {
            tf.dispose(tf.engine().runKernel(kernel, inputs(i), attrs as tf.NamedAttrMap) as tf.Tensor);
        } else {
            const out = kernel.kernelFunc({ inputs: inputs(i), attrs: attrs as tf.NamedAttrMap, backend }) as TensorInfo;
            backend.disposeData(out.dataId);
        }
    }, repeats);
}

const REPEATS = 5;
const SHIPPED_REPEATS = 2;

function copies(t: tf.Tensor): tf.Tensor[] {
    return Array.from({ length: REPEATS + 1 }, () => tf.add(t, 0));
}

async function measure(threads: number): Promise<object> {
    // Captured before selectBackend registers ours in their place.
    const shippedDx = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
    const shippedMatMul = tf.getKernel(tf.BatchMatMul, 'wasm');
    const info = await selectBackend('wasm', { threads });
    const results: Record<string, Record<string, number | null>> = {};
    for (const [name, layer] of Object.entries(CONV_LAYERS)) {
        const x = tf.randomNormal([...layer.x]) as tf.Tensor4D;
        const filter = tf.randomNormal([...layer.filter]) as tf.Tensor4D;
        const filters = copies(filter);
        const dy = tf.conv2d(x, filter, layer.strides, 'same');
        const conv = { strides: layer.strides, pad: 'same', dataFormat: 'NHWC' };
        const dxInputs = (i: number) => ({ dy, filter: filters[i] });
        results[name] = {
            forward: timer(tf.Conv2D, (i) => ({ x, filter: filters[i] }), { ...conv, dilations: 1 }, REPEATS),
            dW: timer(tf.Conv2DBackpropFilter, () => ({ x, dy }), { ...conv, filterShape: layer.filter }, REPEATS),
            dWShipped: null, // wasm ships no Conv2DBackpropFilter
            dx: timer(tf.Conv2DBackpropInput, dxInputs, { ...conv, inputShape: layer.x }, REPEATS),
            dxShipped: timer(shippedDx, dxInputs, { ...conv, inputShape: layer.x }, SHIPPED_REPEATS),
        };
        tf.dispose([x, filter, dy, ...filters]);
    }
    const features = tf.randomNormal([BATCH, FC.in]);
    const weights = tf.randomNormal([FC.in, FC.out]);
    const allWeights = copies(weights);
    const dy = tf.randomNormal([BATCH, FC.out]);
    const dW = () => ({ a: features, b: dy });
    const dx = (i: number) => ({ a: dy, b: allWeights[i] });
    const plain = { transposeA: false, transposeB: false };
    const xTdy = { transposeA: true, transposeB: false };
    const dyWT = { transposeA: false, transposeB: true };
    const forward = (i: number) => ({ a: features, b: allWeights[i] });
    results[`fc ${FC.in}->${FC.out}`] = {
        forward: timer(tf.BatchMatMul, forward, plain, REPEATS),
        forwardShipped: timer(shippedMatMul, forward, plain, SHIPPED_REPEATS),
        dW: timer(tf.BatchMatMul, dW, xTdy, REPEATS),
        dWShipped: timer(shippedMatMul, dW, xTdy, SHIPPED_REPEATS),
        dx: timer(tf.BatchMatMul, dx, dyWT, REPEATS),
        dxShipped: timer(shippedMatMul, dx, dyWT, SHIPPED_REPEATS),
    };
    tf.dispose([features, weights, dy, ...allWeights]);
    return { threads: info.threads, ms: results };
}

function argument(name: string): string | undefined {
    const at = process.argv.indexOf(`--${name}`);
    return at < 0 ? undefined : process.argv[at + 1];
}

/** Each thread count in a fresh process: the wasm backend's thread pool is fixed once it starts. */
export async function run(): Promise<Record<string, unknown>> {
    const counts = [...new Set([1, Math.min(8, os.availableParallelism())])];
    const runs = counts.map((count) => {
        const child = spawnSync(process.execPath,
            [...process.execArgv, fileURLToPath(import.meta.url), '--threads', String(count)], { encoding: 'utf8' });
        if (child.status !== 0) throw new Error(`bench with ${count} threads failed:\n${child.stderr.slice(-2000)}`);
        return JSON.parse(child.stdout.trim().split('\n').pop()!) as object;
    });
    return { cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), node: process.version, batch: BATCH, runs };
}

const threads = argument('threads');
if (threads != null) {
    process.stdout.write(`${JSON.stringify(await measure(Number(threads)))}\n`);
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
    process.stdout.write(`${JSON.stringify(await run(), null, 2)}\n`);
}
