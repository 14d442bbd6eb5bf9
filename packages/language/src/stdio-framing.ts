/**
 * A guard on the bytes an LSP client writes to the server's stdin. vscode-jsonrpc drops a message
 * whose header is broken without a word, and waits forever for the body of an absurd Content-Length:
 * the server then lives on, deaf and silent. Once the framing is broken nothing after it can be
 * read, so the guard, following the same bytes beside the reader, ends the process with the reason
 * instead; an editor restarts a server that exits.
 */
import * as fs from 'node:fs';

/** The largest message accepted: far above any .persemon document, far below what a string can hold. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
export const MAX_HEADER_BYTES = 64 * 1024;

const END_OF_HEADER = '\r\n\r\n';

export class FramingError extends Error {}

/** Follows `Content-Length: N\r\n…\r\n\r\n` then N bytes, message after message, chunk by chunk. */
export class FramingGuard {
    /** The header read so far (latin1: header bytes are ASCII). */
    private header = '';
    /** Bytes of the current body still to come. */
    private bodyLeft = 0;

    /** Throws a FramingError at the first broken header. */
    push(chunk: Buffer): void {
        let offset = 0;
        while (offset < chunk.length) {
            if (this.bodyLeft > 0) {
                const skipped = Math.min(this.bodyLeft, chunk.length - offset);
                this.bodyLeft -= skipped;
                offset += skipped;
                continue;
            }
            const before = this.header.length;
            // Only as much of the chunk as a header may still take, so a large body is never copied.
            const taken = Math.min(chunk.length - offset, MAX_HEADER_BYTES + END_OF_HEADER.length - before);
            this.header += chunk.toString('latin1', offset, offset + taken);
            const end = this.header.indexOf(END_OF_HEADER, Math.max(0, before - END_OF_HEADER.length + 1));
            if (end < 0) {
                if (this.header.length > MAX_HEADER_BYTES) throw new FramingError(`a message header longer than ${MAX_HEADER_BYTES} bytes`);
                return;
            }
            offset += end + END_OF_HEADER.length - before;
            this.bodyLeft = contentLength(this.header.slice(0, end));
            this.header = '';
        }
    }
}

function contentLength(header: string): number {
    let length: number | undefined;
    for (const line of header.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon < 0) throw new FramingError(`a message header line without ':': '${line}'`);
        if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
        const value = line.slice(colon + 1).trim();
        if (!/^\d+$/.test(value)) throw new FramingError(`Content-Length '${value}' is not a number of bytes`);
        length = Number(value);
        if (length > MAX_MESSAGE_BYTES) throw new FramingError(`Content-Length ${value} is over the ${MAX_MESSAGE_BYTES} bytes a message may have`);
    }
    if (length === undefined) throw new FramingError(`a message header without Content-Length: ${JSON.stringify(header)}`);
    return length;
}

/** Watches `input` beside the connection's reader; at broken framing, says why on stderr and exits 1. */
export function guardFraming(input: NodeJS.ReadableStream): void {
    const guard = new FramingGuard();
    input.on('data', (chunk: Buffer) => {
        try {
            guard.push(chunk);
        } catch (error) {
            if (!(error instanceof FramingError)) throw error;
            // Synchronous, so the reason is out before the process ends.
            fs.writeSync(2, `persemon lsp: the client broke LSP's framing: ${error.message}; nothing after it can be read, so the server stops\n`);
            process.exit(1);
        }
    });
}
