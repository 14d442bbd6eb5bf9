/**
 * The language server as an editor starts it: `persemon lsp --stdio` in a child process, spoken to
 * in LSP over its stdin and stdout.
 */
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
    CompletionRequest, createProtocolConnection, DidOpenTextDocumentNotification, ExitNotification, HoverRequest,
    InitializedNotification, InitializeRequest, type MarkupContent, type ProtocolConnection, type PublishDiagnosticsParams,
    PublishDiagnosticsNotification, ShutdownRequest, StreamMessageReader, StreamMessageWriter
} from 'vscode-languageserver-protocol/node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// A misspelt keyword: the parser stops at it, the rest of the document still validates.
const BROKEN = `experiment Paper {
  dataset selfies: personality from synthetic
  pam { }
  sampling { segmnts 10 }
  optimizer sgd { lr 0.01 }
}
`;

describe('persemon lsp --stdio', () => {
    let server: ChildProcess;
    let connection: ProtocolConnection;
    let stderr = '';

    before(() => {
        server = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'packages/runtime/src/cli/main.ts', 'lsp', '--stdio'], {
            cwd: root, stdio: ['pipe', 'pipe', 'pipe']
        });
        server.stderr!.on('data', chunk => { stderr += chunk; });
        connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
        connection.listen();
    });

    after(() => {
        connection.dispose();
        if (server.exitCode === null) server.kill();
    });

    it('initializes, reports a broken document, completes, hovers, and shuts down with exit code 0', async () => {
        // Opened, not saved: the file need not exist.
        const uri = pathToFileURL(path.join(os.tmpdir(), 'persemon-lsp', 'broken.persemon')).href;
        const diagnostics = new Promise<PublishDiagnosticsParams>(resolve => {
            connection.onNotification(PublishDiagnosticsNotification.type, params => {
                if (params.uri === uri) resolve(params);
            });
        });

        const init = await connection.sendRequest(InitializeRequest.type, {
            processId: process.pid, rootUri: null, workspaceFolders: null,
            capabilities: { textDocument: { hover: { contentFormat: ['markdown'] }, completion: {}, publishDiagnostics: {} } }
        });
        assert.ok(init.capabilities.completionProvider && init.capabilities.hoverProvider, JSON.stringify(init.capabilities));
        await connection.sendNotification(InitializedNotification.type, {});
        await connection.sendNotification(DidOpenTextDocumentNotification.type, {
            textDocument: { uri, languageId: 'persemon', version: 1, text: BROKEN }
        });

        const published = await diagnostics;
        assert.deepEqual(published.diagnostics.map(d => ({ message: d.message, range: d.range, severity: d.severity, code: d.code })), [{
            message: "unexpected 'segmnts': did you mean 'segments'?",
            range: { start: { line: 3, character: 13 }, end: { line: 3, character: 20 } },
            severity: 1,
            code: 'misspelt-keyword'
        }], stderr);

        // At `sgd` in `optimizer sgd`.
        const completion = await connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 4, character: 12 } });
        const items = Array.isArray(completion) ? completion : completion?.items ?? [];
        assert.deepEqual(items.map(i => i.label), ['sgd', 'adam']);

        // On `lr`.
        const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 19 } });
        assert.equal((hover?.contents as MarkupContent).value, '**lr**: Base learning rate, before the schedule scales it.\n\nPaper: 0.01.');

        const exited = new Promise<number | null>(resolve => server.on('exit', code => resolve(code)));
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
        assert.equal(await exited, 0, stderr);
    });
});
