/**
 * `persemon sweep` on this machine and `persemon compare` over what it made, as a user calls them:
 * the sweep directory (sweep.json, specs/<point>.json, runs/<point>/), points run two at a time, a
 * failure reported when it happens, --fail-fast, a second call that skips finished points and retries
 * failed ones only when asked, Ctrl-C and a resume from the interrupted point's checkpoint; the
 * tables in all four formats.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { csvParse } from 'd3-dsv';
import { events, persemon, root, tinyExperiment, workspace } from './helpers/cli.js';

const cli = path.join(root, 'packages/runtime/src/cli/main.ts');

function sweepDocument(sweep: string, iterations = 2, extra: Parameters<typeof tinyExperiment>[0] = { iterations }): { dir: string; file: string } {
    return workspace(`${tinyExperiment({ evaluate: undefined, ...extra, iterations })}\n\n${sweep}\n`, 'sweeps.persemon');
}

function sweepJson(dir: string): any {
    return JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8'));
}

describe('persemon sweep, locally', function () {
    this.timeout(600_000);

    describe('a grid of 4 points, two at a time', () => {
        let sweepDir: string;
        let result: ReturnType<typeof persemon>;

        before(() => {
            const { dir, file } = sweepDocument('sweep Grid over Tiny {\n  seed [1, 2]\n  coherence.enabled [true, false]\n}');
            result = persemon(['sweep', file, '--parallel', '2', '--out', path.join(dir, 'sweeps')]);
            sweepDir = result.stdout.split('\n')[0];
        });

        it('makes the sweep directory and runs every point', () => {
            assert.equal(result.status, 0, result.stderr);
            assert.match(path.basename(sweepDir), /^Grid-\d{8}-\d{6}$/);
            const sweep = sweepJson(sweepDir);
            const names = ['0-Tiny-seed=1-coherence.enabled=true', '1-Tiny-seed=1-coherence.enabled=false', '2-Tiny-seed=2-coherence.enabled=true', '3-Tiny-seed=2-coherence.enabled=false'];
            assert.deepEqual(sweep.points.map((p: any) => [p.name, p.status, p.attempts]), names.map(n => [n, 'done', 1]));
            assert.deepEqual(sweep.points[3].settings, [{ path: 'seed', value: 2 }, { path: 'coherence.enabled', value: false }]);
            for (const [i, name] of names.entries()) {
                const spec = JSON.parse(fs.readFileSync(path.join(sweepDir, 'specs', `${name}.json`), 'utf8'));
                assert.equal(spec.seed, i < 2 ? 1 : 2);
                assert.equal(spec.model.coherence.enabled, i % 2 === 0);
                // runs/<point>/ is an ordinary run directory of exactly that JobSpec.
                assert.deepEqual(JSON.parse(fs.readFileSync(path.join(sweepDir, 'runs', name, 'spec.json'), 'utf8')), spec);
                assert.equal(events(path.join(sweepDir, 'runs', name)).at(-1)!.type, 'done');
            }
            assert.match(result.stderr, /\[4\/4 done, 0 failed, 0 running \([\d:]+\)\] \d-Tiny-\S+: done/);
            assert.match(result.stdout, /^4\/4 points done, 0 failed, 0 not finished$/m);
        });

        it('had two points running at once, never more', () => {
            // The runner's own count of live child processes: the runs' event times cannot show the
            // overlap, since a Tiny run trains in under a second after a few seconds of loading.
            assert.match(result.stderr, /\[0\/4 done, 0 failed, 2 running/);
            const running = [...result.stderr.matchAll(/(\d+) running/g)].map(m => Number(m[1]));
            assert.ok(running.length > 0 && Math.max(...running) === 2, result.stderr);
        });

        it('skips every finished point when called again on the sweep directory', () => {
            const again = persemon(['sweep', sweepDir]);
            assert.equal(again.status, 0, again.stderr);
            assert.equal(again.stdout.split('\n')[0], sweepDir);
            assert.match(again.stderr, /4 of 4 points already done: skipped/);
            for (const name of fs.readdirSync(path.join(sweepDir, 'runs'))) {
                assert.equal(events(path.join(sweepDir, 'runs', name)).filter(e => e.type === 'start').length, 1);
            }
        });

        it('compares the sweep in all four formats', () => {
            const md = persemon(['compare', sweepDir]);
            assert.equal(md.status, 0, md.stderr);
            const table56 = md.stdout.split('### ').find(s => s.startsWith('Tables 5-6'))!.split('\n').filter(l => l.startsWith('| '));
            assert.equal(table56[0].split(' | ')[0], '| model.coherence.enabled');
            assert.deepEqual(table56.slice(2).map(l => l.split(' | ').slice(0, 3)), [['| true', 'PAM+RAM', '2'], ['| false', 'PAM+RAM', '2']]);

            // The CSV's numbers are those of the runs' reports: mean of the two seeds.
            const rows = csvParse(persemon(['compare', sweepDir, '--format', 'csv']).stdout);
            const reports = ['0-Tiny-seed=1-coherence.enabled=true', '2-Tiny-seed=2-coherence.enabled=true']
                .map(n => JSON.parse(fs.readFileSync(path.join(sweepDir, 'runs', n, 'report.json'), 'utf8')).splits.test.emotion.mse.mean as number);
            const emotion = rows.find(r => r.table === 'tables5-6' && r['model.coherence.enabled'] === 'true' && r.predictor === 'eam' && r.metric === 'MSE' && r.target === 'mean')!;
            assert.ok(Math.abs(Number(emotion.mean) - (reports[0] + reports[1]) / 2) < 1e-12);
            assert.ok(Math.abs(Number(emotion.sd) - Math.abs(reports[0] - reports[1]) / Math.SQRT2) < 1e-12);
            assert.ok(rows.some(r => r.table === 'paired-t' && r.against === 'model.coherence.enabled=true'));

            const json = JSON.parse(persemon(['compare', sweepDir, '--format', 'json']).stdout);
            assert.deepEqual(json.settings, ['model.coherence.enabled']);
            assert.deepEqual(json.pairedBy, ['seed']);
            const latex = persemon(['compare', sweepDir, '--format', 'latex']).stdout;
            assert.equal(latex.match(/\\begin\{tabular\}/g)!.length, 3);
            assert.equal(latex.match(/\\end\{table\}/g)!.length, 3);

            const bad = persemon(['compare', sweepDir, '--format', 'xlsx']);
            assert.equal(bad.status, 2);
            assert.match(bad.stderr, /--format must be md, csv, latex, json, not 'xlsx'/);
            const badBy = persemon(['compare', sweepDir, '--by', 'loss.lamda3']);
            assert.equal(badBy.status, 2);
            assert.match(badBy.stderr, /--by loss\.lamda3: loss has no field 'lamda3' \(did you mean 'lambda3'\?\)/);
            const notRun = persemon(['compare', path.join(sweepDir, 'specs')]);
            assert.equal(notRun.status, 1);
            assert.match(notRun.stderr, /specs: neither a sweep directory \(no sweep\.json\) nor a run directory \(no spec\.json\)/);
        });
    });

    describe('failures', () => {
        // Point 0 names an init weights file that is not there: its run fails as it opens.
        const failing = 'sweep Broken over Tiny {\n  zip {\n    fem.init ["/nonexistent/w.weights", null, null]\n    seed [1, 2, 3]\n  }\n}';

        it('reports a failure when it happens, with its run directory and error; a second call leaves it unless --retry-failed', () => {
            const { dir, file } = sweepDocument(failing);
            const r = persemon(['sweep', file, '--out', path.join(dir, 'sweeps')]);
            assert.equal(r.status, 1);
            const sweepDir = r.stdout.split('\n')[0];
            const name = '0-Tiny-fem.init=w.weights-seed=1';
            const failure = r.stderr.indexOf(`${name}: FAILED (exit code 1): /nonexistent/w.weights: FEM's init weights file does not exist`);
            assert.ok(failure >= 0, r.stderr);
            assert.ok(r.stderr.includes(`  run directory: ${path.join(sweepDir, 'runs', name)}\n`), r.stderr);
            assert.ok(failure < r.stderr.indexOf('1-Tiny-fem.init=null-seed=2: started'), 'reported before the next point starts');
            assert.match(r.stdout, /^2\/3 points done, 1 failed, 0 not finished$/m);
            assert.match(r.stdout, new RegExp(`^continue: persemon sweep ${sweepDir} --retry-failed$`, 'm'));
            assert.match(r.stderr, /persemon: .*: 1 point\(s\) failed, 0 not finished/);
            assert.deepEqual(sweepJson(sweepDir).points.map((p: any) => p.status), ['failed', 'done', 'done']);
            assert.deepEqual(sweepJson(sweepDir).points[0].exit, { code: 1, signal: null });

            const again = persemon(['sweep', sweepDir]);
            assert.equal(again.status, 1);
            assert.match(again.stderr, /1 failed point\(s\) left as they are \(retry them with --retry-failed\)/);
            assert.doesNotMatch(again.stderr, /started/);

            const retried = persemon(['sweep', sweepDir, '--retry-failed']);
            assert.equal(retried.status, 1);
            assert.match(retried.stderr, new RegExp(`${name}: resumed`));
            assert.match(retried.stderr, /2 of 3 points already done: skipped/);
            assert.equal(sweepJson(sweepDir).points[0].attempts, 2);
        });

        it('--fail-fast starts nothing after the first failure', () => {
            const { dir, file } = sweepDocument(failing);
            const r = persemon(['sweep', file, '--fail-fast', '--out', path.join(dir, 'sweeps')]);
            assert.equal(r.status, 1);
            const sweepDir = r.stdout.split('\n')[0];
            assert.deepEqual(sweepJson(sweepDir).points.map((p: any) => p.status), ['failed', 'pending', 'pending']);
            assert.match(r.stdout, /^0\/3 points done, 1 failed, 2 not finished$/m);
        });
    });

    it('stops on Ctrl-C after the running point\'s step, and resumes it from its checkpoint', async () => {
        const { dir, file } = sweepDocument('sweep Long over Tiny {\n  seed [1, 2]\n}', 300, { iterations: 300, evaluate: null, checkpoint: 2 });
        const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cli, 'sweep', file, '--out', path.join(dir, 'sweeps')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', d => (stdout += d));
        child.stderr.on('data', d => (stderr += d));
        const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
        const first = path.join(dir, 'sweeps');
        const runDir = () => {
            const sweepDir = stdout.split('\n')[0];
            return sweepDir && stdout.includes('\n') ? path.join(sweepDir, 'runs', '0-Tiny-seed=1') : undefined;
        };
        for (;;) {
            const r = runDir();
            if (r && fs.existsSync(path.join(r, 'events.jsonl')) && events(r).some(e => e.type === 'checkpoint')) break;
            if (child.exitCode !== null) throw new Error(`sweep ended early: ${stderr}`);
            await new Promise(resolve => setTimeout(resolve, 50));
        }
        child.kill('SIGINT');
        assert.equal(await exit, 1, stderr);
        const sweepDir = stdout.split('\n')[0];
        assert.ok(sweepDir.startsWith(first));
        assert.deepEqual(sweepJson(sweepDir).points.map((p: any) => p.status), ['interrupted', 'pending']);
        assert.match(stdout, new RegExp(`^continue: persemon sweep ${sweepDir}$`, 'm'));
        const stoppedAt = events(runDir()!).filter(e => e.type === 'train').at(-1)!.step;
        assert.ok(stoppedAt < 40, `stopped at ${stoppedAt}`);

        const resumed = persemon(['sweep', sweepDir, '--max-steps', '40']);
        assert.equal(resumed.status, 0, resumed.stderr);
        assert.match(resumed.stderr, /0-Tiny-seed=1: resumed/);
        const log = events(runDir()!);
        const starts = log.filter(e => e.type === 'start');
        assert.equal(starts.length, 2);
        assert.ok(starts[1].resumed_from >= 2);
        const steps = log.filter(e => e.type === 'train').map(e => e.step);
        assert.deepEqual(steps, Array.from({ length: 40 }, (_, i) => i + 1), 'no step lost or logged twice');
        assert.deepEqual(sweepJson(sweepDir).points.map((p: any) => p.status), ['done', 'done']);
    });

    it('refuses bad arguments with exit 2', () => {
        const { dir, file } = sweepDocument('sweep Grid over Tiny {\n  seed [1, 2]\n}');
        for (const [args, message] of [
            [['--to', 'cloud'], /--to must be local or slurm, not 'cloud'/],
            [['--set', 'seed=3'], /--set seed: the sweep varies it: seed \(sweep Grid, experiment Tiny\)/],
            [['--set', 'loss.lamda3=1'], /--set refused for point 0-Tiny-seed=1:\n {2}loss\.lamda3: loss has no field 'lamda3'/],
            [['--parallel', '0'], /--parallel must be a whole number >= 1, not '0'/],
            [['--retry-failed'], /--retry-failed applies to a SWEEP_DIR being continued/]
        ] as const) {
            const r = persemon(['sweep', file, '--out', path.join(dir, 'sweeps'), ...args]);
            assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
            assert.match(r.stderr, message);
            assert.match(r.stderr, /usage: persemon sweep FILE\|SWEEP_DIR/);
        }
        assert.ok(!fs.existsSync(path.join(dir, 'sweeps')), 'no sweep directory made');
        const unknown = persemon(['sweep', file, '--sweep', 'Other']);
        assert.equal(unknown.status, 1);
        assert.match(unknown.stderr, /sweeps\.persemon: no sweep named 'Other' \(sweeps here: Grid\)/);
    });
});
