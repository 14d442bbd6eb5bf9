/**
 * The run's events.jsonl (a contract: README.md, "The CLI"): append-only, one JSON object a line, each with
 * "type", "time" (ISO 8601) and "step". The editor, the CLI and outside scripts read only this.
 */
import * as fs from 'node:fs';
import { asUserError, UserError } from '../errors.js';
import type { EmotionReport, PersonalityReport } from '../eval/report.js';

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
    /** The step this attempt trains to: the schedule's iterations, or fewer under --max-steps. */
    iterations: number;
    /** --max-steps as given to `run` (or a later `resume`); a resume without one keeps it. */
    max_steps: number | null;
    /**
     * The `--set PATH=VALUE` settings the run was started with, already applied in spec.json (a resumed
     * run keeps those of its first attempt); empty when none.
     */
    overrides: Array<{ path: string; value: unknown }>;
    /** Set when `resume --accept-spec-change` continued under an edited spec.json: the hash it replaced. */
    spec_changed_from?: string;
    micro_batch: number;
    backends_tried: Array<{ name: string; ok: boolean; reason?: string }>;
    /** The persemon that ran it: the runtime's version and folder (a checkout, a global install, an extension's copy). */
    runtime: { version: string; dir: string };
    /** Native engines: TensorFlow's version, where the engine came from, and its devices (GPUs by name). */
    tensorflow?: string;
    engine_source?: string;
    devices?: string[];
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

/** Something the run worked around and a user should know (a damaged checkpoint skipped). */
export interface WarningEvent extends Base {
    type: 'warning';
    message: string;
    where: string;
}

export type RunEvent = StartEvent | TrainEvent | EvalEvent | CheckpointEvent | DataEvent | DoneEvent | ErrorEvent | StopEvent | WarningEvent;

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
    const text = readLog(file);
    // The last piece is '' after a final newline, or a partial line: either way not an event.
    const complete = text.split('\n').slice(0, -1);
    const events: RunEvent[] = [];
    complete.forEach((line, i) => {
        if (line.trim() === '') return;
        try {
            events.push(JSON.parse(line) as RunEvent);
        } catch {
            throw new UserError(`${file}:${i + 1}: not a JSON event`);
        }
    });
    return events;
}

/** Drops a partial last line left by a crash, so appended events start on a line of their own. */
export function repairEventLog(file: string): void {
    if (!fs.existsSync(file)) return;
    const text = readLog(file);
    if (text === '' || text.endsWith('\n')) return;
    fs.truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
}

/** The log's text; a failed read names the log (fs gives no path for a failed read(2), such as EISDIR). */
function readLog(file: string): string {
    try {
        return fs.readFileSync(file, 'utf8');
    } catch (error) {
        throw asUserError(error, file);
    }
}
