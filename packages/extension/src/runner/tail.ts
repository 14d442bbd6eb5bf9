/**
 * Follows one run's events.jsonl from the last offset read: fs.watch on the run directory for
 * immediate updates, and a poll (a stat per tick) for file systems where watching misses changes.
 * Reads are synchronous so that a reader who takes `offset` and subscribes misses nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineDecoder, type BadLine, type RunEvent } from './events.js';

export interface TailListener {
    (events: RunEvent[], bad: BadLine[]): void;
}

export interface TailOptions {
    /** Poll period in ms; bounds the delay of an update when fs.watch is silent. */
    pollMs?: number;
}

const CHUNK = 4 << 20;

export class EventTail {
    readonly file: string;
    private offset = 0;
    private readonly decoder = new LineDecoder();
    private watcher: fs.FSWatcher | undefined;
    private timer: NodeJS.Timeout | undefined;
    private lastChange = 0;

    constructor(readonly dir: string, private readonly listener: TailListener, private readonly options: TailOptions = {}) {
        this.file = path.join(dir, 'events.jsonl');
    }

    /** Reads what is there now (synchronously, so callers see the backlog before start returns), then follows. */
    start(): void {
        this.read();
        try {
            this.watcher = fs.watch(this.dir, { persistent: false }, (_kind, name) => {
                if (name === null || name === 'events.jsonl') this.read();
            });
            this.watcher.on('error', () => this.stopWatching());
        } catch {
            // The directory may be gone or unwatchable: the poll still follows the file.
        }
        this.timer = setInterval(() => this.read(), this.options.pollMs ?? 500);
        this.timer.unref();
    }

    /** Bytes up to the end of the last complete line delivered. */
    get completeOffset(): number {
        return this.offset - this.decoder.pending;
    }

    /** Time (ms since the epoch) of the last growth seen, 0 before any. */
    get lastWrite(): number {
        return this.lastChange;
    }

    /** Reads the bytes appended since the last read, if any. */
    read(): void {
        let size: number;
        let mtime: number;
        try {
            const stat = fs.statSync(this.file);
            size = stat.size;
            mtime = stat.mtimeMs;
        } catch {
            return;
        }
        if (size < this.offset) {
            // Truncated: `persemon resume` drops a crashed run's partial last line.
            this.offset = size;
            this.decoder.dropPartial();
        }
        if (size === this.offset) return;
        const events: RunEvent[] = [];
        const bad: BadLine[] = [];
        const fd = fs.openSync(this.file, 'r');
        try {
            const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size - this.offset));
            while (this.offset < size) {
                const n = fs.readSync(fd, buffer, 0, Math.min(buffer.length, size - this.offset), this.offset);
                if (n === 0) break;
                this.offset += n;
                for (const event of this.decoder.push(buffer.subarray(0, n), bad)) events.push(event);
            }
        } finally {
            fs.closeSync(fd);
        }
        this.lastChange = Math.max(this.lastChange, mtime);
        if (events.length > 0 || bad.length > 0) this.listener(events, bad);
    }

    dispose(): void {
        this.stopWatching();
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
    }

    private stopWatching(): void {
        this.watcher?.close();
        this.watcher = undefined;
    }
}

/**
 * The events between two offsets of a file that fall on line starts (whole lines only): a snapshot
 * matching a tail's offset. Reading is asynchronous so that a panel opening on a long run is not
 * blocked by the disk.
 */
export async function readEvents(file: string, start: number, end: number): Promise<RunEvent[]> {
    if (end <= start) return [];
    const handle = await fs.promises.open(file, 'r');
    try {
        const buffer = Buffer.allocUnsafe(end - start);
        let read = 0;
        while (read < buffer.length) {
            const { bytesRead } = await handle.read(buffer, read, buffer.length - read, start + read);
            if (bytesRead === 0) break;
            read += bytesRead;
        }
        return new LineDecoder().push(buffer.subarray(0, read));
    } finally {
        await handle.close();
    }
}
