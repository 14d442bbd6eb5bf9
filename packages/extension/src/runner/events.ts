/**
 * Decoding events.jsonl (a contract: README.md, "The CLI") as it grows: bytes arrive in arbitrary
 * chunks, so a line is only parsed once its newline has arrived.
 */
import type { RunEvent } from '@persemon/runtime/events';

export type { RunEvent, StartEvent, TrainEvent, EvalEvent, LossTerms } from '@persemon/runtime/events';

/** A line that is not an event: reported, then skipped, so one bad line does not hide a run. */
export interface BadLine {
    line: number;
    text: string;
}

/** Parses one line; undefined unless it is a JSON object with a string `type` and a numeric `step`. */
export function parseEvent(line: string): RunEvent | undefined {
    let value: unknown;
    try {
        value = JSON.parse(line);
    } catch {
        return undefined;
    }
    if (typeof value !== 'object' || value === null) return undefined;
    const event = value as { type?: unknown; step?: unknown };
    if (typeof event.type !== 'string' || typeof event.step !== 'number') return undefined;
    return value as RunEvent;
}

export class LineDecoder {
    private carry: Buffer = Buffer.alloc(0);
    private lineNumber = 0;

    /** Bytes received that do not end a line yet. */
    get pending(): number {
        return this.carry.length;
    }

    /**
     * Events completed by this chunk, in order; a trailing partial line waits for the next chunk.
     * Lines are cut at byte 0x0A, which never occurs inside a multi-byte UTF-8 character.
     */
    push(chunk: Buffer, bad: BadLine[] = []): RunEvent[] {
        const end = chunk.lastIndexOf(0x0a);
        if (end < 0) {
            this.carry = Buffer.concat([this.carry, chunk]);
            return [];
        }
        const complete = this.carry.length > 0 ? Buffer.concat([this.carry, chunk.subarray(0, end)]) : chunk.subarray(0, end);
        this.carry = Buffer.from(chunk.subarray(end + 1));
        const events: RunEvent[] = [];
        for (const line of complete.toString('utf8').split('\n')) {
            this.lineNumber++;
            if (line.trim() === '') continue;
            const event = parseEvent(line);
            if (event) events.push(event);
            else bad.push({ line: this.lineNumber, text: line.length > 200 ? `${line.slice(0, 200)}…` : line });
        }
        return events;
    }

    /** Forgets a partial line, e.g. after `persemon resume` truncated a crashed run's last line. */
    dropPartial(): void {
        this.carry = Buffer.alloc(0);
    }
}
