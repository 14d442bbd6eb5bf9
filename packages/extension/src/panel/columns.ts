/**
 * Train events as columns of numbers: what the panel plots. Typed arrays cross the webview boundary
 * as binary buffers instead of JSON, which is what keeps a 100,000-step run quick to open.
 */
import { LOGGED_LOSS_TERMS } from '@persemon/runtime/events';
import type { EvalEvent, RunEvent, TrainEvent } from '../runner/events.js';

export const COLUMNS = ['step', 'lr', 'images_per_s', ...LOGGED_LOSS_TERMS] as const;
export type Column = (typeof COLUMNS)[number];

/** Rows of train events, one array per column, all of the same length. */
export type TrainChunk = Record<Column, Float64Array | Float32Array>;

/** A growing table of train rows (capacity doubles), read through views of its filled part. */
export class TrainColumns {
    length = 0;
    private data = allocate(1024);

    view(column: Column): Float64Array {
        return this.data[column].subarray(0, this.length);
    }

    /**
     * A copy of every row, ready to post, in single precision: half the bytes to move, and exact
     * for steps below 2^24 and ample for plotting; the host keeps the doubles.
     */
    chunk(): TrainChunk {
        return Object.fromEntries(COLUMNS.map(c => [c, Float32Array.from(this.view(c))])) as TrainChunk;
    }

    append(chunk: TrainChunk): void {
        const n = chunk.step.length;
        this.reserve(this.length + n);
        for (const c of COLUMNS) this.data[c].set(chunk[c], this.length);
        this.length += n;
    }

    private reserve(size: number): void {
        if (size <= this.data.step.length) return;
        const grown = allocate(Math.max(size, 2 * this.data.step.length));
        for (const c of COLUMNS) grown[c].set(this.view(c));
        this.data = grown;
    }
}

function allocate(capacity: number): Record<Column, Float64Array> {
    return Object.fromEntries(COLUMNS.map(c => [c, new Float64Array(capacity)])) as Record<Column, Float64Array>;
}

function trainChunk(events: readonly TrainEvent[]): TrainChunk {
    const chunk = allocate(events.length);
    events.forEach((event, i) => {
        chunk.step[i] = event.step;
        chunk.lr[i] = event.lr;
        chunk.images_per_s[i] = event.images_per_s;
        for (const term of LOGGED_LOSS_TERMS) chunk[term][i] = event.loss?.[term] ?? 0;
    });
    return chunk;
}

/** Splits a batch of events into train rows and eval events. */
export function shapeEvents(events: readonly RunEvent[]): { train: TrainChunk; evals: EvalEvent[] } {
    const train: TrainEvent[] = [];
    const evals: EvalEvent[] = [];
    for (const event of events) {
        if (event.type === 'train') train.push(event);
        else if (event.type === 'eval') evals.push(event);
    }
    return { train: trainChunk(train), evals };
}
