import * as assert from 'node:assert/strict';
import { FramingError, FramingGuard, MAX_HEADER_BYTES } from '../src/stdio-framing.js';

function message(body: string, extra = ''): Buffer {
    return Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`);
}

/** `bytes` pushed in pieces cut at `cuts`. */
function pushCut(guard: FramingGuard, bytes: Buffer, cuts: number[]): void {
    let start = 0;
    for (const cut of [...cuts, bytes.length]) {
        guard.push(bytes.subarray(start, cut));
        start = cut;
    }
}

describe('the stdio framing guard', () => {
    // Bodies with multi-byte characters and a header with another field: lengths are bytes, not characters.
    const stream = Buffer.concat([
        message('{"jsonrpc":"2.0","method":"λ","params":"\r\n\r\n"}'),
        message('{}', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n'),
        message(''),
        message(`{"text":"${'experiment Ω { }\\n'.repeat(50)}"}`)
    ]);

    it('follows valid messages however the stream is cut into chunks', () => {
        for (let a = 0; a <= stream.length; a += 7) {
            for (const b of [a, a + 1, a + 3, stream.length]) {
                assert.doesNotThrow(() => pushCut(new FramingGuard(), stream, [a, Math.min(b, stream.length)]), `cut at ${a} and ${b}`);
            }
        }
        const guard = new FramingGuard();
        for (const byte of stream) guard.push(Buffer.from([byte]));
    });

    it('finds a broken header after valid messages, wherever the chunks are cut', () => {
        const broken = Buffer.concat([stream, Buffer.from('Content-Length: 1O\r\n\r\n{}')]);
        for (let cut = 0; cut <= broken.length; cut += 5) {
            assert.throws(() => pushCut(new FramingGuard(), broken, [cut]), new FramingError("Content-Length '1O' is not a number of bytes"));
        }
    });

    it('refuses a header that never ends', () => {
        const guard = new FramingGuard();
        guard.push(Buffer.from('Content-Length: 2'));
        assert.throws(() => guard.push(Buffer.alloc(MAX_HEADER_BYTES, ' ')), /a message header longer than 65536 bytes/);
    });
});
