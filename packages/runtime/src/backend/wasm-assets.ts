/**
 * Where the wasm backend's files are: the one place that knows. By default they come from the
 * installed @tensorflow/tfjs-backend-wasm; a bundle (esbuild) that copies the package's `wasm-out/`
 * folder next to itself passes that folder instead.
 */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package's standalone emscripten output: glue scripts, worker script and binaries side by side. */
export interface WasmAssets {
    dir: string;
    /** Emscripten glue of the threaded SIMD build (CommonJS, exports the module factory). */
    threadedGlue: string;
    /** CommonJS module exporting `wasmWorkerContents`, the pthread worker's source text. */
    threadedWorkerModule: string;
    threadedBinary: string;
}

const require = createRequire(import.meta.url);

export function defaultWasmDir(): string {
    const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
    return path.join(path.dirname(pkg), 'wasm-out');
}

export function resolveWasmAssets(dir: string = defaultWasmDir()): WasmAssets {
    const assets: WasmAssets = {
        dir: path.resolve(dir),
        threadedGlue: path.resolve(dir, 'tfjs-backend-wasm-threaded-simd.js'),
        threadedWorkerModule: path.resolve(dir, 'tfjs-backend-wasm-threaded-simd.worker.js'),
        threadedBinary: path.resolve(dir, 'tfjs-backend-wasm-threaded-simd.wasm'),
    };
    // The single-threaded builds the shipped loader falls back to live in the same folder.
    const needed = [assets.threadedGlue, assets.threadedWorkerModule, assets.threadedBinary,
        path.join(assets.dir, 'tfjs-backend-wasm-simd.wasm'), path.join(assets.dir, 'tfjs-backend-wasm.wasm')];
    const missing = needed.filter((file) => !fs.existsSync(file));
    if (missing.length > 0) {
        throw new Error(`wasm backend files missing in ${assets.dir}: ${missing.map((f) => path.basename(f)).join(', ')}`);
    }
    return assets;
}
