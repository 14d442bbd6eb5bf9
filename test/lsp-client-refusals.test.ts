/**
 * A client that refuses what the server asks of it (here: registering a file watcher) rejects a
 * promise inside Langium that nobody awaits; that must be logged, not end the server.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    HoverRequest, InitializedNotification, InitializeRequest, LogMessageNotification, type MarkupContent, RegistrationRequest, ResponseError
} from 'vscode-languageserver-protocol/node.js';
import { LspSession, root, SERVER_ARGS } from './lsp-session.js';

describe('persemon lsp --stdio and a client that refuses a request', () => {
    it('logs the refusal and goes on answering', async function () {
        this.timeout(120_000);
        const session = new LspSession(spawn(process.execPath, SERVER_ARGS, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] }));
        try {
            const logged: string[] = [];
            session.connection.onNotification(LogMessageNotification.type, params => { logged.push(params.message); });
            let refused = false;
            session.connection.onRequest(RegistrationRequest.type, () => {
                refused = true;
                return new ResponseError(-32601, 'this client registers nothing');
            });
            await session.connection.sendRequest(InitializeRequest.type, {
                processId: process.pid, rootUri: null, workspaceFolders: null,
                capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } }, textDocument: { hover: { contentFormat: ['markdown'] } } }
            });
            await session.connection.sendNotification(InitializedNotification.type, {});
            const uri = pathToFileURL(path.join(os.tmpdir(), 'persemon-lsp-refusals', 'main.persemon')).href;
            await session.open(uri, 'experiment A {\n  seed 1\n}\n');
            await session.diagnostics(uri);
            const hover = await session.request(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 3 } });
            assert.match((hover?.contents as MarkupContent | undefined)?.value ?? '', /^\*\*seed\*\*/);
            assert.ok(refused, 'the server asked to register its file watcher');
            assert.ok(logged.some(m => m.includes('this client registers nothing')), JSON.stringify(logged));
            assert.equal(await session.shutdown(), 0, session.stderr);
        } finally {
            session.dispose();
        }
    });
});
