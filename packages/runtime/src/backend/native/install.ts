/**
 * `persemon backends install node|gpu`: builds a native TensorFlow engine (layout in engine.ts) in a
 * staging folder, checks that it loads in a separate process, and only then moves it into place, so
 * an engine is either whole or absent. A second install finds the engine, checks it still loads, and
 * stops there.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../errors.js';
import { buildBinding, fetchPackage, linkTensorflow, missingBuildTools, napiVersion } from './binding.js';
import {
    enginesDir, engineRoot, MANIFEST, NATIVE_PACKAGES, readEngine, TENSORFLOW_VERSION, TENSORFLOW_WHEELS,
    TFJS_NATIVE_VERSION, type EngineManifest, type NativeKind,
} from './engine.js';
import { gpuEnvironment } from './gpu-environment.js';
import { CUDA_MEMBERS, extraRequirements, pipDownload, TENSORFLOW_MEMBERS, unpack } from './wheel.js';

export interface InstallOptions {
    kind: NativeKind;
    /** A TensorFlow wheel file, or a folder holding an unpacked one (its `tensorflow/`, and `nvidia/` for gpu). */
    wheel?: string;
    /** Rebuild even when a working engine is installed. */
    force?: boolean;
    /** Where engines live (default: enginesDir()). */
    dir?: string;
    /** Progress, a line at a time. */
    log?: (line: string) => void;
}

export interface InstallResult {
    root: string;
    manifest: EngineManifest;
    /** True when a working engine was already there. */
    reused: boolean;
    seconds: number;
}

/** What a built engine reports when a fresh Node process loads it. */
interface Probe { tensorflow: string; gpu: boolean }

export async function installEngine(options: InstallOptions): Promise<InstallResult> {
    const started = Date.now();
    const { kind } = options;
    const log = options.log ?? (() => {});
    const dir = options.dir ?? enginesDir();
    const seconds = () => (Date.now() - started) / 1000;

    const existing = readEngine(kind, dir);
    if (existing.manifest && !options.force && options.wheel == null) {
        const probe = probeEngine(kind, existing.root, existing.manifest);
        if (probe.ok) {
            log(`${kind} engine already installed at ${existing.root} (TensorFlow ${probe.value.tensorflow}); --force rebuilds it`);
            return { root: existing.root, manifest: existing.manifest, reused: true, seconds: seconds() };
        }
        log(`the installed ${kind} engine no longer loads (${probe.error}); rebuilding it`);
    }

    const missing = missingBuildTools();
    if (options.wheel == null && !pipAvailable()) missing.push('pip for python3 (apt-get install python3-pip), or --wheel FILE');
    if (missing.length > 0) throw new UserError(`cannot build the ${kind} engine; missing: ${missing.join('; ')}`);

    fs.mkdirSync(dir, { recursive: true });
    const staging = fs.mkdtempSync(path.join(dir, `.staging-${kind}-`));
    fs.chmodSync(staging, 0o755);
    try {
        const cuda = obtainTensorflow(kind, options.wheel, staging, log);
        log(`fetching ${NATIVE_PACKAGES[kind]}@${TFJS_NATIVE_VERSION} (its install script does not run)`);
        const packageDir = fetchPackage(NATIVE_PACKAGES[kind], TFJS_NATIVE_VERSION, staging);
        linkTensorflow(packageDir, path.join(staging, 'tensorflow'));
        const napi = napiVersion(packageDir);
        log(`building its binding (N-API ${napi}) against that TensorFlow with node-gyp`);
        buildBinding(packageDir, napi);
        const manifest: EngineManifest = {
            kind, package: NATIVE_PACKAGES[kind], packageVersion: TFJS_NATIVE_VERSION, tensorflowVersion: '',
            source: cuda.source, napi, node: process.version, ...(kind === 'gpu' ? { cuda: cuda.layout } : {}),
            installedAt: new Date().toISOString(),
        };
        const probe = probeEngine(kind, staging, manifest);
        if (!probe.ok) throw new UserError(`the ${kind} engine was built but does not load: ${probe.error}`);
        if (kind === 'gpu' && !probe.value.gpu) {
            throw new UserError(`TensorFlow ${probe.value.tensorflow} loads, but finds no GPU: check the NVIDIA driver (nvidia-smi) `
                + 'and that it supports CUDA 12; nothing was installed');
        }
        manifest.tensorflowVersion = probe.value.tensorflow;
        fs.rmSync(path.join(staging, 'wheels'), { recursive: true, force: true });
        fs.writeFileSync(path.join(staging, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
        const root = engineRoot(kind, dir);
        replaceFolder(staging, root);
        log(`${kind} engine installed at ${root}: ${manifest.package} ${manifest.packageVersion} on TensorFlow ${manifest.tensorflowVersion}`);
        return { root, manifest, reused: false, seconds: seconds() };
    } finally {
        fs.rmSync(staging, { recursive: true, force: true });
    }
}

function pipAvailable(): boolean {
    return spawnSync('python3', ['-m', 'pip', '--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Puts TensorFlow's libraries and headers (and for gpu the CUDA libraries) under `staging`; says
 * where they came from and, for gpu, their layout.
 */
function obtainTensorflow(kind: NativeKind, wheel: string | undefined, staging: string, log: (line: string) => void):
    { source: string; layout: { libraryDirs: string[]; binDir: string | null } } {
    const wheels = path.join(staging, 'wheels');
    let source: string;
    let tensorflowWheel: string | undefined;
    if (wheel != null && fs.existsSync(wheel) && fs.statSync(wheel).isDirectory()) {
        copyUnpacked(kind, path.resolve(wheel), staging);
        source = `folder ${path.resolve(wheel)}`;
    } else {
        if (wheel != null) {
            if (!fs.existsSync(wheel)) throw new UserError(`--wheel ${wheel}: no such file or folder`);
            tensorflowWheel = path.resolve(wheel);
            source = `wheel ${path.basename(tensorflowWheel)}`;
        } else {
            const requirement = `${TENSORFLOW_WHEELS[kind]}==${TENSORFLOW_VERSION}`;
            log(`obtaining ${requirement} with pip`);
            const got = pipDownload([requirement], wheels);
            tensorflowWheel = got.find((f) => path.basename(f).startsWith(`${TENSORFLOW_WHEELS[kind].replace('-', '_')}-`)) ?? got[0];
            if (tensorflowWheel == null) throw new UserError(`pip reported success but left no wheel for ${requirement}`);
            source = `pip ${requirement} (${path.basename(tensorflowWheel)})`;
        }
        log(`unpacking TensorFlow's libraries and C headers from ${path.basename(tensorflowWheel)}`);
        if (unpack([tensorflowWheel], TENSORFLOW_MEMBERS, staging) === 0 || !fs.existsSync(path.join(staging, 'tensorflow', 'libtensorflow_cc.so.2'))) {
            throw new UserError(`${tensorflowWheel} holds no tensorflow/libtensorflow_cc.so.2: not a TensorFlow 2 wheel for Linux`);
        }
        if (kind === 'gpu') {
            const requirements = extraRequirements(tensorflowWheel, 'and-cuda');
            if (requirements.length === 0) throw new UserError(`${path.basename(tensorflowWheel)} declares no and-cuda extra: use the tensorflow wheel`);
            log(`obtaining the CUDA wheels of its and-cuda extra with pip: ${requirements.join(' ')}`);
            const cudaWheels = pipDownload(requirements, wheels);
            unpack(cudaWheels, CUDA_MEMBERS, staging);
        }
    }
    return { source, layout: cudaLayout(staging) };
}

/** From a folder with an unpacked TensorFlow: DIR/tensorflow/ (a site-packages) or DIR itself. */
function copyUnpacked(kind: NativeKind, dir: string, staging: string): void {
    const tensorflow = [path.join(dir, 'tensorflow'), dir].find((d) => fs.existsSync(path.join(d, 'libtensorflow_cc.so.2')));
    if (tensorflow == null) throw new UserError(`--wheel ${dir}: no libtensorflow_cc.so.2 in it or in its tensorflow/ folder`);
    if (!fs.existsSync(path.join(tensorflow, 'include', 'tensorflow', 'c', 'c_api.h'))) {
        throw new UserError(`--wheel ${dir}: ${tensorflow} has no include/tensorflow/c/c_api.h (TensorFlow's C headers)`);
    }
    const into = path.join(staging, 'tensorflow');
    for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
        fs.mkdirSync(into, { recursive: true });
        fs.copyFileSync(path.join(tensorflow, lib), path.join(into, lib));
    }
    fs.cpSync(path.join(tensorflow, 'include'), path.join(into, 'include'), { recursive: true, dereference: true });
    if (kind === 'gpu') {
        const nvidia = [path.join(dir, 'nvidia'), path.join(path.dirname(tensorflow), 'nvidia')].find((d) => fs.existsSync(d));
        if (nvidia == null) throw new UserError(`--wheel ${dir}: no nvidia/ folder beside tensorflow/ (the CUDA libraries of the and-cuda extra)`);
        fs.cpSync(nvidia, path.join(staging, 'nvidia'), { recursive: true, dereference: true });
    }
}

/** The CUDA library folders and ptxas's folder under `root`, relative to it. */
export function cudaLayout(root: string): { libraryDirs: string[]; binDir: string | null } {
    const nvidia = path.join(root, 'nvidia');
    const libraryDirs = fs.existsSync(nvidia)
        ? fs.readdirSync(nvidia).sort().map((name) => path.join('nvidia', name, 'lib')).filter((d) => fs.existsSync(path.join(root, d)))
        : [];
    const bin = path.join('nvidia', 'cuda_nvcc', 'bin');
    return { libraryDirs, binDir: fs.existsSync(path.join(root, bin, 'ptxas')) ? bin : null };
}

/** Loads the engine at `root` in a fresh Node process (with the GPU environment it needs) and asks TensorFlow its version. */
function probeEngine(kind: NativeKind, root: string, manifest: EngineManifest): { ok: true; value: Probe } | { ok: false; error: string } {
    const script = `
        process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
        const tf = require(require('node:module').createRequire(${JSON.stringify(path.join(root, 'node_modules', 'index.js'))})
            .resolve(${JSON.stringify(NATIVE_PACKAGES[kind])}));
        const binding = tf.backend().binding;
        console.log(JSON.stringify({ tensorflow: binding.TF_Version, gpu: binding.isUsingGpuDevice() }));`;
    const env = { ...process.env, ...(kind === 'gpu' ? gpuEnvironment(root, manifest, process.env) : {}) };
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env, timeout: 120_000 });
    const last = r.stdout.trim().split('\n').pop() ?? '';
    try {
        if (r.status === 0) return { ok: true, value: JSON.parse(last) as Probe };
    } catch {
        // Fall through: the output was not the probe's.
    }
    return { ok: false, error: (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(-3).join(' ') };
}

/** Moves `from` to `to`, replacing what is there; the old folder goes only once the new one is in place. */
function replaceFolder(from: string, to: string): void {
    const old = fs.existsSync(to) ? `${to}.old-${process.pid}` : null;
    if (old) fs.renameSync(to, old);
    try {
        fs.renameSync(from, to);
    } catch (error) {
        if (old) fs.renameSync(old, to);
        throw error;
    }
    if (old) fs.rmSync(old, { recursive: true, force: true });
}
