/**
 * `persemon run / resume / eval` end to end, as a user or a script would call them: the run
 * directory contract of the README, kill -9 and resume without a step lost or logged twice, exact
 * continuation, a clean stop on SIGINT, NaN stops the run naming the term, bad JobSpecs refused.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { events, persemon, startRun, tinyExperiment, trainLosses, waitForEvent, workspace } from './helpers/cli.js';

const TRAITS = ['extraversion', 'agreeableness', 'conscientiousness', 'neuroticism', 'openness'];

describe('persemon run, resume and eval', function () {
    this.timeout(600_000);
    let complete: string;

    before(() => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 6 }));
        const r = persemon(['run', file, '--out', path.join(dir, 'runs')]);
        assert.equal(r.status, 0, r.stderr);
        complete = r.stdout.split('\n')[0];
    });

    it('writes the run directory the README describes', () => {
        assert.match(path.basename(complete), /^Tiny-\d{8}-\d{6}$/);
        const spec = JSON.parse(fs.readFileSync(path.join(complete, 'spec.json'), 'utf8'));
        assert.equal(spec.experiment, 'Tiny');
        const all = events(complete);
        for (const e of all) {
            assert.equal(typeof e.type, 'string');
            assert.ok(!Number.isNaN(Date.parse(e.time)), `time of ${JSON.stringify(e)}`);
            assert.equal(typeof e.step, 'number');
        }
        const start = all[0];
        assert.equal(start.type, 'start');
        assert.equal(start.backend, 'wasm');
        assert.equal(start.threads, os.cpus().length >= 2 ? 2 : 1);
        assert.equal(start.resumed_from, null);
        // The persemon that ran: this checkout's runtime package.
        const runtimeDir = path.resolve('packages/runtime');
        assert.deepEqual(start.runtime, { version: JSON.parse(fs.readFileSync(path.join(runtimeDir, 'package.json'), 'utf8')).version, dir: runtimeDir });
        assert.equal(start.parameters.total, start.parameters.fem + start.parameters.pam + start.parameters.eam + start.parameters.ram + start.parameters.coherence);
        const train = all.filter(e => e.type === 'train');
        assert.deepEqual(train.map(e => e.step), [1, 2, 3, 4, 5, 6]);
        for (const e of train) {
            assert.deepEqual(Object.keys(e.loss).sort(), ['adv', 'd', 'emo', 'per', 'ram', 'total']);
            const { per, emo, d, adv, ram, total } = e.loss;
            // eq. 13 with the default λs: 1, 1, 0.1, 0.1, 0.1.
            assert.ok(Math.abs(total - (per + emo + 0.1 * d + 0.1 * adv + 0.1 * ram)) < 1e-4, JSON.stringify(e.loss));
            assert.ok(e.images_per_s > 0);
        }
        assert.deepEqual(all.filter(e => e.type === 'checkpoint').map(e => e.step), [2, 4, 6]);
        const evals = all.filter(e => e.type === 'eval');
        const personality = evals.find(e => e.personality)!;
        assert.equal(personality.split, 'test');
        for (const key of ['pam', 'ram', 'fused']) {
            assert.deepEqual(Object.keys(personality.personality[key].A).sort(), [...TRAITS, 'mean'].sort());
        }
        assert.ok(evals.find(e => e.emotion)!.emotion.mse.mean > 0);
        assert.equal(all.at(-1)!.type, 'done');
        // One per dataset when the run starts, and again with the counts of frames read at the end.
        const data = all.filter(e => e.type === 'data');
        assert.deepEqual(data.map(e => `${e.dataset}@${e.step}`), ['personas@0', 'moods@0', 'personas@6', 'moods@6']);
        assert.ok(data[2].read > 0, 'frames read by the end');

        const report = JSON.parse(fs.readFileSync(path.join(complete, 'report.json'), 'utf8'));
        assert.deepEqual(report.splits.test.personality, personality.personality);
        const header = fs.readFileSync(path.join(complete, 'predictions/test-personality.csv'), 'utf8').split('\n')[0];
        assert.equal(header, ['id', ...['true', 'pam', 'ram', 'fused'].flatMap(g => TRAITS.map(t => `${g}_${t}`))].join(','));
        const emotion = fs.readFileSync(path.join(complete, 'predictions/test-emotion.csv'), 'utf8').trim().split('\n');
        assert.equal(emotion[0], 'id,true_arousal,true_valence,pred_arousal,pred_valence');
        // 2 test people (validation 0.2 of 10) x 1 clip x 8 labelled frames.
        assert.equal(emotion.length - 1, 16);
        assert.equal(fs.readFileSync(path.join(complete, 'checkpoints/latest'), 'utf8').trim(), 'step-0000006');
    });

    it('recomputes report.json from predictions with the standard formulas', () => {
        const rows = fs.readFileSync(path.join(complete, 'predictions/test-personality.csv'), 'utf8').trim().split('\n').slice(1)
            .map(l => l.split(',').slice(1).map(Number));
        const report = JSON.parse(fs.readFileSync(path.join(complete, 'report.json'), 'utf8')).splits.test.personality;
        TRAITS.forEach((trait, t) => {
            const y = rows.map(r => r[t]);
            const p = rows.map(r => r[5 + t]);
            const mean = y.reduce((a, b) => a + b, 0) / y.length;
            const A = 1 - y.reduce((s, v, i) => s + Math.abs(v - p[i]), 0) / y.length;
            const R2 = 1 - y.reduce((s, v, i) => s + (v - p[i]) ** 2, 0) / y.reduce((s, v) => s + (v - mean) ** 2, 0);
            // The CSV rounds to 1e-6; R² over few videos of few people magnifies that, hence relative.
            assert.ok(Math.abs(report.pam.A[trait] - A) < 1e-5, `${trait} A: ${report.pam.A[trait]} vs ${A}`);
            assert.ok(Math.abs(report.pam.R2[trait] - R2) < 1e-3 * Math.max(1, Math.abs(R2)), `${trait} R2: ${report.pam.R2[trait]} vs ${R2}`);
        });
    });

    it('resumes a run killed with SIGKILL: no step lost or logged twice, the same losses', async () => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 6 }));
        const run = startRun(file, path.join(dir, 'runs'));
        await waitForEvent(run.child, run.runDir, e => e.type === 'train' && e.step >= 3);
        run.child.kill('SIGKILL');
        await run.exit;
        const runDir = run.runDir()!;
        const before = events(runDir);
        assert.ok(!before.some(e => e.type === 'done'));
        const r = persemon(['resume', runDir]);
        assert.equal(r.status, 0, r.stderr);
        const after = events(runDir);
        const steps = after.filter(e => e.type === 'train').map(e => e.step);
        assert.deepEqual(steps, [1, 2, 3, 4, 5, 6], 'every step once');
        const starts = after.filter(e => e.type === 'start');
        assert.equal(starts.length, 2);
        assert.ok([2, 4].includes(starts[1].resumed_from), `resumed from ${starts[1].resumed_from}`);
        // The resumed run continues exactly: its losses equal the uninterrupted run's.
        const expected = trainLosses(complete);
        for (const [step, loss] of trainLosses(runDir)) assert.ok(Math.abs(loss - expected.get(step)!) < 1e-5, `step ${step}: ${loss} vs ${expected.get(step)}`);
        assert.equal(after.at(-1)!.type, 'done');
    });

    it('stops cleanly on SIGINT after a checkpoint, and resume finishes the run', async () => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 40 }));
        const run = startRun(file, path.join(dir, 'runs'));
        await waitForEvent(run.child, run.runDir, e => e.type === 'train' && e.step >= 1);
        run.child.kill('SIGINT');
        assert.equal(await run.exit, 0);
        const stopped = events(run.runDir()!);
        const stop = stopped.at(-1)!;
        assert.equal(stop.type, 'stopped');
        assert.ok(stop.step < 40);
        const checkpoint = stopped.filter(e => e.type === 'checkpoint').at(-1)!;
        assert.equal(checkpoint.step, stop.step, 'a checkpoint at the step it stopped');
    });

    it('is deterministic: the same JobSpec and seed give the same losses', () => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 6 }));
        const r = persemon(['run', file, '--out', path.join(dir, 'runs'), '--max-steps', '3']);
        assert.equal(r.status, 0, r.stderr);
        const again = trainLosses(r.stdout.split('\n')[0]);
        const first = trainLosses(complete);
        assert.equal(again.size, 3);
        for (const [step, loss] of again) assert.ok(Math.abs(loss - first.get(step)!) < 1e-5);
    });

    it('evaluates a finished run again with eval, appending its eval events', () => {
        const before = events(complete).filter(e => e.type === 'eval').length;
        const r = persemon(['eval', complete, '--split', 'test']);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /Apparent personality on test \(step 6\)/);
        assert.match(r.stdout, /PAM\+RAM/);
        // Personality on personas.test and emotion on moods.test, at the checkpoint's step 6.
        const added = events(complete).filter(e => e.type === 'eval').slice(before);
        assert.deepEqual(added.map(e => `${e.dataset}.${e.split}@${e.step}`), ['personas.test@6', 'moods.test@6']);
    });

    it('eval of another split adds it to report.json, keeps the test results and does not end the run again', () => {
        const reportFile = path.join(complete, 'report.json');
        const test = JSON.parse(fs.readFileSync(reportFile, 'utf8')).splits.test;
        const before = events(complete);
        const r = persemon(['eval', complete, '--split', 'validation']);
        assert.equal(r.status, 0, r.stderr);
        const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
        assert.deepEqual(report.splits.test, test);
        const added = events(complete).slice(before.length);
        assert.deepEqual(report.splits.validation.emotion, added.find(e => e.type === 'eval' && e.emotion)!.emotion);
        assert.deepEqual([...new Set(added.map(e => e.type))].sort(), ['data', 'eval'], 'no done event');
    });

    it('stops with an error event naming the term when a loss is not finite', () => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 30, optimizer: 'sgd { lr 1e30 }' }));
        const r = persemon(['run', file, '--out', path.join(dir, 'runs')]);
        assert.equal(r.status, 1);
        const error = events(r.stdout.split('\n')[0]).find(e => e.type === 'error')!;
        assert.match(error.where, /^loss\.(per|emo|d|adv|ram)$/);
        assert.match(error.message, new RegExp(`L_\\w+ is (NaN|-?Infinity).* at step ${error.step}`));
        assert.match(r.stderr, /at step \d+; stopping/);
    });

    it('refuses a JobSpec that breaks the schema before any work starts', () => {
        const spec = JSON.parse(fs.readFileSync(path.join(complete, 'spec.json'), 'utf8'));
        spec.sampling.segments = 0;
        const { dir } = workspace('');
        const file = path.join(dir, 'job.json');
        fs.writeFileSync(file, JSON.stringify(spec));
        const r = persemon(['run', file, '--out', path.join(dir, 'runs')]);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /job\.json: invalid JobSpec:\n\s+sampling\.segments: must be >= 1/);
        assert.ok(!fs.existsSync(path.join(dir, 'runs')), 'no run directory');
    });

    it('exits 2 on bad arguments', () => {
        const r = persemon(['run']);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /run needs exactly one FILE/);
    });
});
