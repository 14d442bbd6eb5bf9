/**
 * The Runs view's grouping of a sweep: sweep.json read and checked, each point's state from its
 * record and its run's events, the progress counts, and the sweep declarations CodeLens counts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '../src/runner/events.js';
import type { Run } from '../src/runner/registry.js';
import { emptySummary, foldEvents, runState } from '../src/runner/state.js';
import { describeSweep } from '../src/sweep/describe-sweep.js';
import { describeProgress, pointState, sweepProgress, sweepState } from '../src/sweep/progress.js';
import { parseSweepFile, readSweepDir, sweepRootOf } from '../src/sweep/sweep-file.js';
import { findSweeps } from '../src/sweep/sweep-list.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const time = '2024-05-01T10:00:00.000Z';
const start: RunEvent = {
    type: 'start', time, step: 0, backend: 'wasm', backend_version: '4.22.0', threads: 2, seed: 1, spec_hash: 'h',
    resumed_from: null, parameters: { fem: 1, pam: 1, eam: 1, ram: 1, coherence: 1, total: 5 }, experiment: 'Quickstart', iterations: 20
} as RunEvent;
const train = (step: number): RunEvent => ({ type: 'train', time, step, lr: 0.01, images_per_s: 80, loss: { total: 1, per: 0, emo: 0, d: 0, adv: 0, ram: 0 } });

function point(name: string, status: string, extra: Record<string, unknown> = {}) {
    return { name, experiment: 'Quickstart', settings: [{ path: 'seed', value: 1 }, { path: 'model.coherence.enabled', value: true }], status, attempts: 1, ...extra };
}

describe('sweep directory', () => {
    it('reads the points of sweep.json and refuses a bad one naming the field', () => {
        const record = parseSweepFile(JSON.stringify({ version: 1, sweep: 'S', axes: [{ paths: ['seed'], values: [[1], [2]] }], points: [point('0-Q-seed=1', 'done')] }), '/w/S-20240501-100000');
        assert.equal(record.sweep, 'S');
        assert.deepEqual(record.points.map(p => [p.name, p.status]), [['0-Q-seed=1', 'done']]);
        assert.deepEqual(record.axes[0].paths, ['seed']);
        assert.throws(() => parseSweepFile('{"sweep": "S"}', '/w/S'), /\/w\/S\/sweep\.json: points: must list/);
        assert.throws(() => parseSweepFile('{"sweep": "S", "points": [{"name": "../x", "experiment": "Q"}]}', '/w/S'), /points\[0\]\.name/);
        assert.throws(() => parseSweepFile('{"sweep": 3, "points": []}', '/w/S'), /sweep: must be the sweep's name/);
        assert.throws(() => parseSweepFile('{', '/w/S'), /\/w\/S\/sweep\.json: not JSON/);
    });

    it('finds the sweep of a run directory only under <sweep>/runs/ beside sweep.json', () => {
        const has = (file: string) => file === path.join('/w/S-1', 'sweep.json');
        assert.equal(sweepRootOf('/w/S-1/runs/0-Q', has), '/w/S-1');
        assert.equal(sweepRootOf('/w/S-2/runs/0-Q', has), undefined, 'no sweep.json there');
        assert.equal(sweepRootOf('/w/runs/Quickstart-20240501-100000', has), undefined);
    });
});

describe('sweep progress', () => {
    it('takes a point\'s state from its run where the run says, else from sweep.json', () => {
        const cases: Array<[string, Parameters<typeof pointState>[1], string]> = [
            ['pending', undefined, 'pending'],
            ['running', undefined, 'running'],
            ['failed', undefined, 'failed'],
            ['running', 'starting', 'running'],
            ['running', 'running', 'running'],
            ['running', 'done', 'done'],
            ['pending', 'failed', 'failed'],
            // The process died without an error event: failed only by the record, as `persemon sweep` decides.
            ['failed', 'interrupted', 'failed'],
            ['interrupted', 'interrupted', 'interrupted'],
            ['running', 'stopped', 'interrupted'],
            ['failed', 'done', 'done']
        ];
        for (const [status, run, expected] of cases) {
            assert.equal(pointState({ status: status as never }, run), expected, `${status} + ${run}`);
        }
    });

    it('counts done, failed, running of N and says it in one line', () => {
        const p = sweepProgress(['done', 'failed', 'running', 'pending', 'done']);
        assert.deepEqual(p, { total: 5, done: 2, failed: 1, running: 1, pending: 1, interrupted: 0 });
        assert.equal(describeProgress(p), '2/5 done, 1 failed, 1 running, 1 pending');
        assert.equal(sweepState(p), 'running');
        assert.equal(sweepState(sweepProgress(['done', 'failed'])), 'failed');
        assert.equal(sweepState(sweepProgress(['done', 'interrupted'])), 'incomplete');
        assert.equal(describeProgress(sweepProgress(['done', 'done'])), '2/2 done');
        assert.equal(sweepState(sweepProgress(['done', 'done'])), 'done');
    });

    it('groups a sweep directory\'s points with their runs\' states (events.jsonl folded as the registry does)', () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-sweep-'));
        try {
            const names = ['0-Quickstart-seed=1', '1-Quickstart-seed=2', '2-Quickstart-seed=3', '3-Quickstart-seed=4', '4-Quickstart-seed=5'];
            fs.writeFileSync(path.join(root, 'sweep.json'), JSON.stringify({
                version: 1, sweep: 'Seeds', axes: [], slurm_jobs: [],
                points: [point(names[0], 'done'), point(names[1], 'running'), point(names[2], 'running'), point(names[3], 'failed'), point(names[4], 'pending')]
            }));
            const logs: Record<string, RunEvent[]> = {
                [names[0]]: [start, train(1), { type: 'done', time, step: 1, report: 'report.json' }],
                [names[1]]: [start, train(1), { type: 'error', time, step: 1, message: 'NaN loss', where: 'train' }],
                [names[2]]: [start, train(1)],
                // Killed before any error event: sweep.json recorded it failed.
                [names[3]]: [start]
            };
            const now = Date.parse('2024-05-01T10:05:00Z');
            const runs = new Map<string, Run>();
            for (const [name, events] of Object.entries(logs)) {
                const dir = path.join(root, 'runs', name);
                fs.mkdirSync(dir, { recursive: true });
                fs.writeFileSync(path.join(dir, 'events.jsonl'), events.map(e => JSON.stringify(e)).join('\n') + '\n');
                const summary = foldEvents(emptySummary(), fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as RunEvent));
                // Point 2's log is fresh (written a second ago), point 3's is stale.
                const lastWrite = name === names[2] ? now - 1000 : 0;
                runs.set(dir, { dir, summary, state: runState(summary, { ownProcess: false, lastWrite, now }), offset: 0 });
            }
            const text = describeSweep(readSweepDir(root), dir => runs.get(dir));
            assert.deepEqual(text.points.map(p => p.state), ['done', 'failed', 'running', 'failed', 'pending']);
            assert.deepEqual(text.points.map(p => p.run !== undefined), [true, true, true, true, false]);
            assert.equal(text.description, '1/5 done, 2 failed, 1 running, 1 pending');
            assert.equal(text.contextValue, 'sweep.running');
            assert.equal(text.label, path.basename(root));
            assert.match(text.tooltip, /1-Quickstart-seed=2: NaN loss/);
            assert.equal(sweepRootOf(path.join(root, 'runs', names[0])), root);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });
});

describe('sweep declarations (CodeLens)', () => {
    it('counts the example sweep: Quickstart x 2 seeds x coherence on/off = 4 runs', () => {
        const text = fs.readFileSync(path.join(here, '../../../examples/sweep.persemon'), 'utf8');
        const sweeps = findSweeps(text);
        assert.equal(sweeps.length, 1);
        const line = text.split('\n').findIndex(l => l.startsWith('sweep '));
        assert.deepEqual(sweeps[0], { name: 'Coherence', line, character: 0, experiments: ['Quickstart'], runs: 4 });
    });

    it('multiplies experiments by each list, counts a zip once and skips slurm, comments and strings', () => {
        const text = [
            'experiment A { seed 1 }',
            '// sweep Fake over A { seed [1, 2] }',
            'experiment B { seed 2 }',
            'sweep Grid over [A, B] {',
            '  seed [1, 2, 3]  /* not a { brace */',
            '  loss.λ3 [0.05, 0.1]',
            '  fem.input [64x64, 112x96]',
            '  schedule.milestones [[100, 200], [300]]',
            '  zip { optimizer.lr [0.1, 0.01]  optimizer.momentum [0.9, 0.8] }',
            '  output ["a, b", "c]"]',
            '  slurm { partition "gpu" time "1:00:00" parallel 2 }',
            '}',
            'sweep Typing over A {',
            '  seed [1,'
        ].join('\n');
        const sweeps = findSweeps(text);
        assert.deepEqual(sweeps.map(s => s.name), ['Grid', 'Typing']);
        // 2 experiments x 3 seeds x 2 λ3 x 2 inputs x 2 milestone lists x 2 (zip) x 2 outputs.
        assert.equal(sweeps[0].runs, 2 * 3 * 2 * 2 * 2 * 2 * 2);
        assert.deepEqual([sweeps[0].line, sweeps[0].character], [3, 0]);
        assert.deepEqual(sweeps[0].experiments, ['A', 'B']);
        assert.equal(sweeps[1].runs, undefined, 'an incomplete declaration has no count');
        assert.deepEqual(findSweeps('sweep S over A { }')[0].runs, 1);
    });

    it('agrees with the language\'s compiler on the number of points', async () => {
        const { compileSweepFile } = await import('@persemon/language');
        const file = path.join(here, '../../../examples/sweep.persemon');
        const text = fs.readFileSync(file, 'utf8');
        for (const decl of findSweeps(text)) {
            assert.equal(decl.runs, (await compileSweepFile(file, decl.name)).points.length, decl.name);
        }
    });
});
