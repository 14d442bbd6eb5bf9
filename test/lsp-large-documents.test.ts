/**
 * A document of 130,000 errors through the CLI and the language server: the first thousand listed
 * and one problem counting the rest, `check` exiting 1 with the full count. The time limits only
 * guard against hangs; bench/language.ts measures the speed.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession, root, SERVER_ARGS } from './lsp-session.js';

const SETTINGS = 130_000;
// Every seed after the first (lines 3 on) is given twice: the first 1,000 are listed.
const ERRORS = SETTINGS - 1;
const UNLISTED = ERRORS - 1000;
const TEXT = 'experiment A {\n' + '  seed 1\n'.repeat(SETTINGS) + '}\n';
const SUMMARY = `${UNLISTED.toLocaleString('en-US')} more problems from here on are not listed (${UNLISTED.toLocaleString('en-US')} errors)`;

describe('a document of 130,000 errors', () => {
    let dir: string;
    let file: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-lsp-large-'));
        file = path.join(dir, 'errors.persemon');
        fs.writeFileSync(file, TEXT);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('makes check list the first thousand, count the rest, and exit 1', function () {
        this.timeout(300_000);
        const cli = SERVER_ARGS.slice(0, -2);
        const result = spawnSync(process.execPath, [...cli, 'check', file], { cwd: root, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 2 ** 20 });
        assert.equal(result.status, 1, result.stderr);
        const lines = result.stdout.trimEnd().split('\n');
        assert.equal(lines.length, 1001);
        assert.equal(lines[0], `${file}:3:3: error: seed is given twice in this experiment`);
        assert.equal(lines[1000], `${file}:1003:3: error: ${SUMMARY}`);
        assert.match(result.stderr, new RegExp(`^persemon: ${ERRORS} error\\(s\\), 0 warning\\(s\\)$`, 'm'));
    });

    it('makes the language server publish the first thousand and the count, and go on answering', async function () {
        this.timeout(300_000);
        const session = await LspSession.start();
        try {
            const uri = pathToFileURL(file).href;
            await session.open(uri, TEXT, 1);
            const published = await session.diagnostics(uri, p => p.version === 1, 240_000);
            assert.equal(published.diagnostics.length, 1001);
            assert.equal(published.diagnostics[1000].message, SUMMARY);
            assert.deepEqual(published.diagnostics[1000].range.start, { line: 1002, character: 2 });
            assert.equal(await session.shutdown(), 0, session.stderr);
        } finally {
            session.dispose();
        }
    });
});
