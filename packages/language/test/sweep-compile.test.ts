import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileSweepFile, CompileError } from '../src/index.js';
import { examplesDir } from './helpers.js';

function document(text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-sweep-'));
    fs.copyFileSync(path.join(examplesDir, 'quickstart.persemon'), path.join(dir, 'quickstart.persemon'));
    const file = path.join(dir, 'sweeps.persemon');
    fs.writeFileSync(file, `import "quickstart.persemon"\nexperiment Small extends Quickstart { coherence off }\n${text}\n`);
    return file;
}

describe('sweep declarations compiled to a SweepSpec', () => {
    it('examples/sweep.persemon: the quickstart, coherence on and off, over two seeds', async () => {
        const sweep = await compileSweepFile(path.join(examplesDir, 'sweep.persemon'));
        assert.equal(sweep.sweep, 'Coherence');
        assert.deepEqual(Object.keys(sweep.experiments), ['Quickstart']);
        assert.deepEqual(sweep.points.map(p => p.name), [
            '0-Quickstart-seed=1-coherence.enabled=true', '1-Quickstart-seed=1-coherence.enabled=false',
            '2-Quickstart-seed=2-coherence.enabled=true', '3-Quickstart-seed=2-coherence.enabled=false'
        ]);
        assert.deepEqual(sweep.slurm, { cpus: 2, mem: '4G', time: '0:30:00', parallel: 2 });
        assert.equal(sweep.experiments.Quickstart.model.fem.depth, 4);
    });

    it('compiles each kind of value, zips and several experiments', async () => {
        const file = document([
            'sweep S over [Quickstart, Small] {',
            '  backend [wasm, cpu]',
            '  zip {',
            '    fem.input [32x32, 64x64]',
            '    datasets.personas.synthetic.image [32x32, 64x64]',
            '    schedule.milestones [[280, 360], [300]]',
            '  }',
            '  fem.freeze [true, false]',
            '  fem.init [null, "w.weights"]',
            '  slurm { partition gpu  gres "gpu:1"  cpus 4 }',
            '}'
        ].join('\n'));
        const sweep = await compileSweepFile(file);
        assert.deepEqual(Object.keys(sweep.experiments), ['Quickstart', 'Small']);
        assert.equal(sweep.experiments.Small.model.coherence.enabled, false);
        assert.deepEqual(sweep.axes, [
            { paths: ['backend'], values: [['wasm'], ['cpu']] },
            { paths: ['fem.input', 'datasets.personas.synthetic.image', 'schedule.milestones'], values: [
                [{ height: 32, width: 32 }, { height: 32, width: 32 }, [280, 360]], [{ height: 64, width: 64 }, { height: 64, width: 64 }, [300]]
            ] },
            { paths: ['fem.freeze'], values: [[true], [false]] },
            // A file name is relative to the document, as in an experiment.
            { paths: ['fem.init'], values: [[null], [path.join(path.dirname(file), 'w.weights')]] }
        ]);
        assert.equal(sweep.points.length, 2 * 2 * 2 * 2 * 2);
        assert.deepEqual(sweep.slurm, { partition: 'gpu', gres: 'gpu:1', cpus: 4 });
    });

    it('names a point by a file\'s own name, its setting holding the absolute path', async () => {
        const file = document('sweep F over Quickstart { fem.init [null, "weights/w.weights"] }');
        const sweep = await compileSweepFile(file);
        assert.deepEqual(sweep.points.map(p => p.name), ['0-Quickstart-fem.init=null', '1-Quickstart-fem.init=w.weights']);
        assert.deepEqual(sweep.points[1].settings, [{ path: 'fem.init', value: path.join(path.dirname(file), 'weights/w.weights') }]);
    });

    it('chooses a sweep by name, and says which there are', async () => {
        const file = document('sweep A over Quickstart { seed [1] }\nsweep B over Small { seed [2, 3] }');
        assert.equal((await compileSweepFile(file, 'B')).points.length, 2);
        await assert.rejects(compileSweepFile(file), (e: unknown) => e instanceof CompileError && /declares 2 sweeps; choose one with --sweep: A, B/.test(e.message));
        await assert.rejects(compileSweepFile(file, 'C'), /no sweep named 'C' \(sweeps here: A, B\)/);
    });
});
