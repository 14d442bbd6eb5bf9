/**
 * `persemon backends install`: the GPU engine's environment, the relaunch that gives it to the CLI,
 * refusals that name what is missing and leave nothing behind, and a second install that only checks.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEngine, type EngineManifest } from '../../src/backend/native/engine.js';
import { gpuEnvironment } from '../../src/backend/native/gpu-environment.js';
import { nativeInstalled } from '../helpers/engines.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const cli = path.join(repo, 'packages/runtime/src/cli/main.ts');

function persemon(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', cli, ...args],
        { cwd: repo, encoding: 'utf8', env, timeout: 600_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GPU_MANIFEST: EngineManifest = {
    kind: 'gpu', package: '@tensorflow/tfjs-node-gpu', packageVersion: '4.22.0', tensorflowVersion: '2.21.0', source: 'test',
    napi: 8, node: process.version, cuda: { libraryDirs: ['nvidia/cublas/lib', 'nvidia/cudnn/lib'], binDir: 'nvidia/cuda_nvcc/bin' },
    installedAt: new Date(0).toISOString(),
};

/** An engines folder holding a GPU engine's manifest and CUDA folders, but no package. */
function fakeGpuEngines(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-engines-'));
    const root = path.join(dir, 'gpu');
    for (const d of [...GPU_MANIFEST.cuda!.libraryDirs, GPU_MANIFEST.cuda!.binDir!]) fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.writeFileSync(path.join(root, 'engine.json'), JSON.stringify(GPU_MANIFEST));
    return dir;
}

const emptyEngines = () => fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-engines-'));
const leftIn = (dir: string) => fs.readdirSync(dir);

describe('native engine install', function () {
    this.timeout(900_000);

    it('gives the GPU engine its CUDA libraries first on the library path, ptxas on PATH, and memory growth', () => {
        const env = { LD_LIBRARY_PATH: '/opt/x:/root/e/nvidia/cudnn/lib', PATH: '/usr/bin' };
        const result = gpuEnvironment('/root/e', GPU_MANIFEST, env);
        assert.deepEqual(result, {
            LD_LIBRARY_PATH: '/root/e/nvidia/cublas/lib:/root/e/nvidia/cudnn/lib:/opt/x',
            TF_FORCE_GPU_ALLOW_GROWTH: 'true',
            PATH: '/root/e/nvidia/cuda_nvcc/bin:/usr/bin',
        });
        assert.equal(gpuEnvironment('/root/e', GPU_MANIFEST, { TF_FORCE_GPU_ALLOW_GROWTH: 'false' }).TF_FORCE_GPU_ALLOW_GROWTH, 'false',
            'a user\'s own choice is kept');
    });

    it('relaunches the CLI with that environment when a GPU engine is installed', () => {
        const dir = fakeGpuEngines();
        const probe = (env: NodeJS.ProcessEnv) => {
            const r = persemon(['backends', '--json'], { ...process.env, PERSEMON_ENGINES_DIR: dir, ...env });
            assert.equal(r.status, 0, r.stderr);
            return (JSON.parse(r.stdout) as Array<{ name: string; reason?: string }>).find((p) => p.name === 'gpu')!.reason ?? '';
        };
        // Relaunched: the environment is right, and loading fails only for want of the package.
        assert.match(probe({}), /the gpu engine at .* failed to load/);
        // Not relaunched (as if it already had been): the engine refuses to load without its environment.
        assert.match(probe({ PERSEMON_GPU_ENVIRONMENT: '1' }), /needs LD_LIBRARY_PATH, TF_FORCE_GPU_ALLOW_GROWTH, PATH set before the process starts/);
    });

    it('names every missing build tool, and installs nothing', () => {
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-bin-'));
        for (const tool of ['node', 'npm', 'python3']) {
            const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
            fs.symlinkSync(found, path.join(bin, tool));
        }
        const dir = emptyEngines();
        const r = persemon(['backends', 'install', 'node'], { ...process.env, PATH: bin, PERSEMON_ENGINES_DIR: dir });
        assert.equal(r.status, 1);
        assert.match(r.stderr, /missing: .*g\+\+ \(apt-get install g\+\+\); make \(apt-get install make\)/);
        assert.deepEqual(leftIn(dir), []);
    });

    it('refuses a wheel without TensorFlow\'s library, leaving nothing behind', () => {
        const dir = emptyEngines();
        const wheel = path.join(dir, '..', `not-tensorflow-${process.pid}.whl`);
        const made = spawnSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").writestr("x/y.txt", "no")', wheel]);
        assert.equal(made.status, 0);
        const r = persemon(['backends', 'install', 'node', '--wheel', wheel], { ...process.env, PERSEMON_ENGINES_DIR: dir });
        assert.equal(r.status, 1);
        assert.match(r.stderr, /holds no tensorflow\/libtensorflow_cc\.so\.2/);
        assert.deepEqual(leftIn(dir), []);
    });

    it('never lets npm install tfjs-node itself, so a plain npm ci downloads no libtensorflow', () => {
        const lock = JSON.parse(fs.readFileSync(path.join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
        const native = Object.keys(lock.packages).filter((p) => /@tensorflow\/tfjs-node(-gpu)?$/.test(p));
        assert.deepEqual(native, []);
    });

    describe('with the native engine installed', () => {
        before(function () {
            if (!nativeInstalled() || !readEngine('node').manifest) this.skip();
        });

        it('a second install checks the engine and stops', () => {
            const r = persemon(['backends', 'install', 'node'], process.env);
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stdout.trim(), readEngine('node').root);
            assert.match(r.stderr, /already installed .*TensorFlow 2\.21\.0/);
        });

        it('builds the GPU engine\'s layout and binding, then refuses it on a machine without a GPU', () => {
            // A site-packages as the tensorflow and and-cuda wheels leave it: the CPU engine's
            // TensorFlow (same C API), and CUDA folders with a stand-in library and ptxas.
            const site = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-site-'));
            fs.symlinkSync(path.join(readEngine('node').root, 'tensorflow'), path.join(site, 'tensorflow'));
            fs.mkdirSync(path.join(site, 'nvidia/cuda_runtime/lib'), { recursive: true });
            fs.writeFileSync(path.join(site, 'nvidia/cuda_runtime/lib/libcudart.so.12'), '');
            fs.mkdirSync(path.join(site, 'nvidia/cuda_nvcc/bin'), { recursive: true });
            fs.writeFileSync(path.join(site, 'nvidia/cuda_nvcc/bin/ptxas'), '#!/bin/sh\n', { mode: 0o755 });
            const dir = emptyEngines();
            const r = persemon(['backends', 'install', 'gpu', '--wheel', site], { ...process.env, PERSEMON_ENGINES_DIR: dir });
            assert.equal(r.status, 1, r.stderr);
            assert.match(r.stderr, /building its binding/, 'it got as far as building @tensorflow\/tfjs-node-gpu');
            assert.match(r.stderr, /TensorFlow 2\.21\.0 loads, but finds no GPU/);
            assert.match(r.stderr, /nothing was installed/);
            assert.deepEqual(leftIn(dir), []);
        });
    });
});
