/**
 * The CLI installed without this checkout, both ways it ships:
 *  - the runtime's npm tarball (`npm pack --workspace packages/runtime`) installed with
 *    `npm install -g --prefix TMP` from an empty folder. npm resolves the tarball's dependencies by
 *    name, so it needs their metadata: `--prefer-offline` takes it from npm's cache when there, and
 *    from the npm registry the first time on a machine whose cache only `npm ci` filled;
 *  - the copy in the .vsix (packages/extension/stage-runtime.mjs), moved out of the repository so
 *    that no node_modules of the checkout is found above it, with a run and a prediction on the
 *    portrait (the face models it keeps) as well.
 * Every command runs from an empty folder with a PATH that has no folder of this checkout.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { root, tinyExperiment } from './helpers/cli.js';

const runtimeVersion = (JSON.parse(fs.readFileSync(path.join(root, 'packages/runtime/package.json'), 'utf8')) as { version: string }).version;
const quickstart = fs.readFileSync(path.join(root, 'examples/quickstart.persemon'), 'utf8');

/** The environment of a user without this checkout: no npm script variables, no repository folder on the PATH. */
function userEnv(binDir?: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
        if (!key.startsWith('npm_') && key !== 'INIT_CWD' && key !== 'NODE_OPTIONS' && key !== 'NODE_PATH') env[key] = value;
    }
    const outside = (entry: string) => path.relative(root, path.resolve(entry)).startsWith('..');
    const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((entry) => entry !== '' && outside(entry));
    env.PATH = [...(binDir ? [binDir] : []), path.dirname(process.execPath), ...dirs].join(path.delimiter);
    return env;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeout = 120_000): SpawnSyncReturns<string> {
    const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 * 2 ** 20 });
    if (result.error) throw result.error;
    return result;
}

function expectExit(result: SpawnSyncReturns<string>, code: number, what: string): void {
    assert.equal(result.status, code, `${what} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
}

/** `persemon check`: 0 for the quickstart; 1 for a copy with a bad seed, naming its file, line and column. */
function checkExamples(persemon: (args: string[], cwd: string) => SpawnSyncReturns<string>, dir: string): void {
    fs.writeFileSync(path.join(dir, 'quickstart.persemon'), quickstart);
    expectExit(persemon(['check', 'quickstart.persemon'], dir), 0, 'persemon check quickstart.persemon');
    // Line 4 of the quickstart is `  seed 1`; `one` starts at column 8.
    assert.match(quickstart.split('\n')[3], /^ {2}seed 1$/);
    fs.writeFileSync(path.join(dir, 'broken.persemon'), quickstart.replace('seed 1', 'seed one'));
    const broken = persemon(['check', 'broken.persemon'], dir);
    expectExit(broken, 1, 'persemon check broken.persemon');
    assert.match(broken.stdout + broken.stderr, /broken\.persemon:4:8: error: /);
}

describe('the packed @persemon/runtime installed with npm install -g', function () {
    this.timeout(180_000);
    let tmp: string;
    let empty: string;
    let prefix: string;
    let tarball: string;
    let packed: string[];

    before(() => {
        tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-pack-')));
        empty = path.join(tmp, 'empty');
        prefix = path.join(tmp, 'prefix');
        fs.mkdirSync(empty);
        // prepack bundles the CLI afresh.
        const pack = run('npm', ['pack', '--workspace', 'packages/runtime', '--pack-destination', tmp, '--json', '--loglevel=error'], root, process.env);
        expectExit(pack, 0, 'npm pack');
        const [entry] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
        tarball = path.join(tmp, entry.filename);
        packed = entry.files.map((f) => f.path).sort();
    });

    after(() => {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('holds the launcher, the CLI bundle and a manifest that names no unpublished package', () => {
        assert.deepEqual(packed, ['bin/persemon.js', 'dist/persemon.js', 'package.json']);
        const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], tmp, process.env).stdout) as {
            version: string; dependencies: Record<string, string>; bin: Record<string, string>;
        };
        assert.equal(manifest.version, runtimeVersion);
        assert.deepEqual(manifest.bin, { persemon: 'bin/persemon.js' });
        assert.deepEqual(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@persemon/')), []);
    });

    it('installs from an empty folder, and persemon --version names that install', () => {
        const install = run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball],
            empty, userEnv());
        expectExit(install, 0, 'npm install -g');
        const version = run(path.join(prefix, 'bin', 'persemon'), ['--version'], empty, userEnv(path.join(prefix, 'bin')));
        expectExit(version, 0, 'persemon --version');
        assert.equal(version.stdout, `persemon ${runtimeVersion} at ${path.join(prefix, 'lib', 'node_modules', '@persemon', 'runtime')} (Node.js ${process.version})\n`);
    });

    it('persemon check works from an empty folder', () => {
        const env = userEnv(path.join(prefix, 'bin'));
        // By name, through the PATH, as a user types it.
        checkExamples((args, cwd) => run('persemon', args, cwd, env), empty);
    });
});

describe('the CLI staged for the .vsix, outside the repository', function () {
    this.timeout(180_000);
    let tmp: string;
    let runtime: string;
    let work: string;
    const cli = (args: string[], cwd: string) => run(process.execPath, [path.join(runtime, 'bin', 'persemon.js'), ...args], cwd,
        { ...userEnv(), XDG_CACHE_HOME: path.join(tmp, 'cache') });

    before(() => {
        tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-vsix-runtime-')));
        expectExit(run(process.execPath, ['esbuild.mjs'], path.join(root, 'packages/runtime'), process.env), 0, 'the runtime bundle');
        expectExit(run(process.execPath, ['stage-runtime.mjs'], path.join(root, 'packages/extension'), process.env), 0, 'stage-runtime.mjs');
        runtime = path.join(tmp, 'runtime');
        fs.cpSync(path.join(root, 'packages/extension/dist/runtime'), runtime, { recursive: true });
        work = path.join(tmp, 'work');
        fs.mkdirSync(work);
    });

    after(() => {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('prints its version and folder, and checks examples', () => {
        const version = cli(['--version'], work);
        expectExit(version, 0, 'persemon --version');
        assert.equal(version.stdout, `persemon ${runtimeVersion} at ${runtime} (Node.js ${process.version})\n`);
        checkExamples(cli, work);
    });

    it('trains on wasm and finds the face in the portrait', () => {
        fs.writeFileSync(path.join(work, 'tiny.persemon'), tinyExperiment({ iterations: 2, evaluate: null, checkpoint: null }));
        const trained = cli(['run', 'tiny.persemon', '--backend', 'wasm'], work);
        expectExit(trained, 0, 'persemon run');
        const runDir = path.resolve(work, trained.stdout.split('\n')[0].trim());
        const start = fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8').split('\n').map((l) => l && JSON.parse(l) as { type: string; backend?: string; runtime?: unknown })
            .find((e) => e && e.type === 'start');
        assert.equal(start?.backend, 'wasm');
        // The run names the copy that ran it, not the checkout.
        assert.deepEqual(start?.runtime, { version: runtimeVersion, dir: runtime });
        fs.copyFileSync(path.join(root, 'test/fixtures/astronaut.png'), path.join(work, 'astronaut.png'));
        const predicted = cli(['predict', runDir, 'astronaut.png', '--json'], work);
        expectExit(predicted, 0, 'persemon predict');
        const faces = (JSON.parse(predicted.stdout) as { faces: Array<{ box: { x: number; y: number; width: number; height: number } }> }).faces;
        assert.equal(faces.length, 1);
        // The face in the 512x512 portrait (test/fixtures/README.md) lies in the upper middle: its
        // centre between x 180-270 and y 90-180, whatever the detector's exact box.
        const { x, y, width, height } = faces[0].box;
        assert.ok(x + width / 2 > 180 && x + width / 2 < 270 && y + height / 2 > 90 && y + height / 2 < 180, JSON.stringify(faces[0].box));

        // The figures: vega, vega-lite and umap-js inside the bundle, the PNG through the carried canvas.
        const analysed = cli(['analyze', runDir, '--format', 'png', '--frames', '20'], work);
        expectExit(analysed, 0, 'persemon analyze');
        const folder = path.join(runDir, 'analysis');
        const index = JSON.parse(fs.readFileSync(path.join(folder, 'analysis.json'), 'utf8')) as { figures: Array<{ id: string; svg: string; png?: string }> };
        assert.deepEqual(index.figures.map((f) => f.id), ['fig3', 'fig4']);
        for (const figure of index.figures) {
            assert.match(fs.readFileSync(path.join(folder, figure.svg), 'utf8'), /^<svg /, figure.svg);
            assert.deepEqual([...fs.readFileSync(path.join(folder, figure.png!)).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], figure.png);
        }
    });
});
