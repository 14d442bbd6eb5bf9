/**
 * The training engine of a run: each iteration draws a batch, (with FEM frozen) swaps its frames for
 * cached features, and makes one alternating update at the schedule's learning rate.
 *
 * Steps count completed iterations: iteration s (1-based) trains at the schedule's rate for s - 1,
 * and the run state after it has step s.
 */
import type { JobSpec } from '@persemon/language';
import { FeatureCache } from '../train/feature-cache.js';
import { learningRate } from '../train/schedule.js';
import { trainStep, type StepResult, type TrainBatch } from '../train/step.js';
import { Engine } from './engine.js';
import type { RunState } from './run-state.js';

export interface TrainOutput extends StepResult {
    /** The learning rate of the iteration. */
    lr: number;
}

export type Trainer = Engine<TrainOutput>;

export function createTrainer(state: RunState, spec: JobSpec, { last, microBatch }: { last: number; microBatch: number }): Trainer {
    const features = spec.model.fem.freeze ? new FeatureCache(state.model) : null;
    return new Engine<TrainOutput>(async () => {
        const lr = learningRate(spec.schedule, spec.optimizer.lr, state.step);
        const drawn = await state.sampler.next();
        const batch: TrainBatch = features ? features.toFeatures(drawn, spec.sampling.segments) : {
            emotion: drawn.emotion && { images: drawn.emotion.images, labels: drawn.emotion.labels },
            personality: drawn.personality && { images: drawn.personality.images, labels: drawn.personality.labels, segments: drawn.personality.segments }
        };
        const result = trainStep(state.model, state.optimizers, batch, spec, { lr, microBatch });
        state.step++;
        return { ...result, lr };
    }, { from: state.step, last });
}
