import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findExperiments } from '../src/experiments.js';
import { findCli } from '../src/runner/cli.js';

describe('experiment declarations', () => {
    it('finds experiments with their positions, not in comments or strings', () => {
        const text = [
            '// experiment Commented {',
            'import "paper.persemon"',
            'experiment Paper {',
            '  output "experiment Inside"',
            '}',
            '/* experiment Block */ experiment NoCoherence extends Paper { coherence off }',
            '  experiment λTest {}'
        ].join('\n');
        assert.deepEqual(findExperiments(text), [
            { name: 'Paper', line: 2, character: 0 },
            { name: 'NoCoherence', line: 5, character: 23 },
            { name: 'λTest', line: 6, character: 2 }
        ]);
    });

    it('reads the examples', () => {
        const examples = path.resolve(import.meta.dirname, '../../../examples');
        assert.deepEqual(findExperiments(fs.readFileSync(path.join(examples, 'quickstart.persemon'), 'utf8')).map(e => e.name), ['Quickstart']);
        assert.ok(findExperiments(fs.readFileSync(path.join(examples, 'ablations.persemon'), 'utf8')).length >= 5);
    });
});

describe('finding the persemon CLI', () => {
    let dir: string;
    beforeEach(() => { dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'))); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const touch = (file: string) => {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, '#!/usr/bin/env node\n');
        return file;
    };

    it('prefers the setting, resolved against the first folder; a .js runs with node', () => {
        touch(path.join(dir, 'tools/persemon.js'));
        assert.deepEqual(findCli({ setting: 'tools/persemon.js', folders: [dir], pathEnv: '' }),
            { command: 'node', prefix: [path.join(dir, 'tools/persemon.js')], source: `setting persemon.cliPath (${path.join(dir, 'tools/persemon.js')})` });
        assert.equal(findCli({ setting: 'missing.js', folders: [dir], pathEnv: '' }), undefined);
    });

    it('walks up from the folder to node_modules/.bin, following the link to the script', () => {
        const script = touch(path.join(dir, 'node_modules/@persemon/runtime/bin/persemon.js'));
        fs.mkdirSync(path.join(dir, 'node_modules/.bin'));
        fs.symlinkSync('../@persemon/runtime/bin/persemon.js', path.join(dir, 'node_modules/.bin/persemon'));
        fs.mkdirSync(path.join(dir, 'examples'));
        assert.deepEqual(findCli({ folders: [path.join(dir, 'examples')], pathEnv: '' })?.prefix, [script]);
    });

    it('finds the runtime package without a .bin link (a workspace that depends on it)', () => {
        const script = touch(path.join(dir, 'node_modules/@persemon/runtime/bin/persemon.js'));
        assert.deepEqual(findCli({ folders: [path.join(dir, 'a/b')], pathEnv: '' })?.prefix, [script]);
    });

    it('falls back to the PATH, and says when there is none', () => {
        const bin = touch(path.join(dir, 'bin/persemon'));
        assert.deepEqual(findCli({ folders: ['/nonexistent'], pathEnv: path.join(dir, 'bin') }), { command: bin, prefix: [], source: bin });
        assert.equal(findCli({ folders: ['/nonexistent'], pathEnv: '' }), undefined);
    });
});
