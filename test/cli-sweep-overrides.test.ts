/**
 * `persemon run --set PATH=VALUE`: the settings reach the run (spec.json, the start event, the loss
 * the run trains with), a resumed run keeps them, and a bad path or value is a bad argument (exit 2)
 * named before any run directory is made.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { events, persemon, root, tinyExperiment, workspace } from './helpers/cli.js';

describe('persemon run --set', function () {
    this.timeout(300_000);

    it('applies the settings, records them and trains with them; resume keeps them', () => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 4 }));
        const out = path.join(dir, 'runs');
        const r = persemon(['run', file, '--out', out, '--max-steps', '1', '--set', 'loss.λ3=0.7', '--set', 'seed=5', '--set', 'datasets.moods.synthetic.people=12']);
        assert.equal(r.status, 0, r.stderr);
        const runDir = r.stdout.split('\n')[0];
        const spec = JSON.parse(fs.readFileSync(path.join(runDir, 'spec.json'), 'utf8'));
        assert.equal(spec.loss.lambda3, 0.7);
        assert.equal(spec.seed, 5);
        assert.equal(spec.datasets[1].synthetic.people, 12);
        // spec.json lists them too, by the JobSpec's own paths (the second dataset is moods).
        assert.deepEqual(spec.overrides, [{ path: 'loss.lambda3', value: 0.7 }, { path: 'seed', value: 5 }, { path: 'datasets.1.synthetic.people', value: 12 }]);
        const start = events(runDir).find(e => e.type === 'start')!;
        assert.deepEqual(start.overrides, [{ path: 'loss.λ3', value: 0.7 }, { path: 'seed', value: 5 }, { path: 'datasets.moods.synthetic.people', value: 12 }]);
        assert.equal(start.seed, 5);
        // eq. 13 with λ3 (the discriminator's weight) at 0.7, the others at their defaults 1, 1, 0.1, 0.1.
        const { per, emo, d, adv, ram, total } = events(runDir).find(e => e.type === 'train')!.loss;
        assert.ok(Math.abs(total - (per + emo + 0.7 * d + 0.1 * adv + 0.1 * ram)) < 1e-4, JSON.stringify({ per, emo, d, adv, ram, total }));

        const resumed = persemon(['resume', runDir, '--max-steps', '2']);
        assert.equal(resumed.status, 0, resumed.stderr);
        const starts = events(runDir).filter(e => e.type === 'start');
        assert.equal(starts.length, 2);
        assert.deepEqual(starts[1].overrides, starts[0].overrides);
        assert.deepEqual(events(runDir).filter(e => e.type === 'train').map(e => e.step), [1, 2]);
    });

    it('takes a relative file name in --set from the shell\'s folder, as any argument', () => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 1, evaluate: null, checkpoint: null }));
        // The CLI runs in the repository's root; the folder is named relative to it.
        const relative = path.relative(root, path.join(dir, 'elsewhere'));
        assert.ok(!path.isAbsolute(relative));
        const r = persemon(['run', file, '--set', `output=${relative}`]);
        assert.equal(r.status, 0, r.stderr);
        const runDir = r.stdout.split('\n')[0];
        assert.equal(path.dirname(runDir), path.join(dir, 'elsewhere'));
        const spec = JSON.parse(fs.readFileSync(path.join(runDir, 'spec.json'), 'utf8'));
        assert.equal(spec.output, path.join(dir, 'elsewhere'));
        assert.deepEqual(spec.overrides, [{ path: 'output', value: path.join(dir, 'elsewhere') }]);
    });

    it('records no overrides as an empty list', () => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 1, evaluate: null, checkpoint: null }));
        const r = persemon(['run', file, '--out', path.join(dir, 'runs')]);
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(events(r.stdout.split('\n')[0]).find(e => e.type === 'start')!.overrides, []);
        assert.equal(JSON.parse(fs.readFileSync(path.join(r.stdout.split('\n')[0], 'spec.json'), 'utf8')).overrides, undefined);
    });

    for (const [set, message] of [
        ['loss.lamda3=1', /--set refused for experiment 'Tiny':\n {2}loss\.lamda3=1: loss has no field 'lamda3' \(did you mean 'lambda3'\?\)/],
        ['fem.depth=11', /fem\.depth=11: model\.fem\.depth: must be equal to one of the allowed values \(4, 10, 20, 36, 64\)/],
        ['loss.margin=wide', /loss\.margin="wide": loss\.margin: must be number/],
        ['seed', /--set 'seed' is not PATH=VALUE/],
        ['schedule.iterations=1', /with schedule\.iterations=1: schedule\.milestones\.0: milestone 3 is not within the 1 iterations/]
    ] as const) {
        it(`refuses --set ${set} with exit 2, naming it, before making a run directory`, () => {
            const { dir, file } = workspace(tinyExperiment({ iterations: 4 }).replace('schedule step { iterations 4 }', 'schedule step { iterations 4  milestones [3] }'));
            const out = path.join(dir, 'runs');
            const r = persemon(['run', file, '--out', out, '--set', set]);
            assert.equal(r.status, 2, r.stderr);
            assert.match(r.stderr, message);
            assert.match(r.stderr, /usage: persemon run FILE/);
            assert.equal(r.stdout, '');
            assert.ok(!fs.existsSync(out), 'no run directory');
        });
    }

    it('creates the run exactly at --run-dir, and refuses one that exists', () => {
        const { dir, file } = workspace(tinyExperiment({ iterations: 1, evaluate: null, checkpoint: null }));
        const at = path.join(dir, 'sweep', 'runs', '0-Tiny');
        const r = persemon(['run', file, '--run-dir', at]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout.split('\n')[0], at);
        assert.ok(fs.existsSync(path.join(at, 'spec.json')));
        const again = persemon(['run', file, '--run-dir', at]);
        assert.equal(again.status, 1);
        assert.match(again.stderr, /0-Tiny: already exists: a run starts in a new folder \(continue this one with: persemon resume /);
        assert.equal(persemon(['run', file, '--run-dir', at, '--out', dir]).status, 2);
    });
});
