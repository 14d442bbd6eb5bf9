/**
 * The training engine: handlers run after the iterations their period picks, in the order attached,
 * can be removed, and a terminated run fires `terminated` instead of `completed`; a new handler (a
 * CSV of losses every 100 steps) is one file and one line to attach.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileFile } from '@persemon/language';
import { Engine } from '../../src/run/engine.js';
import { readEvents, type TrainEvent } from '../../src/run/events.js';
import { lossCsv } from '../../src/run/handlers/loss-csv.js';
import { runJob } from '../../src/run/job.js';
import { createRunDir } from '../../src/run/run-dir.js';
import type { TrainOutput } from '../../src/run/trainer.js';
import { tinyExperiment } from '../../../../test/helpers/experiment.js';

function counting(from: number, last: number): { engine: Engine<number>; seen: string[] } {
    const seen: string[] = [];
    const engine = new Engine<number>(e => e.state.iteration * 10, { from, last });
    engine.on('started', e => { seen.push(`started@${e.state.iteration}`); });
    engine.on('completed', e => { seen.push(`completed@${e.state.iteration}`); });
    engine.on('terminated', e => { seen.push(`terminated@${e.state.iteration}`); });
    return { engine, seen };
}

describe('engine', () => {
    it('runs handlers every N, once at K and before K, in the order attached', async () => {
        const { engine, seen } = counting(0, 7);
        engine.on('iterationCompleted', e => { seen.push(`every3:${e.state.iteration}`); }, { every: 3 });
        engine.on('iterationCompleted', e => { seen.push(`once7:${e.state.iteration}`); }, { once: 7 });
        engine.on('iterationCompleted', e => { seen.push(`every2<6:${e.state.iteration}`); }, { every: 2, before: 6 });
        assert.equal(await engine.run(), 'completed');
        assert.deepEqual(seen, ['started@0', 'every2<6:2', 'every3:3', 'every2<6:4', 'every3:6', 'once7:7', 'completed@7']);
    });

    it('continues from a resumed step, giving each handler the output of the iteration', async () => {
        const { engine, seen } = counting(4, 6);
        engine.on('iterationCompleted', e => { seen.push(`${e.state.iteration}=${e.state.output}`); });
        await engine.run();
        // process ran before the count advanced: iteration 5 saw 4 completed.
        assert.deepEqual(seen, ['started@4', '5=40', '6=50', 'completed@6']);
    });

    it('removes a handler, also from inside a handler', async () => {
        const { engine, seen } = counting(0, 4);
        const remove = engine.on('iterationCompleted', e => {
            seen.push(`once-only:${e.state.iteration}`);
            remove();
        });
        const never = engine.on('iterationCompleted', () => { seen.push('never'); });
        never();
        await engine.run();
        assert.deepEqual(seen, ['started@0', 'once-only:1', 'completed@4']);
    });

    it('terminate ends the run after the current iteration, firing terminated, not completed', async () => {
        const { engine, seen } = counting(0, 10);
        engine.on('iterationCompleted', e => { if (e.state.iteration === 3) e.terminate(); });
        engine.on('iterationCompleted', e => { seen.push(`after:${e.state.iteration}`); }, { once: 3 });
        assert.equal(await engine.run(), 'terminated');
        assert.deepEqual(seen, ['started@0', 'after:3', 'terminated@3']);
    });

    it('a handler that throws ends the run with its error', async () => {
        const { engine, seen } = counting(0, 5);
        engine.on('iterationCompleted', e => { if (e.state.iteration === 2) throw new Error('boom'); });
        await assert.rejects(engine.run(), /boom/);
        assert.deepEqual(seen, ['started@0']);
    });
});

describe('loss CSV handler', () => {
    it('writes the losses every 100 steps', async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-loss-csv-')), 'losses.csv');
        const loss = (s: number) => ({ total: s / 2, per: s, emo: 0.25, d: 0, adv: -1, ram: 1e-7 });
        const trainer = new Engine<TrainOutput>(e => ({ loss: loss(e.state.iteration + 1), nonFinite: [], images: 8, lr: 0.01 }), { from: 0, last: 250 });

        trainer.on('iterationCompleted', lossCsv(file), { every: 100 });

        await trainer.run();
        assert.equal(fs.readFileSync(file, 'utf8'), [
            'step,total,per,emo,d,adv,ram',
            '100,50,100,0.25,0,-1,1e-7',
            '200,100,200,0.25,0,-1,1e-7',
            ''
        ].join('\n'));
    });
});

describe('handlers attached to a run', () => {
    it('a run with the loss CSV attached writes the losses its train events log', async function () {
        this.timeout(240_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-loss-run-'));
        const doc = path.join(dir, 'tiny.persemon');
        fs.writeFileSync(doc, tinyExperiment({
            iterations: 4, people: 6, clips: 1, frames: 4, sampling: 'segments 2  emotion frames 2  personality videos 1',
            optimizer: null, evaluate: null, checkpoint: null
        }));
        const run = createRunDir(await compileFile(doc), path.join(dir, 'runs'));
        const file = path.join(dir, 'losses.csv');

        const result = await runJob(run, { attach: trainer => trainer.on('iterationCompleted', lossCsv(file), { every: 2 }) });

        assert.equal(result.state, 'done');
        const logged = readEvents(run.eventsFile).filter((e): e is TrainEvent => e.type === 'train' && e.step % 2 === 0);
        const rows = fs.readFileSync(file, 'utf8').trim().split('\n');
        assert.equal(rows[0], 'step,total,per,emo,d,adv,ram');
        assert.deepEqual(rows.slice(1), logged.map(e => [e.step, e.loss.total, e.loss.per, e.loss.emo, e.loss.d, e.loss.adv, e.loss.ram].join(',')));
        assert.deepEqual(logged.map(e => e.step), [2, 4]);
    });
});
