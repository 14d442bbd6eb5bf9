/**
 * Every output of a run goes through one sink: events.jsonl first (the single source of truth),
 * then the listeners (terminal progress, tests). A resumed run replays the steps after its checkpoint;
 * the sink drops the events the killed run had already logged, so no step is logged twice.
 */
import { EventLog, readEvents, repairEventLog, type NewEvent, type RunEvent } from './events.js';

export type EventListener = (event: RunEvent) => void;

const REPLAYED: ReadonlySet<RunEvent['type']> = new Set(['train', 'eval', 'checkpoint']);

export class EventSink {
    private readonly log: EventLog;
    private readonly listeners: EventListener[] = [];
    /** Last step already in the log per event type, from a previous process. */
    private readonly logged = new Map<string, number>();

    /**
     * `resume` replays training from a checkpoint and drops what was logged already; `append` (a
     * later `persemon eval`) adds new events to an existing log whatever their step.
     */
    constructor(file: string, mode: 'new' | 'resume' | 'append') {
        if (mode !== 'new') repairEventLog(file);
        if (mode === 'resume') {
            for (const e of readEvents(file)) {
                if (REPLAYED.has(e.type)) this.logged.set(keyOf(e), Math.max(this.logged.get(keyOf(e)) ?? -1, e.step));
            }
        }
        this.log = new EventLog(file);
    }

    listen(listener: EventListener): void {
        this.listeners.push(listener);
    }

    emit(event: NewEvent): void {
        if (REPLAYED.has(event.type) && event.step <= (this.logged.get(keyOf(event)) ?? -1)) return;
        const stamped = this.log.append(event);
        for (const listener of this.listeners) listener(stamped);
    }

    close(): void {
        this.log.close();
    }
}

/** Eval events are per split, so a replayed step's eval on one split is not confused with another's. */
function keyOf(e: { type: string; split?: string; dataset?: string }): string {
    return e.type === 'eval' ? `eval:${e.dataset ?? ''}.${e.split ?? ''}` : e.type;
}
