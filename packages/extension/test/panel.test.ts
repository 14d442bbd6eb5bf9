import * as assert from 'node:assert/strict';
import type { RunEvent } from '../src/runner/events.js';
import { shapeEvents, TrainColumns } from '../src/panel/columns.js';
import { minMaxBuckets, niceTicks, smooth } from '../src/panel/downsample.js';
import { finalTable, latestBySplit } from '../src/panel/table.js';

const time = 't';
const train = (step: number, total: number): RunEvent => ({ type: 'train', time, step, lr: 0.01, images_per_s: 80, loss: { total, per: total / 2, emo: 0.1, d: 0, adv: 0, ram: 0.2 } });
const scores = (values: number[]) => ({
    extraversion: values[0], agreeableness: values[1], conscientiousness: values[2], neuroticism: values[3], openness: values[4],
    mean: values.reduce((a, b) => a + b) / 5
});

describe('chart data shaping', () => {
    it('turns train events into columns and keeps eval events', () => {
        const shaped = shapeEvents([train(1, 2), { type: 'checkpoint', time, step: 1, path: 'c' }, train(2, 1),
            { type: 'eval', time, step: 2, split: 'test', emotion: { mse: { arousal: 1, valence: 2, mean: 1.5 } } }]);
        assert.deepEqual([...shaped.train.step], [1, 2]);
        assert.deepEqual([...shaped.train.total], [2, 1]);
        assert.deepEqual([...shaped.train.per], [1, 0.5]);
        assert.deepEqual([...shaped.train.ram], [0.2, 0.2]);
        assert.equal(shaped.evals.length, 1);
    });

    it('grows a column table past its capacity without losing rows', () => {
        const table = new TrainColumns();
        for (let start = 1; start <= 3000; start += 1000) {
            table.append(shapeEvents(Array.from({ length: 1000 }, (_, i) => train(start + i, 1 / (start + i)))).train);
        }
        assert.equal(table.length, 3000);
        assert.equal(table.view('step')[2999], 3000);
        assert.equal(table.view('total')[0], 1);
        const copy = table.chunk();
        assert.equal(copy.lr.length, 3000);
        copy.step[0] = -1;
        assert.equal(table.view('step')[0], 1, 'a chunk is a copy');
    });

    it('smooths with a debiased moving average (first value kept, then worked by hand)', () => {
        // weight 0.5: debiased EMA of [4, 0, 2] is 4, (0.5*4*0.5+0)/(0.75)=... worked: s1=2/0.5=4, s2=(1+0)/0.75=1.333, s3=(0.5+1)/0.875=1.714
        const out = smooth([4, 0, 2], 0.5);
        assert.equal(out[0], 4);
        assert.ok(Math.abs(out[1] - 4 / 3) < 1e-12);
        assert.ok(Math.abs(out[2] - 1.5 / 0.875) < 1e-12);
        assert.deepEqual(smooth([1, 2], 0), [1, 2]);
        assert.deepEqual(smooth([1, NaN, 3], 0.5).map(v => Number.isNaN(v) ? 'nan' : v.toFixed(4)), ['1.0000', 'nan', '2.3333']);
    });

    it('downsamples 100,000 points to at most two per bucket, keeping spikes and ends', () => {
        const n = 100_000;
        const xs = Array.from({ length: n }, (_, i) => i + 1);
        const ys = xs.map(x => Math.sin(x / 100));
        ys[54_321] = 50;
        ys[77_777] = -50;
        const d = minMaxBuckets(xs, ys, 500);
        assert.ok(d.xs.length <= 1000, `${d.xs.length} points`);
        assert.equal(d.xs[0], 1);
        assert.equal(d.xs.at(-1), n);
        assert.ok(d.ys.includes(50) && d.ys.includes(-50));
        for (let i = 1; i < d.xs.length; i++) assert.ok(d.xs[i] > d.xs[i - 1], 'x ascending');
        assert.equal(Math.max(...d.ys), 50);
        assert.equal(ys.length, n, 'the data itself is untouched');
    });

    it('passes short series through and skips non-finite values', () => {
        assert.deepEqual(minMaxBuckets([1, 2, 3], [1, NaN, 3], 100), { xs: [1, 3], ys: [1, 3] });
    });

    it('makes round ticks', () => {
        assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
        assert.deepEqual(niceTicks(0, 600, 3), [0, 200, 400, 600]);
        assert.deepEqual(niceTicks(3, 3, 2), [2, 4]);
        assert.deepEqual(niceTicks(1, 3, 6, true), [1, 2, 3], 'steps are whole');
        // A value and its smoothed copy one ulp apart (this once looped forever and froze the window).
        assert.deepEqual(niceTicks(0.8187560439109802, 0.8187560439109803, 5), [0.6, 0.8, 1, 1.2]);
        assert.deepEqual(niceTicks(-1e-300, 1e-300, 5).length > 0, true);
    });
});

describe('final table (Table 4 layout)', () => {
    it('takes the latest evaluation of each split, one row per predictor and metric, traits in DESIGN order', () => {
        const early = { type: 'eval' as const, time, step: 100, split: 'test', personality: { pam: { A: scores([0.5, 0.5, 0.5, 0.5, 0.5]), R2: scores([0, 0, 0, 0, 0]) } } };
        const last = {
            type: 'eval' as const, time, step: 600, split: 'test',
            personality: {
                pam: { A: scores([0.91, 0.92, 0.90, 0.89, 0.93]), R2: scores([0.4, 0.3, 0.5, 0.35, 0.45]) },
                fused: { A: scores([0.915, 0.92, 0.905, 0.895, 0.93]), R2: scores([0.41, 0.31, 0.51, 0.36, 0.46]) },
                fusion: { pam: 6, ram: 1 }
            },
            emotion: { mse: { arousal: 0.021, valence: 0.032, mean: 0.0265 } }
        };
        assert.deepEqual(latestBySplit([last, early]).map(e => e.step), [600]);
        const table = finalTable([{ label: 'Paper', evals: [early, last] }]);
        assert.deepEqual(table.personality.map(r => [r.predictor, r.metric]), [['PAM+RAM', 'A'], ['PAM+RAM', 'R²'], ['PAM', 'A'], ['PAM', 'R²']]);
        assert.deepEqual(table.personality[2].traits, [0.91, 0.92, 0.90, 0.89, 0.93]);
        assert.ok(Math.abs(table.personality[2].mean! - 0.91) < 1e-12);
        assert.deepEqual(table.personality[3].traits, [0.4, 0.3, 0.5, 0.35, 0.45]);
        assert.deepEqual(table.emotion, [{ run: 'Paper', predictor: 'EAM', split: 'test', step: 600, metric: 'MSE', arousal: 0.021, valence: 0.032, mean: 0.0265 }]);
        assert.deepEqual(table.fusion, [{ run: 'Paper', split: 'test', step: 600, text: 'PAM 6 : RAM 1 (fixed)' }]);
    });

    it('keeps the datasets apart when they share a split name, and adds the floor rows', () => {
        const personas = { type: 'eval' as const, time, step: 3, split: 'test', dataset: 'personas', personality: { floor: { A: scores([0.8, 0.8, 0.8, 0.8, 0.8]), R2: scores([0, 0, 0, 0, 0]) } } };
        const moods = { type: 'eval' as const, time, step: 3, split: 'test', dataset: 'moods', emotion: { mse: { arousal: 0.1, valence: 0.2, mean: 0.15 }, floor: { arousal: 0.11, valence: 0.21, mean: 0.16 } } };
        const table = finalTable([{ label: 'Q', evals: [personas, moods] }]);
        assert.deepEqual(table.personality.map(r => [r.predictor, r.split, r.metric]), [['Mean (floor)', 'personas.test', 'A'], ['Mean (floor)', 'personas.test', 'R²']]);
        assert.deepEqual(table.emotion.map(r => [r.predictor, r.split, r.metric, r.mean]), [['EAM', 'moods.test', 'MSE', 0.15], ['Mean (floor)', 'moods.test', 'MSE', 0.16]]);
    });

    it('shows the metrics a run logged and only those, an undefined correlation as null, and a searched fusion', () => {
        const nullable = (values: Array<number | null>) => ({ ...scores(values.map(v => v ?? 0)), agreeableness: values[1], mean: null });
        const evaluation = {
            type: 'eval' as const, time, step: 9, split: 'test',
            personality: {
                fused: { MSE: scores([0.01, 0.02, 0.03, 0.04, 0.05]), PCC: nullable([0.5, null, 0.4, 0.3, 0.2]), CCC: scores([0.4, 0, 0.3, 0.2, 0.1]) },
                fusion: {
                    pam: 0.85, ram: 0.15,
                    search: { on: 'personas.validation', step: 0.05, score: 'A' as const, best: 0.91234, grid: Array.from({ length: 21 }, (_, i) => ({ pam: i / 20, A: 0.9 })) }
                }
            },
            emotion: { pcc: { arousal: 0.6, valence: null, mean: null }, ccc: { arousal: 0.5, valence: 0.4, mean: 0.45 } }
        };
        const table = finalTable([{ label: 'M', evals: [evaluation] }]);
        assert.deepEqual(table.personality.map(r => r.metric), ['MSE', 'PCC', 'CCC']);
        assert.deepEqual(table.personality.map(r => r.digits), [4, 3, 3]);
        assert.deepEqual(table.personality[1].traits, [0.5, null, 0.4, 0.3, 0.2]);
        assert.equal(table.personality[1].mean, null);
        assert.ok(Math.abs(table.personality[0].mean! - 0.03) < 1e-12);
        assert.deepEqual(table.emotion.map(r => [r.metric, r.arousal, r.valence, r.mean]), [['PCC', 0.6, null, null], ['CCC', 0.5, 0.4, 0.45]]);
        assert.deepEqual(table.fusion.map(f => f.text), ['PAM 0.85 : RAM 0.15, chosen on personas.validation (best mean A 0.9123 of 21 points, step 0.05)']);
    });
});
