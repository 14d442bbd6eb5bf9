/**
 * The learning rate of iteration `step` (0-based: the first update is step 0).
 *
 * - step: lr·gamma^n, n the number of milestones ≤ step (Caffe's "multistep": at iteration 32000 the
 *   paper's rate is already 0.001).
 * - cosine: minLr + (lr − minLr)·(1 + cos(π·step / iterations)) / 2, reaching minLr at `iterations`
 *   and staying there.
 * - constant: lr.
 * Warm-up multiplies the above by step / warmup while step < warmup: linear from 0, reaching the
 * schedule's own rate at step = warmup (the convention of Hugging Face's warm-up schedules).
 */
import type { ScheduleSpec } from '@persemon/language';

export function learningRate(schedule: ScheduleSpec, baseLr: number, step: number): number {
    let lr: number;
    switch (schedule.kind) {
        case 'step':
            lr = baseLr * schedule.gamma ** schedule.milestones.filter((m) => step >= m).length;
            break;
        case 'cosine': {
            const progress = Math.min(step / schedule.iterations, 1);
            lr = schedule.minLr + (baseLr - schedule.minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
            break;
        }
        case 'constant':
            lr = baseLr;
            break;
    }
    return step < schedule.warmup ? (lr * step) / schedule.warmup : lr;
}
