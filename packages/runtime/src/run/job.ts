/**
 * `run`, `resume` and `eval` of a run directory, as wiring: open the session, build the run state
 * (loaded whole from the latest checkpoint on resume), and attach to the training engine the
 * handlers that make a run: the event log, stop-on-NaN, periodic evaluation, checkpoints, stop on
 * request, and the final evaluation that writes predictions/ and report.json.
 */
import * as fs from 'node:fs';
import type { BackendRequest } from '../backend/select.js';
import { BatchSampler } from '../data/sampling.js';
import { UserError } from '../errors.js';
import { autoMicroBatch } from '../train/micro-batch.js';
import { createOptimizer } from '../train/optimizer.js';
import { loadCheckpoint, removeStaleTemporaries, type LoadedCheckpoint } from './checkpoint.js';
import type { EventListener } from './event-sink.js';
import { evaluate, finalReport } from './evaluation.js';
import { Checkpointer } from './handlers/checkpointer.js';
import { logStart, logTrain } from './handlers/event-log.js';
import { stopOnNan } from './handlers/stop-on-nan.js';
import { stopOnSignal } from './handlers/stop-on-signal.js';
import { RunLock } from './lock.js';
import { assertTrainable } from './preflight.js';
import type { Report } from './report.js';
import { continuation, type Continuation } from './resume.js';
import { specHash, type RunDir } from './run-dir.js';
import { loadWeights, RunState } from './run-state.js';
import { closeSession, emitError, firstOfKind, openSession, warnRejected, type Session } from './session.js';
import { createTrainer, type Trainer } from './trainer.js';

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
    /** The `--set` settings already applied to spec.json, for the start event to record. */
    overrides?: Array<{ path: string; value: unknown }>;
    /** Resume although spec.json changed since the run's previous attempt. */
    acceptSpecChange?: boolean;
    /** Attaches more handlers to the training engine (a sweep's, an analysis's), after the run's own. */
    attach?: (trainer: Trainer) => void;
}

export interface JobResult {
    step: number;
    /** 'done' when the run reached its last step, 'stopped' when asked to stop. */
    state: 'done' | 'stopped';
    report?: Report;
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
            closeSession(session);
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
            loadWeights(session.model, checkpoint);
            return await finalReport(session, checkpoint.step, { only: options.split, done: false });
        } finally {
            closeSession(session);
        }
    } finally {
        lock.release();
    }
}

async function train(session: Session, options: JobOptions, resumed: Continuation, checkpoint: LoadedCheckpoint | null): Promise<JobResult> {
    const { spec, sink, model, dir } = session;
    const last = Math.min(spec.schedule.iterations, resumed.maxSteps ?? Number.POSITIVE_INFINITY);
    const state = new RunState(model, {
        network: createOptimizer(spec.optimizer, model.networkParams(), 'network/'),
        discriminator: model.discriminator ? createOptimizer(spec.optimizer, model.discriminatorParams(), 'discriminator/') : null
    }, new BatchSampler({
        personality: spec.model.pam.enabled || spec.model.ram.enabled ? firstOfKind(session, 'personality') : null,
        emotion: spec.model.eam.enabled ? firstOfKind(session, 'emotion') : null,
        sampling: spec.sampling,
        size: spec.model.fem.input,
        seed: spec.seed
    }), specHash(spec));
    try {
        if (checkpoint) state.load(checkpoint);
        const microBatch = spec.sampling.microBatch === 'auto' ? autoMicroBatch(spec, session.backend.name) : spec.sampling.microBatch;
        const trainer = createTrainer(state, spec, { last, microBatch });
        const checkpointer = new Checkpointer(state, dir.checkpointsDir, sink);
        let report: Report | undefined;

        trainer.on('started', logStart(session, { resumedFrom: checkpoint?.step ?? null, last, resumed, microBatch }));
        trainer.on('iterationCompleted', stopOnNan(sink, dir.root));
        trainer.on('iterationCompleted', logTrain(sink));
        // The last step is evaluated by the final report.
        trainer.on('iterationCompleted', async e => { await evaluate(session, e.state.iteration); }, { every: spec.evaluation.every, before: last });
        trainer.on('iterationCompleted', () => checkpointer.save(), { every: spec.checkpoint.every });
        trainer.on('iterationCompleted', () => checkpointer.save(), { once: last });
        if (options.control) trainer.on('iterationCompleted', stopOnSignal(options.control, checkpointer, sink));
        trainer.on('completed', async e => { report = await finalReport(session, e.state.iteration, { done: true }); });
        options.attach?.(trainer);

        const end = await trainer.run();
        return end === 'completed' ? { step: state.step, state: 'done', report } : { step: state.step, state: 'stopped' };
    } finally {
        state.dispose();
    }
}
