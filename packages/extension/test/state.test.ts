import * as assert from 'node:assert/strict';
import type { RunEvent } from '../src/runner/events.js';
import { describeRun, experimentFromDir, metricLines, statusText } from '../src/runner/describe.js';
import { emptySummary, foldEvents, runState, STALE_MS } from '../src/runner/state.js';

const time = '2024-05-01T10:00:00.000Z';
const traits = (v: number) => ({ extraversion: v, agreeableness: v, conscientiousness: v, neuroticism: v, openness: v, mean: v });
const start = (step = 0, resumed: number | null = null): RunEvent => ({
    type: 'start', time, step, backend: 'wasm', backend_version: '4.22.0', threads: 2, seed: 1, spec_hash: 'h',
    resumed_from: resumed, parameters: { fem: 1, pam: 1, eam: 1, ram: 1, coherence: 1, total: 5 },
    experiment: 'Quickstart', iterations: 600, micro_batch: 16, backends_tried: []
});
const train = (step: number, total: number): RunEvent => ({ type: 'train', time, step, lr: 0.01, images_per_s: 84.25, loss: { total, per: 0, emo: 0, d: 0, adv: 0, ram: 0 } });
const evaluation = (step: number): RunEvent => ({
    type: 'eval', time, step, split: 'test',
    personality: { pam: { A: traits(0.9), R2: traits(0.3) }, fused: { A: traits(0.9125), R2: traits(0.41) } },
    emotion: { mse: { arousal: 0.02, valence: 0.03, mean: 0.025 } }
});
const now = Date.parse('2024-05-01T10:05:00Z');
const dir = '/w/runs/Quickstart-20240501-100000';

describe('run state', () => {
    it('folds start, train, eval and done into a summary', () => {
        const s = foldEvents(emptySummary(), [start(), train(1, 2.5), train(2, 2.25), evaluation(2), { type: 'done', time, step: 2, report: 'report.json' }]);
        assert.equal(s.experiment, 'Quickstart');
        assert.equal(s.step, 2);
        assert.equal(s.iterations, 600);
        assert.equal(s.loss?.total, 2.25);
        assert.equal(s.evals.test.step, 2);
        foldEvents(s, [{ ...evaluation(3), dataset: 'moods', personality: undefined } as RunEvent]);
        assert.deepEqual(Object.keys(s.evals), ['test', 'moods.test'], 'one entry per dataset and split');
        assert.equal(runState(s, { ownProcess: false, lastWrite: 0, now }), 'done');
    });

    it('is running while the log grows or our process lives, interrupted once silent', () => {
        const s = foldEvents(emptySummary(), [start(), train(1, 1)]);
        assert.equal(runState(s, { ownProcess: false, lastWrite: now - 1000, now }), 'running');
        assert.equal(runState(s, { ownProcess: true, lastWrite: 0, now }), 'running');
        assert.equal(runState(s, { ownProcess: false, lastWrite: now - STALE_MS - 1, now }), 'interrupted');
        assert.equal(runState(emptySummary(), { ownProcess: true, lastWrite: 0, now }), 'starting');
    });

    it('maps error and stopped, and a resume clears the end and counts', () => {
        const failed = foldEvents(emptySummary(), [start(), { type: 'error', time, step: 3, message: 'NaN loss', where: 'train' }]);
        assert.equal(runState(failed, { ownProcess: false, lastWrite: now, now }), 'failed');
        const stopped = foldEvents(emptySummary(), [start(), { type: 'stopped', time, step: 3, reason: 'SIGINT' }]);
        assert.equal(runState(stopped, { ownProcess: false, lastWrite: now, now }), 'stopped');
        foldEvents(stopped, [start(3, 3), train(4, 1)]);
        assert.equal(stopped.resumes, 1);
        assert.equal(runState(stopped, { ownProcess: true, lastWrite: now, now }), 'running');
    });
});

describe('run descriptions (tree items, status bar)', () => {
    it('names the experiment from the directory when no start event says it', () => {
        assert.equal(experimentFromDir('/a/runs/NoCoherence-20240101-120000'), 'NoCoherence');
        assert.equal(experimentFromDir('/a/runs/custom'), 'custom');
    });

    it('recognises a run whose name took a suffix: the second run started in the same second', () => {
        const dir = '/a/runs/Tiny-20261129-101500-2';
        assert.equal(experimentFromDir(dir), 'Tiny');
        assert.equal(experimentFromDir('/a/runs/Tiny-20261129-101500-13'), 'Tiny');
        assert.match(describeRun(dir, emptySummary(), 'starting').tooltip, /^Tiny — starting\n/);
    });

    it('describes a finished run with backend and headline metrics', () => {
        const s = foldEvents(emptySummary(), [start(), train(600, 0.5), evaluation(600), { type: 'done', time, step: 600, report: 'r' }]);
        const d = describeRun(dir, s, 'done');
        assert.equal(d.label, 'Quickstart-20240501-100000');
        assert.equal(d.description, 'done · wasm · A 0.912 · MSE 0.025');
        assert.equal(d.contextValue, 'run.done');
        assert.equal(d.icon.id, 'pass');
        assert.deepEqual(d.metrics, [{ label: 'test (fused)', description: 'A 0.912 · R² 0.410 · MSE arousal 0.020 · valence 0.030 @ 600' }]);
        assert.match(d.tooltip, /backend wasm 4\.22\.0 \(2 threads\)/);
    });

    it('describes a live run by its progress, and the status bar adds loss and images/s', () => {
        const s = foldEvents(emptySummary(), [start(), train(120, 1.23456)]);
        assert.equal(describeRun(dir, s, 'running').description, 'running · wasm · step 120/600');
        assert.equal(statusText(s), 'Quickstart step 120/600 · loss 1.235 · 84.3 img/s');
    });

    it('has no metric lines without evaluations', () => {
        assert.deepEqual(metricLines({}), []);
    });
});
