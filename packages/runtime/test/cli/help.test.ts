import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { invoke, prepare, VerbUsageError } from '../../src/cli/verb.js';
import { VERBS } from '../../src/cli/verbs.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.ts');
const STACK = /\n\s+at /;

function persemon(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', cli, ...args], { encoding: 'utf8', timeout: 120_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every command line the README lists, with exactly the options it documents. */
const OPTIONS: Record<string, string[]> = {
    'check': [],
    'compile': ['--experiment'],
    'lsp': ['--stdio', '--node-ipc', '--socket', '--pipe', '--clientProcessId'],
    'run': ['--experiment', '--set', '--out', '--run-dir', '--max-steps', '--backend'],
    'resume': ['--max-steps', '--accept-spec-change'],
    'sweep': ['--sweep', '--parallel', '--to', '--fail-fast', '--retry-failed', '--set', '--max-steps', '--backend', '--out',
        '--partition', '--time', '--cpus', '--mem', '--gres', '--poll'],
    'eval': ['--split'],
    'compare': ['--format', '--by', '--split'],
    'analyze': ['--out', '--format', '--frames', '--embedding', '--checkpoint', '--seed', '--grid'],
    'predict': ['--json'],
    'data inspect': ['--format', '--json'],
    'synth': ['--format', '--out', '--videos', '--frames', '--seed'],
    'backends': ['--json'],
    'backends install': ['--wheel', '--force'],
    'weights import': ['--out'],
};

/** What `persemon WORDS... --help` prints, run in this process. */
async function help(words: string): Promise<string> {
    const [name, ...rest] = words.split(' ');
    const verb = VERBS.find((v) => v.name === name);
    assert.ok(verb, `no verb ${name}`);
    const lines: string[] = [];
    await invoke(verb, [...rest, '--help'], { line: (t) => lines.push(t), info: () => assert.fail('help writes to stdout') });
    return lines.join('\n');
}

/** The options a help text lists (`--name` at the start of a row under `options:`), -h/--help aside. */
function listedOptions(text: string): string[] {
    const block = text.split('\noptions:\n')[1].split('\n\n')[0];
    return [...block.matchAll(/^ {2}(--[\w-]+)/gm)].map((m) => m[1]);
}

describe('persemon: help and bad arguments', function () {
    this.timeout(300_000);

    it('--help lists every verb and action, with the exit codes', () => {
        const r = persemon('--help');
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /^usage: persemon <command> \[arguments\]\n/);
        for (const words of Object.keys(OPTIONS)) assert.match(r.stdout, new RegExp(`^ {2}${words}\\b`, 'm'), words);
        assert.deepEqual(VERBS.flatMap((v) => v.actions.map((a) => (a.name ? `${v.name} ${a.name}` : v.name))), Object.keys(OPTIONS));
        assert.match(r.stdout, /exit status: 0 success; 1 a user error \(bad document, bad data\); 2 bad arguments/);
        assert.equal(persemon('help').stdout, r.stdout);
    });

    it('each verb\'s --help shows its own usage, options and exit codes', async () => {
        for (const [words, options] of Object.entries(OPTIONS)) {
            const text = await help(words);
            assert.ok(text.startsWith(`usage: persemon ${words}`), `${words}: ${text.split('\n')[0]}`);
            assert.deepEqual(listedOptions(text), options, words);
            assert.match(text, /^ {2}-h, --help {2,}this help$/m, words);
            assert.match(text, /\nexit status: 0 [^;]+;\s+1 [^;]+;\s+2 for bad arguments$/, words);
        }
        // A verb with two actions shows both; `help VERB` is `VERB --help`.
        assert.match(await help('backends'), /usage: persemon backends \[--json\][\s\S]*usage: persemon backends install node\|gpu/);
        const run = persemon('help', 'run');
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stdout, `${await help('run')}\n`);
    });

    it('reads options as the CLI always has, and answers a bad one with its action\'s usage', async () => {
        const verb = (name: string) => VERBS.find((v) => v.name === name)!;
        const parsed = prepare(verb('run'), ['a.persemon', '--out=runs', '--max-steps', '5', '--experiment', '-x']);
        assert.ok('args' in parsed);
        assert.deepEqual(parsed.args.positionals, ['a.persemon']);
        assert.deepEqual({ ...parsed.args.values }, { out: 'runs', 'max-steps': '5', experiment: '-x' });
        assert.ok('help' in prepare(verb('run'), ['--bogus', '-h']), '--help wins over a bad argument');
        const refusals: Array<[string, string[], string, string]> = [
            ['compile', ['a.persemon', '--experiment'], '--experiment needs a value', 'compile'],
            ['predict', ['r', 'i.png', '--json=yes'], '--json takes no value', 'predict'],
            ['backends', ['install', 'node', '--wheel='], '--wheel needs a value', 'backends install'],
            ['backends', ['list'], 'backends takes no positional arguments, not \'list\'', 'backends'],
            ['weights', ['export'], 'unknown weights action \'export\' (there is: import)', 'weights import'],
        ];
        for (const [name, argv, message, usage] of refusals) {
            assert.throws(() => prepare(verb(name), argv), (e: unknown) => {
                assert.ok(e instanceof VerbUsageError, String(e));
                assert.equal(e.message, message);
                assert.ok(e.usage.startsWith(`usage: persemon ${usage} `), e.usage);
                return true;
            });
        }
        await assert.rejects(invoke(verb('synth'), ['--format', 'affwild', '--out', 'x', '--seed', '-1'], { line: () => {}, info: () => {} }),
            (e: unknown) => e instanceof VerbUsageError && e.message === '--seed must be a whole number >= 0, not \'-1\'' && e.usage.startsWith('usage: persemon synth '));
    });

    it('an unknown option or a missing argument exits 2 with that verb\'s usage alone', () => {
        const cases: Array<[string[], string, string]> = [
            [['synth', '--format', 'chalearn', '--out', path.join(os.tmpdir(), 'never'), '--colour', 'red'], 'unknown option --colour', 'synth'],
            [['predict', 'runs/x'], 'predict needs a RUN_DIR and an IMAGE_OR_VIDEO', 'predict'],
        ];
        for (const [args, message, verb] of cases) {
            const r = persemon(...args);
            assert.equal(r.status, 2, r.stderr);
            assert.equal(r.stdout, '');
            const [first, second] = r.stderr.split('\n');
            assert.equal(first, `persemon: ${message}`);
            assert.ok(second.startsWith(`usage: persemon ${verb} `), second);
            assert.match(r.stderr, /\noptions:\n/);
            assert.equal(r.stderr.match(/usage:/g)?.length, 1, 'no other verb\'s usage');
            assert.doesNotMatch(r.stderr, STACK);
        }
    });

    it('a user error exits 1 with its message alone: no usage, no stack', () => {
        const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-help-')), 'missing.persemon');
        const r = persemon('run', missing);
        assert.equal(r.status, 1, r.stderr);
        assert.equal(r.stderr, `persemon: ${missing}: file not found\n`);
        assert.equal(r.stdout, '');
    });
});
