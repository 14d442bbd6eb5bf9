/**
 * Runs a JobSpec in a run directory: the training loop with its handlers (logging, evaluation,
 * checkpoints, stop-on-NaN, stop on request), resume from the latest checkpoint, and the final
 * evaluation that writes predictions/ and report.json.
 *
 * Steps count completed iterations: the `train` event of step s reports iteration s (1-based), whose
 * learning rate is the schedule's at s - 1; a checkpoint of step s holds the state after it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatasetKind, JobSpec } from '@persemon/language';
import { selectBackend, type BackendInfo, type BackendRequest } from '../backend/select.js';
import { openDataSource } from '../data/open.js';
import { BatchSampler, type SamplerState } from '../data/sampling.js';
import type { DataSource } from '../data/source.js';
import { UserError } from '../errors.js';
import { evaluateEmotion, evaluatePersonality } from '../eval/evaluate.js';
import { emotionCsv, personalityCsv } from '../eval/predictions.js';
import { PersEmonModel } from '../model/persemon-model.js';
import { decodeWeights, encodeWeights } from '../model/weights.js';
import { FeatureCache } from '../train/feature-cache.js';
import { createOptimizer, type Optimizer } from '../train/optimizer.js';
import { learningRate } from '../train/schedule.js';
import { autoMicroBatch, trainStep, type TrainBatch } from '../train/step.js';
import { loadCheckpoint, removeStaleTemporaries, saveCheckpoint, type LoadedCheckpoint } from './checkpoint.js';
import { EventSink, type EventListener } from './event-sink.js';
import { RunLock } from './lock.js';
import { assertTrainable } from './preflight.js';
import { mergeReport, type Report, type SplitReport } from './report.js';
import { continuation, type Continuation } from './resume.js';
import { specHash, writeFileAtomic, type RunDir } from './run-dir.js';

export interface JobOptions {
    /**
     * Caps the iterations (smoke tests); the schedule keeps its own milestones. Without one, a resumed
     * run keeps the cap it was started with.
     */
    maxSteps?: number;
    /** Overrides the JobSpec's backend. */
    backend?: BackendRequest;
    listeners?: EventListener[];
    /** Set `stop` to end the run cleanly after the current step (SIGINT). */
    control?: { stop: boolean };
    /** Where aligned face crops are cached. */
    cacheDir?: string;
    /** Resume although spec.json changed since the run's previous attempt. */
    acceptSpecChange?: boolean;
}

export interface JobResult {
    step: number;
    /** 'done' when the run reached its last step, 'stopped' when asked to stop. */
    state: 'done' | 'stopped';
    report?: Report;
}

/** Everything a run holds while it trains. */
interface Session {
    dir: RunDir;
    spec: JobSpec;
    sink: EventSink;
    backend: BackendInfo;
    model: PersEmonModel;
    sources: Map<string, DataSource>;
}

export async function runJob(dir: RunDir, options: JobOptions = {}): Promise<JobResult> {
    const lock = RunLock.acquire(dir.root, 'train');
    try {
        removeStaleTemporaries([dir.root, dir.checkpointsDir, dir.predictionsDir]);
        const resumed = continuation(dir, options);
        assertTrainable(dir.spec, dir.specFile);
        const checkpoint = loadCheckpoint(dir.checkpointsDir);
        const session = await openSession(dir, options, checkpoint !== null || fs.existsSync(dir.eventsFile) ? 'resume' : 'new');
        try {
            warnRejected(session, checkpoint);
            return await train(session, options, resumed, checkpoint);
        } catch (error) {
            emitError(session, error);
            throw error;
        } finally {
            session.sink.close();
            session.model.dispose();
        }
    } finally {
        lock.release();
    }
}

/**
 * `persemon eval`: evaluates the latest checkpoint again, on one split or on the JobSpec's. It adds to
 * report.json and the log, and never ends the run: no `done` event.
 */
export async function evaluateJob(dir: RunDir, options: JobOptions & { split?: string } = {}): Promise<Report> {
    const lock = RunLock.acquire(dir.root, 'eval');
    try {
        removeStaleTemporaries([dir.root, dir.checkpointsDir, dir.predictionsDir]);
        const checkpoint = loadCheckpoint(dir.checkpointsDir);
        if (!checkpoint) throw new UserError(`${dir.root}: has no checkpoint to evaluate`);
        // Re-scoring appends its eval events even at a step the run already evaluated.
        const session = await openSession(dir, options, 'append');
        try {
            warnRejected(session, checkpoint);
            const weights = path.join(checkpoint.path, 'weights.bin');
            session.model.setWeights(decodeWeights(checkpointFile(checkpoint, 'weights.bin'), weights).tensors, weights);
            return await finalReport(session, checkpoint.step, { only: options.split, done: false });
        } finally {
            session.sink.close();
            session.model.dispose();
        }
    } finally {
        lock.release();
    }
}

async function openSession(dir: RunDir, options: JobOptions, mode: 'new' | 'resume' | 'append'): Promise<Session> {
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

/** Logs the failure; when even that fails (a full disk), the original error is what the user must see. */
function emitError(session: Session, error: unknown): void {
    try {
        session.sink.emit({ type: 'error', step: -1, message: (error as Error).message, where: 'run' });
    } catch {
        // The error is still thrown to the caller.
    }
}

/** Damaged checkpoints that were passed over for an older one. */
function warnRejected(session: Session, checkpoint: LoadedCheckpoint | null): void {
    for (const rejected of checkpoint?.rejected ?? []) {
        session.sink.emit({
            type: 'warning', step: checkpoint!.step, where: 'checkpoint',
            message: `${rejected.path}: ${rejected.problem}; continuing from ${checkpoint!.path}`
        });
    }
}

function checkpointFile(checkpoint: LoadedCheckpoint, name: string): Buffer {
    const bytes = checkpoint.files.get(name);
    if (!bytes) throw new UserError(`${path.join(checkpoint.path, name)}: missing from the checkpoint`);
    return bytes;
}

function firstOfKind(session: Session, kind: DatasetKind): DataSource | null {
    const dataset = session.spec.datasets.find(d => d.kind === kind);
    return dataset ? session.sources.get(dataset.name)! : null;
}

async function train(session: Session, options: JobOptions, resumed: Continuation, checkpoint: LoadedCheckpoint | null): Promise<JobResult> {
    const { spec, sink, model, dir } = session;
    const last = Math.min(spec.schedule.iterations, resumed.maxSteps ?? Number.POSITIVE_INFINITY);
    const network = createOptimizer(spec.optimizer, model.networkParams(), 'network/');
    const discriminator = model.discriminator ? createOptimizer(spec.optimizer, model.discriminatorParams(), 'discriminator/') : null;
    const sampler = new BatchSampler({
        personality: spec.model.pam.enabled || spec.model.ram.enabled ? firstOfKind(session, 'personality') : null,
        emotion: spec.model.eam.enabled ? firstOfKind(session, 'emotion') : null,
        sampling: spec.sampling,
        size: spec.model.fem.input,
        seed: spec.seed
    });
    let step = 0;
    if (checkpoint) step = restore(checkpoint, model, [network, discriminator], sampler);
    const microBatch = spec.sampling.microBatch === 'auto' ? autoMicroBatch(spec, session.backend.name) : spec.sampling.microBatch;
    const features = spec.model.fem.freeze ? new FeatureCache(model) : null;

    sink.emit({
        type: 'start', step, backend: session.backend.name, backend_version: session.backend.version,
        threads: session.backend.threads, seed: spec.seed, spec_hash: specHash(spec),
        resumed_from: checkpoint ? checkpoint.step : null, parameters: model.parameterCounts(),
        experiment: spec.experiment, iterations: last, max_steps: resumed.maxSteps ?? null,
        ...(resumed.specChangedFrom !== undefined ? { spec_changed_from: resumed.specChangedFrom } : {}),
        micro_batch: microBatch, backends_tried: session.backend.tried,
        ...(session.backend.tensorflow ? { tensorflow: session.backend.tensorflow, engine_source: session.backend.source, devices: session.backend.devices } : {})
    });
    emitData(session, step);

    const save = () => {
        const ref = saveCheckpoint(dir.checkpointsDir, step, {
            'weights.bin': encodeWeights(model.getWeights(), { step }),
            'optimizer.bin': encodeWeights([...network.getState(), ...(discriminator?.getState() ?? [])], { step }),
            'state.json': JSON.stringify({ step, sampler: sampler.state(), spec_hash: specHash(spec) })
        });
        sink.emit({ type: 'checkpoint', step, path: ref.path });
    };

    try {
        while (step < last) {
            const started = performance.now();
            const lr = learningRate(spec.schedule, spec.optimizer.lr, step);
            const drawn = await sampler.next();
            const batch: TrainBatch = features ? features.toFeatures(drawn, spec.sampling.segments) : {
                emotion: drawn.emotion && { images: drawn.emotion.images, labels: drawn.emotion.labels },
                personality: drawn.personality && { images: drawn.personality.images, labels: drawn.personality.labels, segments: drawn.personality.segments }
            };
            const result = trainStep(model, { network, discriminator }, batch, spec, { lr, microBatch });
            step++;
            if (result.nonFinite.length > 0) {
                const terms = result.nonFinite.map(t => `L_${t}`).join(', ');
                const message = `loss ${terms} is ${result.nonFinite.map(t => result.loss[t]).join(', ')} at step ${step}; stopping`;
                sink.emit({ type: 'error', step, message, where: `loss.${result.nonFinite[0]}` });
                throw new UserError(`${dir.root}: ${message}`);
            }
            const seconds = (performance.now() - started) / 1000;
            sink.emit({ type: 'train', step, lr, images_per_s: result.images / seconds, loss: result.loss });
            if (step % spec.evaluation.every === 0 && step < last) await evaluate(session, step);
            if (step % spec.checkpoint.every === 0 || step === last) save();
            // Let signal handlers run: the loop otherwise only awaits already-settled promises.
            await new Promise(resolve => setImmediate(resolve));
            if (options.control?.stop && step < last) {
                if (step % spec.checkpoint.every !== 0) save();
                sink.emit({ type: 'stopped', step, reason: 'stop requested' });
                return { step, state: 'stopped' };
            }
        }
    } finally {
        network.dispose();
        discriminator?.dispose();
    }
    const report = await finalReport(session, step, { done: true });
    return { step, state: 'done', report };
}

function restore(checkpoint: LoadedCheckpoint, model: PersEmonModel,
                 optimizers: Array<Optimizer | null>, sampler: BatchSampler): number {
    const stateFile = path.join(checkpoint.path, 'state.json');
    let state: { step: number; sampler: SamplerState };
    try {
        state = JSON.parse(checkpointFile(checkpoint, 'state.json').toString('utf8')) as typeof state;
    } catch (error) {
        throw error instanceof UserError ? error : new UserError(`${stateFile}: not valid JSON (${(error as Error).message})`);
    }
    const weights = path.join(checkpoint.path, 'weights.bin');
    model.setWeights(decodeWeights(checkpointFile(checkpoint, 'weights.bin'), weights).tensors, weights);
    const optimizerState = decodeWeights(checkpointFile(checkpoint, 'optimizer.bin'), path.join(checkpoint.path, 'optimizer.bin')).tensors;
    for (const optimizer of optimizers) optimizer?.setState(optimizerState);
    sampler.restore(state.sampler);
    return state.step;
}

function emitData(session: Session, step: number): void {
    for (const [name, source] of session.sources) {
        const counts = source.counts();
        session.sink.emit({
            type: 'data', step, dataset: name, items: counts.items, read: counts.read, skipped: counts.skipped,
            faces_not_found: counts.facesNotFound, reasons: counts.reasons, problems: source.problems()
        });
    }
}

/** The JobSpec's evaluation splits: `dataset.split` -> what to score there. */
function evaluationTargets(spec: JobSpec, only?: string): Array<{ dataset: string; split: string; kind: DatasetKind }> {
    const targets = [
        ...spec.evaluation.personality.map(r => ({ ...r, kind: 'personality' as const })),
        ...spec.evaluation.emotion.map(r => ({ ...r, kind: 'emotion' as const }))
    ];
    if (only === undefined) return targets;
    // `--split S` scores split S of every evaluated dataset that has it.
    const names = new Set(targets.map(t => `${t.dataset}:${t.kind}`));
    const chosen = spec.datasets.filter(d => d.splits.includes(only))
        .flatMap(d => [...names].filter(n => n.startsWith(`${d.name}:`)).map(n => ({ dataset: d.name, split: only, kind: n.split(':')[1] as DatasetKind })));
    if (chosen.length === 0) throw new UserError(`no evaluated dataset has a split '${only}' (splits: ${[...new Set(spec.datasets.flatMap(d => d.splits))].join(', ')})`);
    return chosen;
}

interface Evaluated {
    /** By split name, as report.json holds them. */
    reports: Record<string, SplitReport>;
    files: Record<string, string>;
}

async function evaluate(session: Session, step: number, only?: string): Promise<Evaluated> {
    const { spec, sink, model } = session;
    const reports: Record<string, SplitReport> = {};
    const files: Record<string, string> = {};
    for (const target of evaluationTargets(spec, only)) {
        const source = session.sources.get(target.dataset)!;
        const key = `${target.dataset}.${target.split}`;
        if (target.kind === 'personality' && (spec.model.pam.enabled || spec.model.ram.enabled)) {
            const result = await evaluatePersonality(model, source, target.split, spec);
            if (!result) continue;
            (reports[target.split] ??= { step }).personality = result.report;
            files[`${key}-personality.csv`] = personalityCsv(result.rows);
            sink.emit({ type: 'eval', step, split: target.split, dataset: target.dataset, personality: result.report });
        } else if (target.kind === 'emotion' && spec.model.eam.enabled) {
            const result = await evaluateEmotion(model, source, target.split, spec);
            if (!result) continue;
            (reports[target.split] ??= { step }).emotion = result.report;
            files[`${key}-emotion.csv`] = emotionCsv(result.rows);
            sink.emit({ type: 'eval', step, split: target.split, dataset: target.dataset, emotion: result.report });
        }
    }
    return { reports, files };
}

/**
 * The last evaluation: eval events, predictions/*.csv, report.json (merged: splits not evaluated now
 * keep their results) and, when a run ends here, the `done` event.
 */
async function finalReport(session: Session, step: number, { only, done }: { only?: string; done: boolean }): Promise<Report> {
    const { dir, spec, sink } = session;
    const { reports, files } = await evaluate(session, step, only);
    // Counts again now that frames were read: faces not found, unreadable frames.
    emitData(session, step);
    fs.mkdirSync(dir.predictionsDir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileAtomic(path.join(dir.predictionsDir, predictionFileName(name, spec)), text);
    const report: Report = { experiment: spec.experiment, step, backend: session.backend.name, splits: reports };
    mergeReport(dir.reportFile, report);
    if (done) sink.emit({ type: 'done', step, report: dir.reportFile });
    return report;
}

/**
 * predictions/<split>-personality.csv as DESIGN.md names them; when two evaluated datasets share a
 * split name the dataset prefixes the file (`<dataset>.<split>-…`) so neither overwrites the other.
 */
function predictionFileName(key: string, spec: JobSpec): string {
    const [dataset, rest] = [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)];
    const split = rest.slice(0, rest.lastIndexOf('-'));
    const kind = rest.slice(rest.lastIndexOf('-') + 1).replace('.csv', '') as DatasetKind;
    const refs = kind === 'personality' ? spec.evaluation.personality : spec.evaluation.emotion;
    const shared = refs.filter(r => r.split === split).length > 1;
    return shared ? `${dataset}.${split}-${kind}.csv` : `${split}-${kind}.csv`;
}
