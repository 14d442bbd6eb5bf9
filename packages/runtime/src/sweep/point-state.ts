/**
 * Where a point stands, read from its run directory: not started, finished (a `done` event), failed
 * (an `error` event after its last start) or interrupted (started, neither). A process that died
 * without an error event is known as failed only from sweep.json's record of how it ended.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readEvents, type RunEvent } from '../run/events.js';
import type { PointRecord, PointStatus } from './sweep-dir.js';

export interface ObservedPoint {
    status: Exclude<PointStatus, 'running'> | 'started';
    /** The last error event's message, when the run logged one. */
    error?: string;
    /** The last logged step. */
    step?: number;
}

export function observePoint(runDir: string): ObservedPoint {
    if (!fs.existsSync(path.join(runDir, 'spec.json'))) return { status: 'pending' };
    const eventsFile = path.join(runDir, 'events.jsonl');
    if (!fs.existsSync(eventsFile)) return { status: 'started' };
    let events: RunEvent[];
    try {
        events = readEvents(eventsFile);
    } catch {
        return { status: 'started' };
    }
    const lastStart = events.map(e => e.type).lastIndexOf('start');
    const since = events.slice(Math.max(0, lastStart));
    const step = events.at(-1)?.step;
    if (since.some(e => e.type === 'done')) return { status: 'done', step };
    const error = since.filter(e => e.type === 'error').at(-1);
    if (error && error.type === 'error') return { status: 'failed', error: error.message, step };
    return { status: 'started', step };
}

/**
 * A point's status when no process of this sweep runs it: the run directory's word, unless it only
 * says "started" and the record says the last attempt failed.
 */
export function settledStatus(record: PointRecord, observed: ObservedPoint): Exclude<PointStatus, 'running'> {
    if (observed.status === 'done' || observed.status === 'failed') return observed.status;
    if (record.status === 'failed') return 'failed';
    return observed.status === 'pending' ? 'pending' : 'interrupted';
}
