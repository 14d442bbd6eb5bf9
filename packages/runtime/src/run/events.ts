/**
 * The run's events.jsonl (a DESIGN.md contract): append-only, one JSON object a line, each with
 * "type", "time" (ISO 8601) and "step". The editor, the CLI and outside scripts read only this.
 */
import * as fs from 'node:fs';
import type { EmotionScores, PersonalityScores } from '../eval/metrics.js';

/** Keyed by predictor: pam, ram, fused, and `floor`: a constant predictor of the training mean. */
export type PersonalityReport = Partial<Record<'pam' | 'ram' | 'fused' | 'floor', PersonalityScores>>;

export interface EmotionReport {
    mse: EmotionScores;
    /** The constant-mean floor's MSE. */
    floor?: EmotionScores;
}

export interface LossTerms {
    total: number;
    per: number;
    emo: number;
    d: number;
    adv: number;
    ram: number;
}

interface Base {
    time: string;
    step: number;
}

export interface StartEvent extends Base {
    type: 'start';
    backend: string;
    backend_version: string;
    threads: number;
    seed: number;
    spec_hash: string;
    resumed_from: number | null;
    parameters: { fem: number; pam: number; eam: number; ram: number; coherence: number; total: number };
    experiment: string;
    iterations: number;
    micro_batch: number;
    backends_tried: Array<{ name: string; ok: boolean; reason?: string }>;
}

export interface TrainEvent extends Base {
    type: 'train';
    lr: number;
    images_per_s: number;
    loss: LossTerms;
}

export interface EvalEvent extends Base {
    type: 'eval';
    split: string;
    dataset?: string;
    personality?: PersonalityReport;
    emotion?: EmotionReport;
}

export interface CheckpointEvent extends Base {
    type: 'checkpoint';
    path: string;
}

export interface DataEvent extends Base {
    type: 'data';
    dataset: string;
    items: number;
    read: number;
    skipped: number;
    faces_not_found: number;
    reasons: Record<string, number>;
    problems: Array<{ file: string; problem: string }>;
}

export interface DoneEvent extends Base {
    type: 'done';
    report: string;
}

export interface ErrorEvent extends Base {
    type: 'error';
    message: string;
    where: string;
}

export interface StopEvent extends Base {
    type: 'stopped';
    reason: string;
}

export type RunEvent = StartEvent | TrainEvent | EvalEvent | CheckpointEvent | DataEvent | DoneEvent | ErrorEvent | StopEvent;

/** An event as a caller builds it: the log stamps the time. */
export type NewEvent = RunEvent extends infer E ? E extends RunEvent ? Omit<E, 'time'> : never : never;

/**
 * Appends events with one write(2) per line on an O_APPEND descriptor, so a killed process leaves
 * whole lines behind.
 */
export class EventLog {
    private readonly fd: number;

    constructor(readonly file: string) {
        this.fd = fs.openSync(file, 'a');
    }

    append(event: NewEvent): RunEvent {
        // type first, then time, for readers that scan lines by eye.
        const { type, ...rest } = event;
        const stamped = { type, time: new Date().toISOString(), ...rest } as RunEvent;
        fs.writeSync(this.fd, JSON.stringify(stamped) + '\n');
        return stamped;
    }

    close(): void {
        fs.closeSync(this.fd);
    }
}

/** Reads events.jsonl; a trailing partial line (a crash mid-write) is ignored, a bad line elsewhere is an error. */
export function readEvents(file: string): RunEvent[] {
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const complete = text.endsWith('\n') ? lines.slice(0, -1) : lines.slice(0, -1);
    return complete.filter(l => l.trim() !== '').map((line, i) => {
        try {
            return JSON.parse(line) as RunEvent;
        } catch {
            throw new Error(`${file}:${i + 1}: not a JSON event`);
        }
    });
}

/** Drops a partial last line left by a crash, so appended events start on a line of their own. */
export function repairEventLog(file: string): void {
    if (!fs.existsSync(file)) return;
    const text = fs.readFileSync(file, 'utf8');
    if (text === '' || text.endsWith('\n')) return;
    fs.truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
}
