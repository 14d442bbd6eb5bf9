/**
 * What a run directory's events say about the run: folded one event at a time, so following a
 * live run costs nothing per event, and turned into a state for the tree and the status bar.
 */
import type { Predictor } from '@persemon/runtime/events';
import type { EvalEvent, LossTerms, RunEvent, StartEvent } from './events.js';

export type RunState = 'starting' | 'running' | 'done' | 'failed' | 'stopped' | 'interrupted';

export interface RunSummary {
    experiment?: string;
    start?: StartEvent;
    /** How many times the run was resumed (start events after the first). */
    resumes: number;
    step: number;
    iterations?: number;
    loss?: LossTerms;
    lr?: number;
    imagesPerS?: number;
    /** The latest eval event of each evaluated split, by evalKey. */
    evals: Record<string, EvalEvent>;
    lastCheckpoint?: number;
    /** The terminal event of the latest attempt, if it ended. */
    end?: { type: 'done' | 'error' | 'stopped'; message?: string; where?: string; report?: string };
    /** ISO time of the newest event. */
    updated?: string;
}

export function emptySummary(): RunSummary {
    return { resumes: 0, step: 0, evals: {} };
}

/** Folds events into the summary in place and returns it. */
export function foldEvents(summary: RunSummary, events: readonly RunEvent[]): RunSummary {
    for (const event of events) {
        summary.updated = event.time;
        summary.step = Math.max(summary.step, event.step);
        switch (event.type) {
            case 'start':
                if (summary.start) summary.resumes++;
                summary.start = event;
                summary.experiment = event.experiment ?? summary.experiment;
                summary.iterations = event.iterations ?? summary.iterations;
                summary.end = undefined;
                break;
            case 'train':
                summary.loss = event.loss;
                summary.lr = event.lr;
                summary.imagesPerS = event.images_per_s;
                break;
            case 'eval':
                summary.evals[evalKey(event)] = event;
                break;
            case 'checkpoint':
                summary.lastCheckpoint = event.step;
                break;
            case 'done':
                summary.end = { type: 'done', report: event.report };
                break;
            case 'error':
                summary.end = { type: 'error', message: event.message, where: event.where };
                break;
            case 'stopped':
                summary.end = { type: 'stopped', message: event.reason };
                break;
        }
    }
    return summary;
}

export interface Liveness {
    /** True while a process this editor started for the run is alive. */
    ownProcess: boolean;
    /** ms since the epoch of the last write to events.jsonl (0 if unknown). */
    lastWrite: number;
    now: number;
}

/**
 * A run without a terminal event is running while its log keeps growing (a run started from a
 * terminal has no process we know of); silent for longer than this, it was killed.
 */
export const STALE_MS = 10 * 60 * 1000;

export function runState(summary: RunSummary, live: Liveness): RunState {
    if (summary.end?.type === 'done') return 'done';
    if (summary.end?.type === 'error') return 'failed';
    if (summary.end?.type === 'stopped') return 'stopped';
    const fresh = live.ownProcess || live.now - live.lastWrite < STALE_MS;
    if (!summary.start) return fresh ? 'starting' : 'interrupted';
    return fresh ? 'running' : 'interrupted';
}

/** `personas.test`: one run evaluates the same split name of several datasets, in separate events. */
export function evalKey(evaluation: EvalEvent): string {
    return evaluation.dataset ? `${evaluation.dataset}.${evaluation.split}` : evaluation.split;
}

/** The predictor a one-line summary quotes: the fused one when the run has it. */
export function headlinePredictor(evaluation: EvalEvent): Predictor | undefined {
    const p = evaluation.personality;
    return p?.fused ? 'fused' : p?.pam ? 'pam' : p?.ram ? 'ram' : undefined;
}
