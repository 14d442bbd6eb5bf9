/**
 * Chooses the compute backend: the native TensorFlow engine for GPUs, then for CPUs, then wasm
 * (threaded, with our training kernels), then cpu, and says why each one it passed over did not
 * load. The native engines are built by `persemon backends install` (native/), never by tfjs-node's
 * downloading installer, so they are loaded at run time from where that put them.
 *
 * Whichever backend is chosen, training needs the gradient functions that tfjs-core's Node entry
 * leaves out: importing this module registers them (../train/gradients.ts).
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { UserError } from '../errors.js';
import '../train/gradients.js';
import { registerWasmKernels } from './kernels/register.js';
import { engineMemoryBytes } from './memory.js';
import { loadNativeEngine, NativeNotLoaded } from './native/load.js';
import { installThreadedWasm, wasmThreadsCount, wasmThreadsProblem } from './wasm-threads.js';

export const BACKEND_REQUESTS = ['auto', 'gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];
export type BackendName = Exclude<BackendRequest, 'auto'>;

/** One backend tried: `reason` says why it did not load or, when it did, what to know about it. */
export interface BackendAttempt { name: BackendName; ok: boolean; reason?: string }
export interface BackendInfo {
    name: BackendName;
    version: string;
    threads: number;
    /** Bytes the engine can hold tensors in: what automatic micro-batching plans with. */
    memory: number;
    /** Native engines: TensorFlow's version, where the engine came from, and its devices. */
    tensorflow?: string;
    source?: string;
    devices?: string[];
    /** Every backend tried, in order; the last one is the one that loaded. */
    tried: BackendAttempt[];
}
/** One line of `persemon backends`; `reason` as in BackendAttempt. */
export interface BackendProbe {
    name: BackendName;
    loads: boolean;
    version?: string;
    threads?: number;
    reason?: string;
    tensorflow?: string;
    source?: string;
    devices?: string[];
}
export interface BackendOptions {
    /** Threads for the wasm backend (default: the cores Node may use). */
    threads?: number;
    /** Folder with tfjs-backend-wasm's `wasm-out/` files, for bundles that ship them elsewhere. */
    wasmDir?: string;
}

/** A requested backend that cannot load here: a user error (exit 1), with how to make it load. */
export class BackendUnavailableError extends UserError {
    constructor(readonly backend: BackendRequest, readonly reason: string, readonly hint: string) {
        super(`backend '${backend}' is unavailable: ${reason}. ${hint}`);
        this.name = 'BackendUnavailableError';
    }
}

export function isBackendRequest(value: string): value is BackendRequest {
    return (BACKEND_REQUESTS as readonly string[]).includes(value);
}

const AUTO_ORDER: readonly BackendName[] = ['gpu', 'node', 'wasm', 'cpu'];
const HINTS: Record<BackendRequest, string> = {
    gpu: 'Build it with `persemon backends install gpu` (Linux x64, an NVIDIA GPU and driver; TensorFlow and its '
        + 'CUDA 12 libraries come as wheels through pip). Or use --backend auto.',
    node: 'Build it with `persemon backends install node` (TensorFlow comes as a wheel through pip; g++, make '
        + 'and python3 build the binding). Or use --backend auto.',
    wasm: 'Reinstall the dependencies (npm install); a bundle must ship tfjs-backend-wasm\'s wasm-out/ files '
        + 'and pass their folder as wasmDir.',
    cpu: 'The cpu backend comes with @tensorflow/tfjs-backend-cpu; reinstall the dependencies (npm install).',
    auto: 'Reinstall the dependencies (npm install).',
};

/** A backend that did not load, and why, in words for the user. */
class NotLoaded extends Error {}
type Loaded = Omit<BackendInfo, 'name' | 'tried'> & { note?: string };

async function loadNative(name: 'gpu' | 'node'): Promise<Loaded> {
    try {
        const engine = await loadNativeEngine(name);
        // TensorFlow's intra-op pool uses every core by default.
        return { version: engine.version, threads: os.availableParallelism(), memory: engineMemoryBytes(name),
            tensorflow: engine.tensorflow, source: engine.source, devices: engine.devices };
    } catch (error) {
        throw error instanceof NativeNotLoaded ? new NotLoaded(error.message) : error;
    }
}

async function loadWasm(options: BackendOptions): Promise<Loaded> {
    try {
        installThreadedWasm({ threads: options.threads, dir: options.wasmDir });
    } catch (error) {
        throw new NotLoaded((error as Error).message);
    }
    if (!(await tf.setBackend('wasm'))) {
        throw new NotLoaded(wasmThreadsProblem() ?? 'the wasm backend did not initialise');
    }
    registerWasmKernels();
    return { version: version_wasm, threads: wasmThreadsCount(), memory: engineMemoryBytes('wasm'), note: wasmThreadsProblem() };
}

async function loadCpu(): Promise<Loaded> {
    if (!(await tf.setBackend('cpu'))) throw new NotLoaded('the cpu backend did not initialise');
    return { version: version_cpu, threads: 1, memory: engineMemoryBytes('cpu'), note: 'the cpu backend trains hundreds of times slower than wasm' };
}

function load(name: BackendName, options: BackendOptions): Promise<Loaded> {
    switch (name) {
        case 'gpu':
        case 'node': return loadNative(name);
        case 'wasm': return loadWasm(options);
        case 'cpu': return loadCpu();
    }
}

function reasonOf(error: unknown): string {
    return error instanceof NotLoaded ? error.message : `unexpected error: ${String(error)}`;
}

/** Makes the requested backend (or, for 'auto', the first that loads) the current tfjs backend. */
export async function selectBackend(requested: BackendRequest, options: BackendOptions = {}): Promise<BackendInfo> {
    const order = requested === 'auto' ? AUTO_ORDER : [requested];
    const tried: BackendAttempt[] = [];
    for (const name of order) {
        try {
            const { note, ...loaded } = await load(name, options);
            tried.push(note == null ? { name, ok: true } : { name, ok: true, reason: note });
            return { name, ...loaded, tried };
        } catch (error) {
            tried.push({ name, ok: false, reason: reasonOf(error) });
        }
    }
    const reason = tried.length === 1 ? String(tried[0].reason) : tried.map((t) => `${t.name}: ${t.reason}`).join('; ');
    throw new BackendUnavailableError(requested, reason, HINTS[requested]);
}

/** Tries every backend, for `persemon backends`; leaves the current backend as it was (or the best that loads). */
export async function probeBackends(options: BackendOptions = {}): Promise<BackendProbe[]> {
    const previous = tf.engine().backendName as string | null;
    const probes: BackendProbe[] = [];
    for (const name of AUTO_ORDER) {
        try {
            const { version, threads, note, tensorflow, source, devices } = await load(name, options);
            probes.push({ name, loads: true, version, threads, ...(note == null ? {} : { reason: note }), tensorflow, source, devices });
        } catch (error) {
            probes.push({ name, loads: false, reason: reasonOf(error) });
        }
    }
    const restore = previous ?? probes.find((p) => p.loads)?.name;
    if (restore != null) await tf.setBackend(restore === 'gpu' || restore === 'node' ? 'tensorflow' : restore);
    return probes;
}
