/**
 * The messages between the metrics panel and its page (media/src/metrics.ts): one union each way,
 * imported by both sides so a change breaks the build, not the panel.
 */
import type { EvalEvent } from '../runner/events.js';
import type { RunState } from '../runner/state.js';
import type { TrainChunk } from './columns.js';

export interface RunInfo {
    /** The run directory: the run's identity. */
    id: string;
    label: string;
    experiment: string;
    state: RunState;
    backend?: string;
    backendVersion?: string;
    threads?: number;
    iterations?: number;
    step: number;
    imagesPerS?: number;
}

export type HostMessage =
    /** The runs shown changed: the page drops what it had. */
    | { type: 'reset'; runs: RunInfo[]; smoothing: number }
    /** New rows of one run (the whole history after a reset). */
    | { type: 'append'; run: string; train: TrainChunk; evals: EvalEvent[] }
    | { type: 'info'; run: RunInfo }
    | { type: 'exported'; file: string };

export type PageMessage =
    | { type: 'ready' }
    | { type: 'exportPng'; chart: string; dataUrl: string }
    | { type: 'openFolder'; run: string };

/** What the page keeps with setState, and the serializer gets back after a reload. */
export interface PanelState {
    runs: string[];
    smoothing?: number;
    predictor?: 'pam' | 'ram' | 'fused';
}
