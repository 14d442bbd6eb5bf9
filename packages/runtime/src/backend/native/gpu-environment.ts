/**
 * What TensorFlow's GPU engine needs from the process environment: the CUDA libraries of the
 * `and-cuda` wheels on the library path (TensorFlow opens them by name at run time), ptxas on PATH
 * (XLA compiles PTX with it) and TF_FORCE_GPU_ALLOW_GROWTH (otherwise TensorFlow takes the whole
 * GPU's memory up front). The dynamic loader reads LD_LIBRARY_PATH once, when a process starts, so
 * the CLI starts itself again with it when a GPU engine is installed (`relaunchForGpu`).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readEngine, type EngineManifest } from './engine.js';

/** Set in the relaunched process, so that it never relaunches again. */
const RELAUNCHED = 'PERSEMON_GPU_ENVIRONMENT';

/** The variables to set for the GPU engine at `root`, given the current environment. */
export function gpuEnvironment(root: string, manifest: EngineManifest, env: NodeJS.ProcessEnv): Record<string, string> {
    const split = (value: string | undefined) => (value ?? '').split(path.delimiter).filter((p) => p !== '');
    const join = (first: string[], rest: string[]) => [...first, ...rest.filter((p) => !first.includes(p))].join(path.delimiter);
    const libraries = (manifest.cuda?.libraryDirs ?? []).map((d) => path.join(root, d));
    const result: Record<string, string> = {
        LD_LIBRARY_PATH: join(libraries, split(env.LD_LIBRARY_PATH)),
        TF_FORCE_GPU_ALLOW_GROWTH: env.TF_FORCE_GPU_ALLOW_GROWTH ?? 'true',
    };
    if (manifest.cuda?.binDir) result.PATH = join([path.join(root, manifest.cuda.binDir)], split(env.PATH));
    return result;
}

/** Whether `env` already holds everything gpuEnvironment asks for. */
export function hasGpuEnvironment(wanted: Record<string, string>, env: NodeJS.ProcessEnv): boolean {
    return Object.entries(wanted).every(([name, value]) => env[name] === value);
}

/**
 * When a GPU engine is installed and this process lacks its environment, runs this same command
 * again with it, passing signals on, and resolves with the child's exit code; resolves null when
 * no relaunch is needed (no GPU engine, already relaunched, or the environment is already right).
 */
export async function relaunchForGpu(argv: readonly string[] = process.argv): Promise<number | null> {
    if (process.env[RELAUNCHED] === '1') return null;
    const { root, manifest } = readEngine('gpu');
    if (!manifest || !fs.existsSync(root)) return null;
    const wanted = gpuEnvironment(root, manifest, process.env);
    if (hasGpuEnvironment(wanted, process.env)) return null;
    const child = spawn(process.execPath, [...process.execArgv, ...argv.slice(1)], {
        stdio: 'inherit', env: { ...process.env, ...wanted, [RELAUNCHED]: '1' },
    });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    return new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (code, signal) => {
            for (const [s, handler] of handlers) process.off(s, handler);
            resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0));
        });
    });
}
