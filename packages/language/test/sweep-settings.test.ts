import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
    absoluteFileSettings, applySettings, assertSweepSpec, compileFile, countSweepPoints, parseSetting, pointSpec, resolveSettingPath, settingPaths, sweepSpec,
    SweepSpecError, type JobSpec
} from '../src/index.js';
import { examplesDir } from './helpers.js';

let quickstart: JobSpec;

describe('settings by dotted path over a JobSpec (--set and sweep points)', () => {
    before(async () => {
        quickstart = await compileFile(path.join(examplesDir, 'quickstart.persemon'));
    });

    it('parses PATH=VALUE with JSON values where they parse, text otherwise', () => {
        assert.deepEqual(parseSetting('loss.lambda3=0.2'), { path: 'loss.lambda3', value: 0.2 });
        assert.deepEqual(parseSetting('model.coherence.enabled=false'), { path: 'model.coherence.enabled', value: false });
        assert.deepEqual(parseSetting('schedule.milestones=[10, 20]'), { path: 'schedule.milestones', value: [10, 20] });
        assert.deepEqual(parseSetting('backend=wasm'), { path: 'backend', value: 'wasm' });
        assert.deepEqual(parseSetting('model.fem.init=null'), { path: 'model.fem.init', value: null });
        assert.deepEqual(parseSetting('output=a=b'), { path: 'output', value: 'a=b' });
        assert.throws(() => parseSetting('loss.lambda3'), /'loss\.lambda3' is not PATH=VALUE/);
        assert.throws(() => parseSetting('=3'), /not PATH=VALUE/);
    });

    it('resolves the language\'s short forms and dataset names to the JobSpec\'s paths', () => {
        assert.deepEqual(resolveSettingPath(quickstart, 'fem.depth'), { path: 'model.fem.depth' });
        assert.deepEqual(resolveSettingPath(quickstart, 'loss.λ3'), { path: 'loss.lambda3' });
        assert.deepEqual(resolveSettingPath(quickstart, 'datasets.moods.synthetic.people'), { path: 'datasets.1.synthetic.people' });
        assert.deepEqual(resolveSettingPath(quickstart, 'datasets.0.name'), { path: 'datasets.0.name' });
    });

    it('makes relative file names absolute against a folder, only in the fields that name files', () => {
        const settings = [
            { path: 'fem.init', value: 'w/sphereface.weights' }, { path: 'datasets.moods.path', value: '../aff-wild' },
            { path: 'output', value: 'runs' }, { path: 'fem.init', value: '/abs/x.weights' }, { path: 'backend', value: 'wasm' },
            { path: 'datasets.moods.name', value: 'relative-looking' }
        ];
        assert.deepEqual(absoluteFileSettings(quickstart, settings, '/work/exp').map(s => s.value),
            ['/work/exp/w/sphereface.weights', '/work/aff-wild', '/work/exp/runs', '/abs/x.weights', 'wasm', 'relative-looking']);
    });

    it('names a bad path, with the closest field or the choices', () => {
        assert.deepEqual(resolveSettingPath(quickstart, 'loss.lamda3'), { problem: "loss has no field 'lamda3' (did you mean 'lambda3'?)" });
        assert.deepEqual(resolveSettingPath(quickstart, 'datasets.faces.path'), { problem: "datasets has no item 'faces' (there is: 0, 1, personas, moods)" });
        assert.deepEqual(resolveSettingPath(quickstart, 'loss.margin.x'), { problem: "loss.margin is a number, with no field 'x'" });
        assert.deepEqual(resolveSettingPath(quickstart, 'model.fem.init.x'), { problem: "model.fem.init is null, with no field 'x'" });
        assert.deepEqual(resolveSettingPath(quickstart, 'loss..margin'), { problem: "'loss..margin' is not a dotted path (e.g. loss.lambda3)" });
    });

    it('applies settings to a copy, checked by the schema and checkJobSpec', () => {
        const { spec, problems } = applySettings(quickstart, [{ path: 'loss.lambda3', value: 0.2 }, { path: 'fem.depth', value: 10 }, { path: 'seed', value: 9 }]);
        assert.deepEqual(problems, []);
        assert.equal(spec.loss.lambda3, 0.2);
        assert.equal(spec.model.fem.depth, 10);
        assert.equal(spec.seed, 9);
        assert.equal(quickstart.loss.lambda3, 0.1, 'the original is untouched');
        assert.equal(quickstart.model.fem.depth, 4);
    });

    it('refuses a bad value naming the setting and the field', () => {
        assert.deepEqual(applySettings(quickstart, [{ path: 'loss.lambda3', value: 'big' }]).problems,
            [{ path: 'loss.lambda3', message: 'loss.lambda3: must be number' }]);
        assert.deepEqual(applySettings(quickstart, [{ path: 'fem.depth', value: 11 }]).problems,
            [{ path: 'fem.depth', message: 'model.fem.depth: must be equal to one of the allowed values (4, 10, 20, 36, 64)' }]);
        assert.deepEqual(applySettings(quickstart, [{ path: 'loss.lamda3', value: 1 }]).problems,
            [{ path: 'loss.lamda3', message: "loss has no field 'lamda3' (did you mean 'lambda3'?)" }]);
        // checkJobSpec's rule across settings: a milestone beyond the iterations.
        const milestones = applySettings(quickstart, [{ path: 'schedule.iterations', value: 300 }]).problems;
        assert.equal(milestones.length, 1);
        assert.equal(milestones[0].path, '');
        assert.match(milestones[0].message, /^schedule\.milestones\.1: .*360.*300/);
    });

    it('lists the paths a setting may name, datasets by name', () => {
        const paths = settingPaths(quickstart);
        for (const p of ['seed', 'loss.lambda3', 'model.fem.depth', 'datasets.personas.synthetic.people', 'schedule.milestones']) assert.ok(paths.includes(p), p);
        assert.ok(!paths.includes('datasets.0'));
    });
});

describe('SweepSpec: points of a grid with zipped axes', () => {
    it('crosses experiments with every combination, the last axis fastest, zipped paths together', () => {
        const other = { ...quickstart, experiment: 'Other' };
        const sweep = sweepSpec({
            sweep: 'S', source: null, experiments: { Quickstart: quickstart, Other: other }, slurm: {},
            axes: [
                { paths: ['seed'], values: [[1], [2], [3]] },
                { paths: ['loss.lambda3', 'loss.lambda4'], values: [[0.05, 0.5], [0.1, 1]] }
            ]
        });
        assert.equal(sweep.points.length, 12);
        assert.equal(countSweepPoints(2, sweep.axes), 12);
        assert.deepEqual(sweep.points.slice(0, 3).map(p => [p.experiment, p.settings.map(s => s.value)]), [
            ['Quickstart', [1, 0.05, 0.5]], ['Quickstart', [1, 0.1, 1]], ['Quickstart', [2, 0.05, 0.5]]
        ]);
        assert.equal(sweep.points[6].experiment, 'Other');
        assert.equal(sweep.points[1].name, '01-Quickstart-seed=1-loss.lambda3=0.1-loss.lambda4=1');
        assert.equal(new Set(sweep.points.map(p => p.name)).size, 12);
        const { spec, problems } = pointSpec(sweep, sweep.points[11], [{ path: 'schedule.iterations', value: 400 }]);
        assert.deepEqual(problems, []);
        assert.deepEqual([spec.experiment, spec.seed, spec.loss.lambda3, spec.loss.lambda4], ['Other', 3, 0.1, 1]);
        assertSweepSpec(JSON.parse(JSON.stringify(sweep)), 'sweep.json');
    });

    it('refuses a SweepSpec whose point does not make a valid JobSpec, naming the point', () => {
        const sweep = sweepSpec({ sweep: 'S', source: null, experiments: { Quickstart: quickstart }, slurm: { parallel: 0 }, axes: [{ paths: ['fem.depth'], values: [[4], [5]] }] });
        assert.throws(() => assertSweepSpec(sweep, 'sweep.json'), (e: unknown) => {
            assert.ok(e instanceof SweepSpecError);
            assert.deepEqual(e.problems, ['slurm.parallel: must be a whole number >= 1']);
            return true;
        });
        sweep.slurm = {};
        assert.throws(() => assertSweepSpec(sweep, 'sweep.json'), (e: unknown) => {
            assert.ok(e instanceof SweepSpecError);
            assert.equal(e.problems.length, 1);
            assert.match(e.problems[0], /^points\.1 \(1-Quickstart-fem\.depth=5\): fem\.depth: model\.fem\.depth: must be equal to one of the allowed values/);
            return true;
        });
    });
});
