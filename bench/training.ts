/**
 * Training and inference speed of FEM (SphereFace-20 at 112x96, batch 16, and the quickstart's
 * SphereFace-4 at 32x32) on each engine that loads here (the native one once `persemon backends
 * install node` has built it), beside PyTorch-CPU on the same network (bench/torch_sphereface.py:
 * pip's 2.13 in the venv scripts/torch-venv.sh makes, and Debian's python3-torch 1.13 where
 * installed) run interleaved with ours so all see the same machine load; and, per engine, the time
 * and peak memory of one paper-sized step (100 emotion frames + 10 videos x 10), each in a process
 * of its own so that peaks are not mixed, with what the paper's 56k iterations would take here.
 *
 * Run alone: node --conditions=source --import tsx bench/training.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { JobSpec } from '@persemon/language';
import { autoMicroBatch, type BackendName, createOptimizer, PersEmonModel, persemonCacheDir, probeBackends, Random, selectBackend, type TrainBatch, trainStep } from '@persemon/runtime';
import { median } from './median.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PAPER_ITERATIONS = 56_000;

/** A PyTorch to compare with: its label in the results and the python that has it. */
interface Torch { label: string; python: string; version: string }

function torchVersion(python: string): string | null {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : null;
}

/** pip's PyTorch 2.13 (the venv of scripts/torch-venv.sh), then Debian's 1.13, where each is installed. */
function torches(): { found: Torch[]; missing: string[] } {
    const venv = path.join(persemonCacheDir(), 'torch-venv', 'bin', 'python');
    const candidates = [
        { label: 'pytorch_2_13', python: venv, hint: 'bash scripts/torch-venv.sh' },
        { label: 'pytorch_1_13', python: '/usr/bin/python3', hint: 'apt-get install python3-torch' },
    ];
    const found: Torch[] = [];
    const missing: string[] = [];
    for (const c of candidates) {
        const version = fs.existsSync(c.python) ? torchVersion(c.python) : null;
        if (version) found.push({ label: c.label, python: c.python, version });
        else missing.push(`${c.label}: not installed (${c.hint})`);
    }
    return { found, missing };
}

interface Config {
    name: string;
    depth: 4 | 20;
    height: number;
    width: number;
    batch: number;
    steps: number;
}

const CONFIGS: Config[] = [
    { name: 'sphereface20-112x96-b16', depth: 20, height: 112, width: 96, batch: 16, steps: 3 },
    { name: 'quickstart-sphereface4-32x32-b64', depth: 4, height: 32, width: 32, batch: 64, steps: 10 }
];

function modelOptions(c: Pick<Config, 'depth' | 'height' | 'width'>, emotionFrames: number, videos = 0, segments = 1): Pick<JobSpec, 'model' | 'sampling' | 'seed'> {
    return {
        seed: 1,
        sampling: { segments, emotionFrames, personalityVideos: videos, microBatch: 'auto' },
        model: {
            fem: { family: 'sphereface', depth: c.depth, input: { height: c.height, width: c.width }, init: null, freeze: false, features: 512 },
            pam: { enabled: videos > 0, consensus: { kind: 'average', hidden: 128 } },
            eam: { enabled: true },
            ram: { enabled: videos > 0, hidden: 128, consensus: { kind: 'average', hidden: 128 } },
            coherence: { enabled: videos > 0 }
        }
    };
}

const LOSS = { lambda1: 1, lambda2: 1, lambda3: 0.1, lambda4: 0.1, lambda5: 0.1, margin: 0.05 };

function randomImages(count: number, c: Pick<Config, 'height' | 'width'>, random: Random): Float32Array {
    const out = new Float32Array(count * c.height * c.width * 3);
    for (let i = 0; i < out.length; i++) out[i] = random.next() * 2 - 1;
    return out;
}

/** Ours: images/s of an emotion-only training step (FEM + EAM, the network PyTorch runs) and of inference. */
function measureOurs(c: Config, steps: number): { train: number; infer: number } {
    const random = new Random(2);
    const options = modelOptions(c, c.batch);
    const model = new PersEmonModel(options);
    const optimizer = createOptimizer({ kind: 'sgd', lr: 0.001, momentum: 0.9, weightDecay: 0 }, model.networkParams());
    const labels = new Float32Array(c.batch * 2).map(() => random.next() * 2 - 1);
    const batch: TrainBatch = { emotion: { images: randomImages(c.batch, c, random), labels } };
    const step = () => trainStep(model, { network: optimizer, discriminator: null }, batch, { loss: LOSS }, { lr: 0.001, microBatch: c.batch });
    step();
    let t = performance.now();
    for (let i = 0; i < steps; i++) step();
    const train = (c.batch * steps) / ((performance.now() - t) / 1000);
    model.predictEmotion({ images: batch.emotion!.images! }, c.batch);
    t = performance.now();
    for (let i = 0; i < steps; i++) model.predictEmotion({ images: batch.emotion!.images! }, c.batch);
    const infer = (c.batch * steps) / ((performance.now() - t) / 1000);
    optimizer.dispose();
    model.dispose();
    return { train, infer };
}

function measureTorch(torch: Torch, c: Config, steps: number): { train: number; infer: number } {
    const out = execFileSync(torch.python, [path.join(here, 'torch_sphereface.py'), String(c.depth), String(c.height), String(c.width), String(c.batch), String(steps), '2'],
        { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2' } });
    const r = JSON.parse(out) as { train_images_per_s: number; infer_images_per_s: number };
    return { train: r.train_images_per_s, infer: r.infer_images_per_s };
}

/** Peak RSS of this process so far (Linux VmHWM), in MiB. */
function peakRssMiB(): number | null {
    try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
        return m ? Number(m[1]) / 1024 : null;
    } catch {
        return null;
    }
}

function wasmHeapMiB(): number | null {
    const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
    return backend.wasm?.HEAPU8 ? backend.wasm.HEAPU8.buffer.byteLength / 2 ** 20 : null;
}

/** One step of the paper's batch: 100 emotion frames + 10 videos x K = 10 at 112x96, SphereFace-20, all modules. */
function paperStep(backend: BackendName): Record<string, unknown> {
    const c = { depth: 20 as const, height: 112, width: 96 };
    const options = modelOptions(c, 100, 10, 10);
    const spec = { ...options } as JobSpec;
    const microBatch = autoMicroBatch(spec, backend);
    const random = new Random(3);
    const model = new PersEmonModel(options);
    const network = createOptimizer({ kind: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 0.0005 }, model.networkParams());
    const discriminator = createOptimizer({ kind: 'sgd', lr: 0.01, momentum: 0.9, weightDecay: 0.0005 }, model.discriminatorParams());
    const batch: TrainBatch = {
        emotion: { images: randomImages(100, c, random), labels: new Float32Array(200).map(() => random.next() * 2 - 1) },
        personality: { images: randomImages(100, c, random), labels: new Float32Array(50).map(() => random.next()), segments: 10 }
    };
    const started = performance.now();
    const result = trainStep(model, { network, discriminator }, batch, { loss: LOSS }, { lr: 0.01, microBatch });
    const seconds = (performance.now() - started) / 1000;
    network.dispose();
    discriminator.dispose();
    model.dispose();
    return {
        micro_batch: microBatch, seconds, images: result.images, loss: result.loss.total,
        peak_rss_mib: peakRssMiB(), wasm_heap_mib: wasmHeapMiB(),
        paper_iterations_days: (seconds * PAPER_ITERATIONS) / 86_400
    };
}

/** paperStep in a fresh process, so its peak memory is its own. */
function paperStepApart(backend: BackendName): Record<string, unknown> {
    const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', fileURLToPath(import.meta.url), '--paper-step', backend],
        { encoding: 'utf8', maxBuffer: 2 ** 24 });
    if (r.status !== 0) return { failed: r.stderr.trim().split('\n').slice(-3).join(' ') };
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

export async function run(): Promise<Record<string, unknown>> {
    const probes = await probeBackends();
    const { found, missing } = torches();
    const results: Record<string, unknown> = {
        backends: probes,
        pytorch: { ...Object.fromEntries(found.map(t => [t.label, { version: t.version, threads: 2 }])), missing },
        configs: {} as Record<string, unknown>
    };
    const usable = probes.filter(p => p.loads).map(p => p.name as BackendName);
    for (const c of CONFIGS) {
        const perBackend: Record<string, unknown> = {};
        for (const name of usable) {
            await selectBackend(name);
            if (name === 'cpu' && c.depth === 20) {
                perBackend[name] = { skipped: 'the cpu backend takes minutes per SphereFace-20 step; see the quickstart row for its speed' };
                continue;
            }
            const steps = name === 'cpu' ? 1 : c.steps;
            const ours: Array<{ train: number; infer: number }> = [];
            const theirs = new Map<string, Array<{ train: number; infer: number }>>(found.map(t => [t.label, []]));
            // Interleaved: each PyTorch, ours, again, so a change in machine load hits all of them.
            for (let round = 0; round < (name === 'cpu' ? 1 : 2); round++) {
                for (const torch of found) theirs.get(torch.label)!.push(measureTorch(torch, c, c.steps));
                ours.push(measureOurs(c, steps));
            }
            const train = median(ours.map(o => o.train));
            const infer = median(ours.map(o => o.infer));
            const entry: Record<string, unknown> = { train_images_per_s: train, infer_images_per_s: infer };
            for (const [label, runs] of theirs) {
                const torchTrain = median(runs.map(o => o.train));
                const torchInfer = median(runs.map(o => o.infer));
                entry[label] = {
                    train_images_per_s: torchTrain, infer_images_per_s: torchInfer,
                    train_ratio: train / torchTrain, infer_ratio: infer / torchInfer
                };
            }
            perBackend[name] = entry;
        }
        (results.configs as Record<string, unknown>)[c.name] = perBackend;
    }
    await selectBackend('wasm');
    results.paper_step = Object.fromEntries(usable.filter(n => n !== 'cpu').map(n => [n, paperStepApart(n)]));
    return results;
}

const paperStepAt = process.argv.indexOf('--paper-step');
if (paperStepAt > 0) {
    const backend = process.argv[paperStepAt + 1] as BackendName;
    await selectBackend(backend);
    process.stdout.write(JSON.stringify(paperStep(backend)) + '\n');
} else if (import.meta.url === pathToFileURL(process.argv[1]).href) {
    process.stdout.write(JSON.stringify(await run(), null, 2) + '\n');
}
