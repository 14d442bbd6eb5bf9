/**
 * A client that breaks LSP's framing (a missing, malformed or absurd Content-Length): the stream
 * cannot be read further, so the server says why on stderr and exits 1 (an editor then restarts it)
 * rather than waiting silently forever.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { root, SERVER_ARGS } from './lsp-session.js';

/** Starts the server, writes `bytes` to it, and resolves with its exit code and stderr (null if it is still running after `waitMs`). */
function feed(bytes: string, waitMs: number): Promise<{ code: number | null; stderr: string }> {
    const server = spawn(process.execPath, SERVER_ARGS, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', chunk => { stderr += chunk; });
    server.stdin.write(bytes);
    return new Promise(resolve => {
        const timer = setTimeout(() => {
            server.kill();
            resolve({ code: null, stderr });
        }, waitMs);
        server.on('exit', code => {
            clearTimeout(timer);
            resolve({ code, stderr });
        });
    });
}

const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

describe('persemon lsp --stdio and a broken message header', () => {
    const cases: Array<[string, string, RegExp]> = [
        ['a Content-Length that is not a number', 'Content-Length: twelve\r\n\r\n{}', /Content-Length 'twelve' is not a number of bytes/],
        ['no Content-Length', `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${INITIALIZE}`, /a message header without Content-Length/],
        ['a header line without a colon', `Content-Length 12\r\n\r\n${INITIALIZE}`, /a message header line without ':': 'Content-Length 12'/],
        ['an oversize Content-Length', `Content-Length: 99999999999999\r\n\r\n${INITIALIZE}`, /Content-Length 99999999999999 is over the 67108864 bytes a message may have/],
        ['an endless header', `Content-Length: 10${' '.repeat(70_000)}`, /a message header longer than 65536 bytes/],
        ['a valid message, then a broken one', `Content-Length: ${Buffer.byteLength(INITIALIZE)}\r\n\r\n${INITIALIZE}Content-Length: -1\r\n\r\n`, /Content-Length '-1' is not a number of bytes/]
    ];
    for (const [what, bytes, message] of cases) {
        it(`logs why and exits 1 on ${what}`, async function () {
            this.timeout(60_000);
            const { code, stderr } = await feed(bytes, 15_000);
            assert.equal(code, 1, `exit code (null: still running)\n${stderr}`);
            assert.match(stderr, /^persemon lsp: the client broke LSP's framing: /m);
            assert.match(stderr, message);
        });
    }
});
