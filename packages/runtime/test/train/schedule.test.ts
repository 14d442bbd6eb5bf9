import assert from 'node:assert/strict';
import type { ScheduleSpec } from '@persemon/language';
import { learningRate } from '../../src/train/schedule.js';

const base: ScheduleSpec = { kind: 'step', iterations: 56000, milestones: [32000, 48000], gamma: 0.1, warmup: 0, minLr: 0 };
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${a} != ${b}`);

describe('learning-rate schedules', () => {
    it('step: multiplies by gamma at each milestone reached (the paper: 0.01, 0.001 at 32k, 0.0001 at 48k)', () => {
        near(learningRate(base, 0.01, 0), 0.01);
        near(learningRate(base, 0.01, 31999), 0.01);
        near(learningRate(base, 0.01, 32000), 0.001);
        near(learningRate(base, 0.01, 47999), 0.001);
        near(learningRate(base, 0.01, 48000), 0.0001);
        near(learningRate(base, 0.01, 55999), 0.0001);
    });

    it('cosine: from lr to minLr over the iterations', () => {
        const cosine: ScheduleSpec = { ...base, kind: 'cosine', iterations: 100, minLr: 0.001 };
        near(learningRate(cosine, 0.1, 0), 0.1);
        // Half way: 0.001 + 0.099·0.5·(1 + cos(π/2)) = 0.0505; a quarter: 0.001 + 0.099·0.5·(1 + √2/2) = 0.08550003.
        near(learningRate(cosine, 0.1, 50), 0.0505);
        near(learningRate(cosine, 0.1, 25), 0.001 + 0.099 * 0.5 * (1 + Math.SQRT1_2));
        near(learningRate(cosine, 0.1, 100), 0.001);
        near(learningRate(cosine, 0.1, 150), 0.001);
    });

    it('constant, and a linear warm-up from 0', () => {
        const constant: ScheduleSpec = { ...base, kind: 'constant', warmup: 4 };
        // Steps 0-3 of 4 warm-up steps: 0, 0.25, 0.5, 0.75 of 0.02; then 0.02.
        [0, 0.005, 0.01, 0.015, 0.02, 0.02].forEach((lr, i) => near(learningRate(constant, 0.02, [0, 1, 2, 3, 4, 9][i]), lr));
        // Warm-up scales the step schedule's own rate: milestone 2 passed at step 3 -> 0.1·0.02·3/4.
        near(learningRate({ ...base, milestones: [2], warmup: 4 }, 0.02, 3), 0.0015);
    });
});
