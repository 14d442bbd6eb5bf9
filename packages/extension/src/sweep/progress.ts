/**
 * Where each point of a sweep stands and the sweep's progress (done, failed, running of N), from
 * sweep.json's record of each point and the state the registry derives from the point's
 * events.jsonl. The run directory is the truth where it speaks (a `done` or `error` event, a log
 * that keeps growing); sweep.json adds what it cannot say: a process that died without an error
 * event is failed only by the record (as `persemon sweep` itself decides).
 */
import type { RunState } from '../runner/state.js';
import type { SweepPointRecord } from './sweep-file.js';

export type PointState = 'pending' | 'running' | 'done' | 'failed' | 'interrupted';

export interface SweepProgress {
    total: number;
    done: number;
    failed: number;
    running: number;
    pending: number;
    interrupted: number;
}

/** `run`: the state of the point's run directory, undefined while it has no events.jsonl. */
export function pointState(record: Pick<SweepPointRecord, 'status'>, run: RunState | undefined): PointState {
    switch (run) {
        case 'done': return 'done';
        case 'failed': return 'failed';
        case 'running':
        case 'starting': return 'running';
        case 'stopped':
        case 'interrupted': return record.status === 'failed' ? 'failed' : 'interrupted';
        case undefined:
            // No log yet: the point is queued, being set up by `persemon sweep`, or failed before its first event.
            return record.status === 'failed' ? 'failed' : record.status === 'running' ? 'running' : record.status === 'done' ? 'interrupted' : record.status;
    }
}

export function sweepProgress(states: readonly PointState[]): SweepProgress {
    const progress: SweepProgress = { total: states.length, done: 0, failed: 0, running: 0, pending: 0, interrupted: 0 };
    for (const state of states) progress[state]++;
    return progress;
}

/** `2/4 done, 1 failed, 1 running`: the counts that are not zero after `done`. */
export function describeProgress(p: SweepProgress): string {
    const rest = (['failed', 'running', 'interrupted', 'pending'] as const).filter(k => p[k] > 0).map(k => `${p[k]} ${k}`);
    return [`${p.done}/${p.total} done`, ...rest].join(', ');
}

/** The sweep as one state, for its icon: running while a point runs; then failed, unfinished or done. */
export function sweepState(p: SweepProgress): 'running' | 'failed' | 'done' | 'incomplete' {
    if (p.running > 0) return 'running';
    if (p.failed > 0) return 'failed';
    return p.done === p.total ? 'done' : 'incomplete';
}
