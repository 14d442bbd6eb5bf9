/**
 * Loads a native TensorFlow engine into this process: the one `persemon backends install` built
 * (engine.ts), else a tfjs-node(-gpu) package installed by name beside the runtime. The package
 * brings its own copy of TensorFlow.js; tfjs-core keeps its engine and kernel registries global, so
 * that copy registers the 'tensorflow' backend where the runtime's tfjs-core finds it.
 */
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { NATIVE_PACKAGES, readEngine, type EngineManifest, type NativeKind } from './engine.js';
import { gpuEnvironment, hasGpuEnvironment } from './gpu-environment.js';

export interface NativeEngine {
    /** The tfjs package version, e.g. 4.22.0. */
    version: string;
    /** TensorFlow's version as the binding reports it. */
    tensorflow: string;
    /** Where it came from: the installed engine's source, or the package installed by name. */
    source: string;
    /** 'CPU', and the GPUs TensorFlow uses (by name where nvidia-smi says). */
    devices: string[];
}

/** Why a native engine did not load, in words for the user. */
export class NativeNotLoaded extends Error {}

interface TfjsBinding { TF_Version: string; isUsingGpuDevice(): boolean }

/**
 * Messages a second copy of TensorFlow.js prints while it registers what this process already has
 * (the cpu backend's kernels, the platform): the same code at the same version, so only noise.
 */
const DUPLICATE_REGISTRATION = /already (been )?(registered|set)/;

function requireQuietly(load: () => unknown): void {
    // TensorFlow's own C++ log (oneDNN and CPU-feature notices) stays off unless the user asked for it.
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
        if (!DUPLICATE_REGISTRATION.test(String(args[0]))) warn(...args);
    };
    try {
        load();
    } finally {
        console.warn = warn;
    }
}

function fromInstalledEngine(kind: NativeKind, root: string, manifest: EngineManifest): { version: string; source: string } {
    if (kind === 'gpu') {
        const wanted = gpuEnvironment(root, manifest, process.env);
        if (!hasGpuEnvironment(wanted, process.env)) {
            throw new NativeNotLoaded(`the GPU engine at ${root} needs ${Object.keys(wanted).join(', ')} set before the process `
                + 'starts (the persemon command does this itself; a program embedding the runtime must set them)');
        }
    }
    const requireFrom = createRequire(path.join(root, 'node_modules', 'index.js'));
    try {
        requireQuietly(() => requireFrom(NATIVE_PACKAGES[kind]));
    } catch (error) {
        throw new NativeNotLoaded(`the ${kind} engine at ${root} failed to load: ${firstLine(error)}; `
            + `reinstall it (persemon backends install ${kind} --force)`);
    }
    return { version: manifest.packageVersion, source: manifest.source };
}

function fromPackage(kind: NativeKind): { version: string; source: string } {
    const pkg = NATIVE_PACKAGES[kind];
    const requireHere = createRequire(import.meta.url);
    let entry: string;
    try {
        entry = requireHere.resolve(pkg);
    } catch {
        throw new NativeNotLoaded(`${pkg} is not installed`);
    }
    try {
        requireQuietly(() => requireHere(entry));
    } catch (error) {
        throw new NativeNotLoaded(`${pkg} failed to load: ${firstLine(error)}`);
    }
    const { version } = requireHere(`${pkg}/package.json`) as { version: string };
    return { version, source: `${pkg} installed at ${path.dirname(path.dirname(entry))}` };
}

/** Loads the engine of this kind and makes 'tensorflow' the current backend. */
export async function loadNativeEngine(kind: NativeKind): Promise<NativeEngine> {
    const installed = readEngine(kind);
    let origin: { version: string; source: string };
    if (installed.manifest) {
        origin = fromInstalledEngine(kind, installed.root, installed.manifest);
    } else {
        try {
            origin = fromPackage(kind);
        } catch (error) {
            if (error instanceof NativeNotLoaded && error.message.endsWith('is not installed')) {
                throw new NativeNotLoaded(`${installed.problem}; nor is ${NATIVE_PACKAGES[kind]} installed as a package`);
            }
            throw error;
        }
    }
    if (tf.findBackendFactory('tensorflow') == null) {
        throw new NativeNotLoaded(`${NATIVE_PACKAGES[kind]} registered no backend with @tensorflow/tfjs-core ${tf.version_core}`);
    }
    if (!(await tf.setBackend('tensorflow'))) throw new NativeNotLoaded(`${NATIVE_PACKAGES[kind]} loaded but its backend did not initialise`);
    const binding = (tf.backend() as unknown as { binding: TfjsBinding }).binding;
    const gpu = binding.isUsingGpuDevice();
    if (kind === 'gpu' && !gpu) {
        throw new NativeNotLoaded(`TensorFlow ${binding.TF_Version} (${origin.source}) loaded but found no GPU: check the NVIDIA `
            + 'driver (nvidia-smi) and that the CUDA libraries of the engine match it');
    }
    return { version: origin.version, tensorflow: binding.TF_Version, source: origin.source, devices: gpu ? ['CPU', ...gpuNames()] : ['CPU'] };
}

/** The GPUs' names from nvidia-smi, else one unnamed 'GPU'. */
function gpuNames(): string[] {
    const r = spawnSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8', timeout: 10_000 });
    const names = r.status === 0 ? r.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '') : [];
    return names.length > 0 ? names.map((n, i) => `GPU:${i} ${n}`) : ['GPU'];
}

function firstLine(error: unknown): string {
    return String((error as Error)?.message ?? error).split('\n')[0];
}
