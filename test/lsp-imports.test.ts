/**
 * Imports of what is not an experiment file, typed into the language server character by character
 * as an editor sends them (quotes auto-closed, so `import "../shared/base.persemon"` passes through
 * `import "."`), and given to the CLI: a diagnostic on the import each time, never a crash or a hang.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CompletionRequest, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node.js';
import { LspSession, root, SERVER_ARGS } from './lsp-session.js';

const EXPERIMENT = 'experiment Child extends Base {\n  seed 2\n}\n';
const IMPORTS = ['.', 'shared', 'notes.txt', 'pipe.persemon', '/dev/zero', '/dev/stdin', 'base.persemon'];

/** The texts an editor sends while `import "PATH"` is typed on a new line above `rest`, quotes auto-closed. */
function typing(before: string, importPath: string, rest: string): string[] {
    const keyword = 'import ';
    const lines: string[] = [];
    for (let i = 1; i <= keyword.length; i++) lines.push(keyword.slice(0, i));
    for (let i = 0; i <= importPath.length; i++) lines.push(`${keyword}"${importPath.slice(0, i)}"`);
    return lines.map(line => `${before}${line}\n${rest}`);
}

/** The position after the last character of `text`. */
function end(text: string): { line: number; character: number } {
    const lines = text.split('\n');
    return { line: lines.length - 1, character: lines.at(-1)!.length };
}

describe('imports of folders, other files, pipes and devices', () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-lsp-imports-'));
        fs.mkdirSync(path.join(dir, 'shared'));
        fs.writeFileSync(path.join(dir, 'notes.txt'), 'experiment Notes { }\n');
        fs.writeFileSync(path.join(dir, 'base.persemon'), 'experiment Base {\n  seed 1\n}\n');
        execFileSync('mkfifo', [path.join(dir, 'pipe.persemon')]);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const EXPECTED = [
        '1:8: error: . is a folder, not a .persemon file',
        '2:8: error: shared is a folder, not a .persemon file',
        '3:8: error: notes.txt is not a .persemon file',
        '4:8: error: pipe.persemon is not a regular file (a pipe, device or socket): it is not read',
        '5:8: error: /dev/zero is not a regular file (a pipe, device or socket): it is not read',
        '6:8: error: /dev/stdin is not a regular file (a pipe, device or socket): it is not read'
    ];

    it('survive being typed into the language server character by character, which then answers and reports them', async function () {
        this.timeout(180_000);
        const session = await LspSession.start();
        try {
            const uri = pathToFileURL(path.join(dir, 'main.persemon')).href;
            let text = EXPERIMENT;
            let version = 1;
            await session.open(uri, text, version);
            for (const importPath of IMPORTS) {
                const before = text.slice(0, text.length - EXPERIMENT.length);
                for (const typed of typing(before, importPath, EXPERIMENT)) {
                    text = typed;
                    await session.change(uri, text, ++version);
                    // Completion waits for the build of the text it is about (linked, imports loaded), so each text is built in turn.
                    const completion = await session.request(CompletionRequest.type, { textDocument: { uri }, position: end(text) });
                    const labels = (Array.isArray(completion) ? completion : completion?.items ?? []).map(item => item.label);
                    assert.ok(labels.includes('experiment'), `completion after typing ${JSON.stringify(text)}: ${labels}\n${session.stderr}`);
                }
            }
            const seed = text.lastIndexOf('seed');
            const hover = await session.request(HoverRequest.type, { textDocument: { uri }, position: end(text.slice(0, seed + 2)) });
            assert.match((hover?.contents as MarkupContent | undefined)?.value ?? '', /^\*\*seed\*\*/, session.stderr);
            const show = (d: { range: { start: { line: number; character: number } }; severity?: number; message: string }) =>
                `${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity === 1 ? 'error' : 'warning'}: ${d.message}`;
            const published = await session.diagnostics(uri, p => JSON.stringify(p.diagnostics.map(show)) === JSON.stringify(EXPECTED));
            assert.deepEqual(published.diagnostics.map(show), EXPECTED);
            assert.equal(session.server.exitCode, null, session.stderr);
            assert.equal(await session.shutdown(), 0, session.stderr);
        } finally {
            session.dispose();
        }
    });

    it('make check, compile and run print FILE:LINE:COL diagnostics and exit 1, without a stack trace', function () {
        this.timeout(120_000);
        const file = path.join(dir, 'cli.persemon');
        fs.writeFileSync(file, IMPORTS.map(p => `import "${p}"\n`).join('') + EXPERIMENT);
        const cli = SERVER_ARGS.slice(0, -2);
        for (const verb of ['check', 'compile', 'run']) {
            const result = spawnSync(process.execPath, [...cli, verb, file], { cwd: root, encoding: 'utf8', timeout: 60_000, stdio: ['pipe', 'pipe', 'pipe'] });
            const output = result.stdout + result.stderr;
            assert.equal(result.status, 1, `${verb}: ${output}`);
            for (const expected of EXPECTED) assert.ok(output.includes(`${file}:${expected}`), `${verb} lacks ${file}:${expected}\n${output}`);
            assert.doesNotMatch(output, /\n\s+at /, `${verb} printed a stack trace`);
        }
    });
});
