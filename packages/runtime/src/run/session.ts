/**
 * What `run`, `resume` and `eval` open before any work: the event sink, the backend, the data
 * sources and the model; and the events every one of them logs about those (data counts, damaged
 * checkpoints passed over, the error that ended it).
 */
import type { DatasetKind, JobSpec } from '@persemon/language';
import { selectBackend, type BackendInfo, type BackendRequest } from '../backend/select.js';
import { openDataSource } from '../data/open.js';
import type { DataSource } from '../data/source.js';
import { PersEmonModel } from '../model/persemon-model.js';
import type { LoadedCheckpoint } from './checkpoint.js';
import { EventSink, type EventListener } from './event-sink.js';
import type { RunDir } from './run-dir.js';

export interface Session {
    dir: RunDir;
    spec: JobSpec;
    sink: EventSink;
    backend: BackendInfo;
    model: PersEmonModel;
    /** By dataset name. */
    sources: Map<string, DataSource>;
}

export interface SessionOptions {
    backend?: BackendRequest;
    listeners?: EventListener[];
    cacheDir?: string;
}

export async function openSession(dir: RunDir, options: SessionOptions, mode: 'new' | 'resume' | 'append'): Promise<Session> {
    const spec = dir.spec;
    const sink = new EventSink(dir.eventsFile, mode);
    try {
        for (const listener of options.listeners ?? []) sink.listen(listener);
        const backend = await selectBackend(options.backend ?? spec.backend);
        const sources = new Map<string, DataSource>();
        for (const dataset of spec.datasets) {
            sources.set(dataset.name, await openDataSource(dataset, { seed: spec.seed, cacheDir: options.cacheDir }));
        }
        const model = await PersEmonModel.create(spec);
        return { dir, spec, sink, backend, model, sources };
    } catch (error) {
        sink.close();
        throw error;
    }
}

export function closeSession(session: Session): void {
    session.sink.close();
    session.model.dispose();
}

/** The source of the JobSpec's first dataset of `kind`, the one training samples from. */
export function firstOfKind(session: Session, kind: DatasetKind): DataSource | null {
    const dataset = session.spec.datasets.find(d => d.kind === kind);
    return dataset ? session.sources.get(dataset.name)! : null;
}

/** Logs the failure; when even that fails (a full disk), the original error is what the user must see. */
export function emitError(session: Session, error: unknown): void {
    try {
        session.sink.emit({ type: 'error', step: -1, message: (error as Error).message, where: 'run' });
    } catch {
        // The error is still thrown to the caller.
    }
}

/** Damaged checkpoints that were passed over for an older one. */
export function warnRejected(session: Session, checkpoint: LoadedCheckpoint | null): void {
    for (const rejected of checkpoint?.rejected ?? []) {
        session.sink.emit({
            type: 'warning', step: checkpoint!.step, where: 'checkpoint',
            message: `${rejected.path}: ${rejected.problem}; continuing from ${checkpoint!.path}`
        });
    }
}

/** One `data` event per dataset: items read, skipped, faces not found, with the reasons. */
export function emitData(session: Session, step: number): void {
    for (const [name, source] of session.sources) {
        const counts = source.counts();
        session.sink.emit({
            type: 'data', step, dataset: name, items: counts.items, read: counts.read, skipped: counts.skipped,
            faces_not_found: counts.facesNotFound, reasons: counts.reasons, problems: source.problems()
        });
    }
}
