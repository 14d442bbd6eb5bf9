/**
 * Diagnostics carry the version of the text they were computed on (the client asks for
 * `versionSupport`), so an editor can tell them from those of an older text.
 */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from './lsp-session.js';

/** Version k names an unknown loss weight of its own, so each publish tells which text it was computed on. */
const text = (version: number) => `experiment A {\n  loss { lambda${version + 5} 1 }\n}\n`;
const message = (version: number) => `unknown loss weight 'lambda${version + 5}'; the loss weights are λ1 to λ5 (or lambda1 to lambda5) and margin`;

describe('persemon lsp --stdio and versioned diagnostics', () => {
    it('publishes each document\'s diagnostics with the version of the text they are about', async function () {
        this.timeout(120_000);
        const session = await LspSession.start();
        try {
            const uri = pathToFileURL(path.join(os.tmpdir(), 'persemon-lsp-versions', 'main.persemon')).href;
            await session.open(uri, text(1), 1);
            assert.equal((await session.diagnostics(uri)).version, 1);
            // Typed fast: some versions are never built, and what is published must still name its own.
            const last = 30;
            for (let version = 2; version <= last; version++) await session.change(uri, text(version), version);
            await session.diagnostics(uri, p => p.version === last);
            const mine = session.published.filter(p => p.uri === uri);
            assert.ok(mine.length >= 2, JSON.stringify(mine));
            for (const published of mine) {
                assert.equal(typeof published.version, 'number', JSON.stringify(published));
                assert.deepEqual(published.diagnostics.map(d => d.message), [message(published.version!)], `version ${published.version}`);
            }
            assert.equal(await session.shutdown(), 0, session.stderr);
        } finally {
            session.dispose();
        }
    });
});
