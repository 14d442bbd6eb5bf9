/**
 * The run's own events from the engine: `start` (with the `data` counts of each dataset) when it
 * starts, and the `train` event of each iteration: its learning rate, speed and loss terms.
 */
import type { Handler } from '../engine.js';
import type { EventSink } from '../event-sink.js';
import type { Continuation } from '../resume.js';
import { specHash } from '../run-dir.js';
import { runtimePackage } from '../../util/runtime-package.js';
import { emitData, type Session } from '../session.js';
import type { TrainOutput } from '../trainer.js';

export interface StartInfo {
    /** The checkpoint's step a resumed run continues from. */
    resumedFrom: number | null;
    /** The step this attempt trains to. */
    last: number;
    resumed: Continuation;
    microBatch: number;
}

export function logStart<Output>(session: Session, { resumedFrom, last, resumed, microBatch }: StartInfo): Handler<Output> {
    return ({ state: { iteration: step } }) => {
        const { spec, backend, model } = session;
        session.sink.emit({
            type: 'start', step, backend: backend.name, backend_version: backend.version,
            threads: backend.threads, seed: spec.seed, spec_hash: specHash(spec),
            resumed_from: resumedFrom, parameters: model.parameterCounts(),
            experiment: spec.experiment, iterations: last, max_steps: resumed.maxSteps ?? null, overrides: resumed.overrides,
            ...(resumed.specChangedFrom !== undefined ? { spec_changed_from: resumed.specChangedFrom } : {}),
            micro_batch: microBatch, backends_tried: backend.tried, runtime: runtimePackage(),
            ...(backend.tensorflow ? { tensorflow: backend.tensorflow, engine_source: backend.source, devices: backend.devices } : {})
        });
        emitData(session, step);
    };
}

export function logTrain(sink: EventSink): Handler<TrainOutput> {
    return ({ state: { iteration, output, seconds } }) => {
        if (!output) return;
        sink.emit({ type: 'train', step: iteration, lr: output.lr, images_per_s: output.images / seconds, loss: output.loss });
    };
}
