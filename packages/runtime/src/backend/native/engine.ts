/**
 * The native TensorFlow engines that `persemon backends install` builds, and where they live. One
 * folder per kind under the cache, relocatable (relative links, `$ORIGIN` run paths):
 *
 *   engines/<kind>/engine.json      written last: a folder without it is not an engine
 *   engines/<kind>/tensorflow/      libtensorflow_cc.so.2, libtensorflow_framework.so.2 and the C headers,
 *                                   taken from a TensorFlow wheel
 *   engines/<kind>/nvidia/          (gpu) the CUDA libraries of the wheel's `and-cuda` extra, and ptxas
 *   engines/<kind>/node_modules/    @tensorflow/tfjs-node(-gpu) with its binding built against tensorflow/
 *
 * tfjs-node's own installer downloads libtensorflow and a prebuilt binding; it never runs here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { persemonCacheDir } from '../../util/cache-dir.js';

export type NativeKind = 'node' | 'gpu';
export const NATIVE_KINDS: readonly NativeKind[] = ['node', 'gpu'];

/** The tfjs package each kind builds, at the version of the rest of TensorFlow.js here. */
export const NATIVE_PACKAGES: Record<NativeKind, string> = { node: '@tensorflow/tfjs-node', gpu: '@tensorflow/tfjs-node-gpu' };
export const TFJS_NATIVE_VERSION = '4.22.0';
/** The wheel each kind unpacks by default: its libtensorflow_cc exports the C API the binding calls. */
export const TENSORFLOW_WHEELS: Record<NativeKind, string> = { node: 'tensorflow-cpu', gpu: 'tensorflow' };
export const TENSORFLOW_VERSION = '2.21.0';

export interface EngineManifest {
    kind: NativeKind;
    /** The tfjs package and version built, e.g. @tensorflow/tfjs-node 4.22.0. */
    package: string;
    packageVersion: string;
    /** What the built binding reports as TF_Version. */
    tensorflowVersion: string;
    /** Where TensorFlow came from, in words: the pip requirement, wheel file or folder. */
    source: string;
    /** The N-API version the binding was built for, and the Node it was built with. */
    napi: number;
    node: string;
    /** gpu: CUDA library folders and ptxas's folder, relative to the engine's root. */
    cuda?: { libraryDirs: string[]; binDir: string | null };
    installedAt: string;
}

/** Where engines are installed: $PERSEMON_ENGINES_DIR, else the cache's engines/. */
export function enginesDir(): string {
    return process.env.PERSEMON_ENGINES_DIR || path.join(persemonCacheDir(), 'engines');
}

export function engineRoot(kind: NativeKind, dir = enginesDir()): string {
    return path.join(dir, kind);
}

export const MANIFEST = 'engine.json';

/** The installed engine of this kind, or why there is none usable. */
export function readEngine(kind: NativeKind, dir = enginesDir()): { root: string; manifest?: EngineManifest; problem?: string } {
    const root = engineRoot(kind, dir);
    let text: string;
    try {
        text = fs.readFileSync(path.join(root, MANIFEST), 'utf8');
    } catch {
        return { root, problem: `no ${kind} engine is installed in ${dir} (persemon backends install ${kind})` };
    }
    try {
        const manifest = JSON.parse(text) as EngineManifest;
        if (manifest.kind !== kind || manifest.package !== NATIVE_PACKAGES[kind] || typeof manifest.tensorflowVersion !== 'string') {
            return { root, problem: `${path.join(root, MANIFEST)} does not describe a ${kind} engine; reinstall it (persemon backends install ${kind} --force)` };
        }
        return { root, manifest };
    } catch (error) {
        return { root, problem: `${path.join(root, MANIFEST)} is not valid JSON (${(error as Error).message}); reinstall it (persemon backends install ${kind} --force)` };
    }
}
