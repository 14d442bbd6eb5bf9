/**
 * The native TensorFlow engine end to end, beside wasm: the same JobSpec trains to the same losses
 * on both, a killed native run resumes exactly, `eval` reproduces its report, a frozen FEM trains
 * from cached features, and `predict` (face detection included) gives the same answers as on wasm.
 * Runs wherever `persemon backends install node` has built the engine; required in CI.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NATIVE_REQUIRED, nativeInstalled } from '../packages/runtime/test/helpers/engines.js';
import { events, persemon, root, startRun, tinyExperiment, trainLosses, waitForEvent, workspace } from './helpers/cli.js';

const ASTRONAUT = path.join(root, 'test/fixtures/astronaut.png');

/**
 * Float32 sums taken in another order (oneDNN's blocked kernels, XNNPACK's) differ by ~1e-7
 * relative a step; over 6 SGD steps of this net the losses measured apart by < 1e-6. 1e-4 leaves
 * room for other CPUs' vector widths while still failing on any wrong kernel (those differ by > 1e-2).
 */
const ENGINE_TOLERANCE = 1e-4;

const TINY = (backend: string, fem = '') => tinyExperiment({ iterations: 6, seed: 5, backend, fem });

/** Twice the usual time before a command is killed: the native engine loads TensorFlow's library first. */
const SLOW = { timeout: 480_000 };

function run(backend: string, fem = ''): string {
    const { dir, file } = workspace(TINY(backend, fem));
    const r = persemon(['run', file, '--out', path.join(dir, 'runs')], SLOW);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n')[0];
}

function assertLossesClose(a: Map<number, number>, b: Map<number, number>, tolerance: number): void {
    assert.deepEqual([...a.keys()], [...b.keys()]);
    for (const [step, loss] of a) assert.ok(Math.abs(loss - b.get(step)!) < tolerance, `step ${step}: ${loss} vs ${b.get(step)}`);
}

describe('the native engine end to end, beside wasm', function () {
    this.timeout(900_000);
    let wasmRun: string;
    let nodeRun: string;

    before(function () {
        if (!nativeInstalled()) {
            if (NATIVE_REQUIRED) throw new Error('the native engine is not installed and this run requires it: npx persemon backends install node');
            this.skip();
        }
        wasmRun = run('wasm');
        nodeRun = run('node');
    });

    it('trains the same JobSpec to the same losses and metrics as wasm', () => {
        const start = events(nodeRun)[0];
        assert.equal(start.backend, 'node');
        assert.equal(start.backend_version, '4.22.0');
        assert.equal(start.tensorflow, '2.21.0');
        assert.deepEqual(start.devices, ['CPU']);
        assertLossesClose(trainLosses(nodeRun), trainLosses(wasmRun), ENGINE_TOLERANCE);
        const report = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).splits.test;
        const [n, w] = [report(nodeRun), report(wasmRun)];
        for (const key of ['pam', 'ram', 'fused']) {
            assert.ok(Math.abs(n.personality[key].A.mean - w.personality[key].A.mean) < 1e-3, key);
        }
        assert.ok(Math.abs(n.emotion.mse.mean - w.emotion.mse.mean) < 1e-3);
    });

    it('resumes a killed native run exactly, without a step twice', async () => {
        const { dir, file } = workspace(TINY('node'));
        const started = startRun(file, path.join(dir, 'runs'));
        await waitForEvent(started.child, started.runDir, e => e.type === 'checkpoint' && e.step === 2);
        started.child.kill('SIGKILL');
        await started.exit;
        const runDir = started.runDir()!;
        const r = persemon(['resume', runDir], SLOW);
        assert.equal(r.status, 0, r.stderr);
        const steps = events(runDir).filter(e => e.type === 'train').map(e => e.step);
        assert.deepEqual(steps, [...new Set(steps)].sort((a, b) => a - b), 'no step logged twice');
        assert.deepEqual(steps.at(-1), 6);
        assertLossesClose(trainLosses(runDir), trainLosses(nodeRun), 1e-5);
    });

    it('eval on the native engine reproduces the run\'s report', () => {
        const before = JSON.parse(fs.readFileSync(path.join(nodeRun, 'report.json'), 'utf8')).splits.test;
        const r = persemon(['eval', nodeRun, '--split', 'test'], SLOW);
        assert.equal(r.status, 0, r.stderr);
        const after = JSON.parse(fs.readFileSync(path.join(nodeRun, 'report.json'), 'utf8')).splits.test;
        assert.ok(Math.abs(after.personality.fused.R2.mean - before.personality.fused.R2.mean) < 1e-6);
        assert.ok(Math.abs(after.emotion.mse.mean - before.emotion.mse.mean) < 1e-6);
    });

    it('trains a frozen FEM from cached features as wasm does', () => {
        const frozenNode = run('node', 'freeze');
        const frozenWasm = run('wasm', 'freeze');
        assert.equal(events(frozenNode)[0].parameters.fem, 0, 'FEM frozen');
        assertLossesClose(trainLosses(frozenNode), trainLosses(frozenWasm), ENGINE_TOLERANCE);
    });

    it('predicts the astronaut, face detection included, as wasm does', () => {
        const onWasm = path.join(path.dirname(nodeRun), 'on-wasm');
        fs.cpSync(nodeRun, onWasm, { recursive: true });
        const spec = JSON.parse(fs.readFileSync(path.join(onWasm, 'spec.json'), 'utf8'));
        fs.writeFileSync(path.join(onWasm, 'spec.json'), JSON.stringify({ ...spec, backend: 'wasm' }));
        const predict = (dir: string) => {
            const r = persemon(['predict', dir, ASTRONAUT, '--json'], SLOW);
            assert.equal(r.status, 0, r.stderr);
            return JSON.parse(r.stdout) as { faces: Array<{ box: Record<string, number>; arousal: number; valence: number; personality: { fused: Record<string, number> } }> };
        };
        const [n, w] = [predict(nodeRun), predict(onWasm)];
        assert.equal(n.faces.length, 1);
        assert.equal(w.faces.length, 1);
        for (const k of ['x', 'y', 'width', 'height']) assert.ok(Math.abs(n.faces[0].box[k] - w.faces[0].box[k]) < 1, `box.${k}`);
        assert.ok(Math.abs(n.faces[0].arousal - w.faces[0].arousal) < 1e-3);
        assert.ok(Math.abs(n.faces[0].valence - w.faces[0].valence) < 1e-3);
        for (const [trait, v] of Object.entries(n.faces[0].personality.fused)) {
            assert.ok(Math.abs(v - w.faces[0].personality.fused[trait]) < 1e-3, trait);
        }
    });
});
