/**
 * Multi-threaded tfjs-backend-wasm in Node: the one module that adapts the package (4.22.0, pinned).
 *
 * As shipped, the wasm backend runs on one thread in Node, for four reasons:
 *  - `WASM_HAS_MULTITHREAD_SUPPORT` is hard-coded false under Node (tfjs issue #3830);
 *  - the pthread worker is created from a `blob:` URL, which Node's Worker refuses (ERR_WORKER_PATH);
 *  - the main script handed to each worker is a Blob holding the factory's text as bundled by rollup,
 *    which refers to names that exist only inside that bundle (`require$$0`, `commonjsGlobal`);
 *  - the native side sizes its pool as min(requested, os.cpus().length / 2), assuming hyper-threads.
 *
 * Rather than patching the package or globals, we build the backend the way its own `init()` does,
 * from the package's standalone emscripten output (`wasm-out/`), with documented emscripten hooks:
 * `locateFile` gives the worker script as a real file, `mainScriptUrlOrBlob` the glue's path, and
 * `instantiateWasm` reports twice the wanted thread count as the core count. The result is the
 * package's own `BackendWasm`, so every shipped kernel runs unchanged.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import {
    BackendWasm, getThreadsCount, setThreadsCount, setWasmPaths, version_wasm,
} from '@tensorflow/tfjs-backend-wasm';
import { resolveWasmAssets, type WasmAssets } from './wasm-assets.js';

/** The tfjs-backend-wasm version whose internals this module was written against. */
export const ADAPTED_WASM_VERSION = '4.22.0';
/** Workers the threaded build pre-creates; also the native side's maximum. */
const MAX_THREADS = 8;
/** The shipped backend's registration priority, kept so `auto` selection is unchanged. */
const WASM_PRIORITY = 2;

export interface ThreadedWasmOptions {
    /** Threads for XNNPACK's pool; default: the cores Node may use. */
    threads?: number;
    /** Folder with the package's `wasm-out/` files (see wasm-assets.ts). */
    dir?: string;
}

/** The subset of the emscripten module that BackendWasm and this adaptation use. */
interface EmscriptenModule {
    cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
    PThread: { runningWorkers: Worker[] };
    tfjs?: Record<string, (...args: number[]) => number>;
}
type Imports = Record<string, Record<string, unknown>>;
type Receive = (instance: unknown, module: unknown) => void;
interface FactoryConfig {
    mainScriptUrlOrBlob: string;
    locateFile(file: string): string;
    instantiateWasm(imports: Imports, receive: Receive): object;
    onAbort(what: unknown): void;
}
type ModuleFactory = (config: FactoryConfig) => Promise<EmscriptenModule>;

/** The global WebAssembly object, which this project's TypeScript lib (ES2022, no DOM) does not declare. */
const { WebAssembly: wasmRuntime } = globalThis as unknown as {
    WebAssembly: { instantiate(binary: Uint8Array, imports: Imports): Promise<{ instance: unknown; module: unknown }> };
};
const require = createRequire(import.meta.url);
/** The package's own factory, captured once: after the first install 'wasm' names ours. */
let shippedFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | undefined;
let problem: string | undefined;

/**
 * Makes `tf.setBackend('wasm')` build a multi-threaded backend. Call before the wasm backend is first
 * initialised; afterwards its thread count is fixed and this does nothing. If the threaded build cannot
 * start, the shipped single-threaded loader runs instead and `wasmThreadsProblem()` says why.
 */
export function installThreadedWasm(options: ThreadedWasmOptions = {}): void {
    const threads = Math.max(1, Math.min(MAX_THREADS, Math.floor(options.threads ?? os.availableParallelism())));
    // Not tf.findBackend: it would start initialising the registered (shipped) backend.
    if ('wasm' in tf.engine().registry) {
        if (getThreadsCount() < threads) {
            problem = `the wasm backend was initialised before the thread set-up; running on ${getThreadsCount()} thread(s)`;
        }
        return;
    }
    const assets = resolveWasmAssets(options.dir);
    // The shipped loader reads its .wasm files from here when it is the fallback.
    setWasmPaths(assets.dir + path.sep);
    shippedFactory ??= tf.findBackendFactory('wasm') ?? undefined;
    const shipped = shippedFactory;
    if (tf.findBackendFactory('wasm') != null) tf.removeBackend('wasm');
    tf.registerBackend('wasm', async () => {
        try {
            if (version_wasm !== ADAPTED_WASM_VERSION) {
                throw new Error(`tfjs-backend-wasm ${version_wasm} is installed; the thread adaptation is for ${ADAPTED_WASM_VERSION}`);
            }
            return await createThreadedBackend(assets, threads);
        } catch (error) {
            problem = `wasm threads unavailable (${(error as Error).message}); running on 1 thread`;
            if (shipped == null) throw error;
            try {
                return await shipped();
            } catch (shippedError) {
                problem = `the threaded wasm build failed (${(error as Error).message}) and so did the shipped one `
                    + `(${(shippedError as Error).message})`;
                throw shippedError;
            }
        }
    }, WASM_PRIORITY);
}

/** The effective size of XNNPACK's thread pool, read back from the initialised backend. */
export function wasmThreadsCount(): number {
    return getThreadsCount();
}

/** Why the threaded build did not start (and whether the single-threaded one did), when it did not. */
export function wasmThreadsProblem(): string | undefined {
    return problem;
}

async function createThreadedBackend(assets: WasmAssets, threads: number): Promise<BackendWasm> {
    const factory = require(assets.threadedGlue) as ModuleFactory;
    const workerScript = writeWorkerScript(assets);
    const binary = await fs.promises.readFile(assets.threadedBinary);
    let fail: (error: Error) => void = () => {};
    const failed = new Promise<never>((_, reject) => { fail = reject; });
    const module = await Promise.race([failed, factory({
        // Workers load the glue from disk: Node can neither start a Worker from nor import a blob: URL.
        mainScriptUrlOrBlob: assets.threadedGlue,
        locateFile: (file) => (file.endsWith('.worker.js') ? workerScript : path.join(assets.dir, file)),
        instantiateWasm(imports, receive) {
            // The native pool is min(requested, cores / 2); report twice the request so the cap is the request.
            const env = { ...imports.env, emscripten_num_logical_cores: () => 2 * threads };
            wasmRuntime.instantiate(binary, { ...imports, env })
                .then(({ instance, module: compiled }) => receive(instance, compiled), fail);
            return {};
        },
        onAbort: (what) => fail(new Error(`wasm aborted: ${String(what)}`)),
    })]);
    // The same bindings the shipped init() attaches, which BackendWasm calls.
    module.tfjs = {
        init: module.cwrap('init', null, []),
        initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
        getThreadsCount: module.cwrap('get_threads_count', 'number', []),
        registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
        disposeData: module.cwrap('dispose_data', null, ['number']),
        dispose: module.cwrap('dispose', null, []),
    };
    setThreadsCount(threads);
    const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
    // Pool threads live as long as the backend; unreferenced, they do not keep the process alive.
    for (const worker of module.PThread.runningWorkers) worker.unref();
    return backend;
}

/** Writes the pthread worker's source to a real file (content-addressed, so concurrent runs agree). */
function writeWorkerScript(assets: WasmAssets): string {
    const { wasmWorkerContents } = require(assets.threadedWorkerModule) as { wasmWorkerContents: string };
    // The source sits in a template literal, which turned its "\n" escapes into newlines inside string
    // literals; the shipped loader re-escapes them the same way before making its Blob.
    const source = wasmWorkerContents.replace(/\n/g, '\\n');
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
    const dir = path.join(os.tmpdir(), 'persemon-tfjs-wasm');
    // .cjs: the script uses require and __filename whatever package.json is near it.
    const file = path.join(dir, `threaded-simd-worker-${hash}.cjs`);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== source) {
        fs.mkdirSync(dir, { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, source);
        fs.renameSync(temporary, file);
    }
    return file;
}
