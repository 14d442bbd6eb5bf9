/**
 * `persemon run / resume / eval` keep a run whole: a closed stdout does not stop training, one process
 * at a time works on a run, an edited spec.json is not resumed silently, --max-steps holds across
 * resume, eval adds to report.json without ending the run, a damaged checkpoint gives way to the
 * previous one, and bad paths are named without a stack trace.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { events, persemon, startRun, tinyExperiment, waitForEvent, workspace } from './helpers/cli.js';

function trainSteps(runDir: string): number[] {
    return events(runDir).filter(e => e.type === 'train').map(e => e.step);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A stack trace line: what a user error must not print. */
const STACK = /\n\s+at /;

describe('persemon run, resume and eval keep a run whole', function () {
    this.timeout(600_000);

    it('keeps training when stdout is closed (persemon run FILE | head -1), and exits 0', async () => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 6 }));
        const run = startRun(file, path.join(dir, 'runs'));
        const runDir = await run.firstLine;
        // What `head -1` does once it has its line.
        run.child.stdout!.destroy();
        assert.equal(await run.exit, 0, run.stderr());
        assert.deepEqual(trainSteps(runDir), range(1, 6));
        assert.equal(events(runDir).at(-1)!.type, 'done');
        assert.equal(run.stderr(), '', 'nothing on stderr: no crash dump');
    });

    it('keeps --max-steps across resume unless a new one is given; eval adds its split to report.json and never ends the run', () => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 6 }));
        const first = persemon(['run', file, '--out', path.join(dir, 'runs'), '--max-steps', '2']);
        assert.equal(first.status, 0, first.stderr);
        const runDir = first.stdout.split('\n')[0];
        assert.deepEqual(trainSteps(runDir), [1, 2]);

        const again = persemon(['resume', runDir]);
        assert.equal(again.status, 0, again.stderr);
        assert.deepEqual(trainSteps(runDir), [1, 2], 'the cap of the run holds');
        const start = events(runDir).filter(e => e.type === 'start').at(-1)!;
        assert.equal(start.max_steps, 2);
        assert.equal(start.iterations, 2);

        const further = persemon(['resume', runDir, '--max-steps', '4']);
        assert.equal(further.status, 0, further.stderr);
        assert.deepEqual(trainSteps(runDir), [1, 2, 3, 4]);
        const test = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')).splits.test;
        assert.equal(test.step, 4);

        const dones = events(runDir).filter(e => e.type === 'done').length;
        const evaluated = persemon(['eval', runDir, '--split', 'validation']);
        assert.equal(evaluated.status, 0, evaluated.stderr);
        assert.match(evaluated.stdout, /Apparent personality on validation \(step 4\)/);
        const report = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8'));
        assert.deepEqual(Object.keys(report.splits).sort(), ['test', 'validation']);
        assert.deepEqual(report.splits.test, test, 'the test results are kept as they were');
        const validation = events(runDir).filter(e => e.type === 'eval' && e.split === 'validation');
        assert.deepEqual(report.splits.validation.personality, validation.find(e => e.personality)!.personality);
        assert.equal(events(runDir).filter(e => e.type === 'done').length, dones, 'eval appends no done event');
    });

    it('one process per run; an edited spec.json is refused unless accepted; a damaged checkpoint gives way to the previous one', async () => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 40 }));
        const run = startRun(file, path.join(dir, 'runs'));
        const runDir = await run.firstLine;
        await waitForEvent(run.child, () => runDir, e => e.type === 'train' && e.step >= 3);

        for (const verb of ['resume', 'eval']) {
            const second = persemon([verb, runDir]);
            assert.equal(second.status, 1, `${verb}: ${second.stderr}`);
            assert.match(second.stderr, new RegExp(`^persemon: ${runDir}: in use by process ${run.child.pid} on ${os.hostname()} since \\d{4}-\\d\\d-\\d\\dT`));
            assert.doesNotMatch(second.stderr, STACK);
        }
        run.child.kill('SIGINT');
        assert.equal(await run.exit, 0, run.stderr());
        const stopped = events(runDir);
        const stop = stopped.at(-1)!;
        assert.equal(stop.type, 'stopped');
        assert.deepEqual(trainSteps(runDir), range(1, stop.step), 'each step logged once: the refused processes trained nothing');

        // The user changes the learning rate and the seed of a stopped run.
        const specFile = path.join(runDir, 'spec.json');
        const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
        spec.optimizer.lr = 0.02;
        spec.seed = 4;
        fs.writeFileSync(specFile, JSON.stringify(spec, null, 2));
        const startHash = stopped.find(e => e.type === 'start')!.spec_hash;
        const refused = persemon(['resume', runDir]);
        assert.equal(refused.status, 1, refused.stderr);
        const hashes = [...refused.stderr.matchAll(/\b[0-9a-f]{16}\b/g)].map(m => m[0]);
        assert.equal(hashes.length, 2, refused.stderr);
        assert.equal(hashes[0], startHash);
        assert.notEqual(hashes[1], startHash);
        assert.match(refused.stderr, /--accept-spec-change/);
        assert.equal(events(runDir).length, stopped.length, 'a refused resume writes nothing');

        // Flip one bit of the newest checkpoint; leave temporaries as a killed writer would.
        const checkpoints = path.join(runDir, 'checkpoints');
        const newest = fs.readFileSync(path.join(checkpoints, 'latest'), 'utf8').trim();
        const weights = path.join(checkpoints, newest, 'weights.bin');
        const bytes = fs.readFileSync(weights);
        bytes[bytes.length - 8] ^= 0x04;
        fs.writeFileSync(weights, bytes);
        const older = fs.readdirSync(checkpoints).filter(n => /^step-\d+$/.test(n) && n < newest).sort().at(-1)!;
        fs.mkdirSync(path.join(checkpoints, '.step-0000099.tmp-99999'));
        fs.writeFileSync(path.join(checkpoints, 'latest.tmp-99999'), 'step-');
        fs.writeFileSync(path.join(runDir, 'report.json.tmp-99999'), '{');

        const accepted = persemon(['resume', runDir, '--accept-spec-change', '--max-steps', String(stop.step + 1)]);
        assert.equal(accepted.status, 0, accepted.stderr);
        const after = events(runDir).slice(stopped.length);
        const warning = after.find(e => e.type === 'warning')!;
        assert.equal(warning.where, 'checkpoint');
        assert.match(warning.message, new RegExp(`${newest}: weights.bin does not match its sha256`));
        const start = after.find(e => e.type === 'start')!;
        assert.equal(start.resumed_from, Number(older.slice('step-'.length)));
        assert.equal(start.spec_changed_from, startHash);
        assert.equal(start.spec_hash, hashes[1]);
        assert.deepEqual(trainSteps(runDir), range(1, stop.step + 1), 'no step twice, none lost');
        assert.equal(after.at(-1)!.type, 'done');
        assert.ok(!fs.existsSync(path.join(checkpoints, '.step-0000099.tmp-99999')));
        assert.ok(!fs.existsSync(path.join(checkpoints, 'latest.tmp-99999')));
        assert.ok(!fs.existsSync(path.join(runDir, 'report.json.tmp-99999')));
        assert.ok(!fs.existsSync(path.join(runDir, '.lock')), 'the lock is released');
    });

    it('names bad paths as user errors, without a stack trace', () => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 6 }));
        fs.mkdirSync(path.join(dir, 'folder.json'));
        fs.writeFileSync(path.join(dir, 'a-file'), '');
        const long = path.join(dir, 'x'.repeat(300));
        const cases: Array<[string[], string]> = [
            [['run', path.join(dir, 'folder.json')], `${dir}/folder.json: is a folder`],
            [['run', file, '--out', path.join(dir, 'a-file', 'runs')], `${dir}/a-file/runs: cannot create this folder: ${dir}/a-file is a file, not a folder`],
            [['run', file, '--out', long], `${long}: name too long`]
        ];
        for (const [args, message] of cases) {
            const r = persemon(args);
            assert.equal(r.status, 1, r.stderr);
            assert.ok(r.stderr.startsWith(`persemon: ${message}`), r.stderr);
            assert.doesNotMatch(r.stderr, STACK);
        }
        // A run directory whose events.jsonl is a folder.
        const runDir = path.join(dir, 'broken');
        fs.mkdirSync(path.join(runDir, 'events.jsonl'), { recursive: true });
        const compiled = persemon(['compile', file]);
        fs.writeFileSync(path.join(runDir, 'spec.json'), compiled.stdout);
        const r = persemon(['resume', runDir]);
        assert.equal(r.status, 1, r.stderr);
        assert.ok(r.stderr.startsWith(`persemon: ${runDir}/events.jsonl: is a folder, not a file`), r.stderr);
        assert.doesNotMatch(r.stderr, STACK);
    });

    it('reads a JSON JobSpec with a byte-order mark, and refuses an empty batch before making a run directory', () => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 6 }));
        const spec = JSON.parse(persemon(['compile', file]).stdout);
        spec.sampling.emotionFrames = 0;
        spec.sampling.personalityVideos = 0;
        const json = path.join(dir, 'job.json');
        fs.writeFileSync(json, '\uFEFF' + JSON.stringify(spec, null, 2));
        const r = persemon(['run', json, '--out', path.join(dir, 'runs')]);
        assert.equal(r.status, 1, r.stderr);
        assert.equal(r.stderr, `persemon: ${json}: sampling: a training batch would be empty (personality videos: sampling.personalityVideos is 0; `
            + 'emotion frames: sampling.emotionFrames is 0), so nothing would train\n');
        assert.ok(!fs.existsSync(path.join(dir, 'runs')), 'no run directory');
    });
});
