/**
 * A sweep's progress on the terminal (stderr): done, failed and running of N, redrawn on one line on
 * a terminal, a line per change otherwise; each failure in full when it happens, with its run
 * directory and error.
 */
import type { TextStream } from '../cli/output.js';
import { formatDuration } from '../cli/progress.js';
import type { PointStatus } from './sweep-dir.js';

export interface SweepCounts {
    total: number;
    done: number;
    failed: number;
    running: number;
}

export class SweepProgress {
    private readonly started = Date.now();
    private shown = false;

    constructor(private readonly stream: TextStream, private readonly counts: () => SweepCounts, private readonly tty = stream.isTTY) {}

    /** A point changed: `started`, `done`, `interrupted` ...; failures go through `failed`. */
    note(point: string, what: PointStatus | 'started' | 'resumed' | 'skipped' | 'cancelled', detail = ''): void {
        this.line(`${point}: ${what}${detail ? ` ${detail}` : ''}`);
    }

    failed(point: string, how: string, error: string | undefined, runDir: string, log?: string): void {
        const lines = [`${point}: FAILED (${how})${error ? `: ${error}` : ''}`, `  run directory: ${runDir}`];
        if (log) lines.push(`  log: ${log}`);
        for (const l of lines) this.line(l);
    }

    info(text: string): void {
        this.line(text);
    }

    /** The status line alone (a terminal redraws it; elsewhere it follows each change). */
    status(): string {
        const c = this.counts();
        return `sweep: ${c.done}/${c.total} done, ${c.failed} failed, ${c.running} running (${formatDuration((Date.now() - this.started) / 1000)})`;
    }

    /** Redraws the status line on a terminal. */
    refresh(): void {
        if (this.tty) {
            this.stream.write(`\r${this.status()}\x1b[K`);
            this.shown = true;
        }
    }

    private line(text: string): void {
        if (this.tty) {
            this.stream.write(`${this.shown ? '\r\x1b[K' : ''}${text}\n`);
            this.refresh();
        } else {
            this.stream.write(`[${this.status().replace(/^sweep: /, '')}] ${text}\n`);
        }
    }

    /** Leaves the terminal on a fresh line. */
    end(): void {
        if (this.tty && this.shown) this.stream.write('\n');
        this.shown = false;
    }
}
