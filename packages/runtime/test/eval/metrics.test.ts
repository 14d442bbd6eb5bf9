import assert from 'node:assert/strict';
import {
    constantPrediction, EmotionMetric, EmotionMetrics, emotionScores, labelMeans, PersonalityMetric, personalityScores
} from '../../src/eval/metrics.js';

const near = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

// Four videos, five traits (extraversion, agreeableness, conscientiousness, neuroticism, openness).
const truth = [
    0.2, 0.5, 0.5, 0.1, 0.9,
    0.4, 0.5, 0.5, 0.3, 0.7,
    0.6, 0.5, 0.5, 0.5, 0.5,
    0.8, 0.5, 0.5, 0.7, 0.3
];
const prediction = [
    0.3, 0.5, 0.4, 0.1, 0.9,
    0.3, 0.6, 0.6, 0.3, 0.7,
    0.6, 0.4, 0.5, 0.5, 0.5,
    0.7, 0.5, 0.5, 0.7, 0.1
];

describe('metrics', () => {
    it('A and R² per trait and their means, worked by hand', () => {
        // extraversion: errors 0.1, 0.1, 0, 0.1 -> A = 1 - 0.3/4 = 0.925; Σe² = 0.03;
        //   ȳ = 0.5, Σ(y-ȳ)² = 0.09 + 0.01 + 0.01 + 0.09 = 0.2 -> R² = 1 - 0.03/0.2 = 0.85.
        // agreeableness: errors 0, 0.1, 0.1, 0 -> A = 0.95; truth constant, prediction not -> R² = 0.
        // conscientiousness: errors 0.1, 0.1, 0, 0 -> A = 0.95; R² = 0 likewise.
        // neuroticism: exact -> A = 1, R² = 1.
        // openness: errors 0, 0, 0, 0.2 -> A = 0.95; Σe² = 0.04, ȳ = 0.6, Σ(y-ȳ)² = 0.2 -> R² = 0.8.
        // Means: A = (0.925 + 0.95 + 0.95 + 1 + 0.95)/5 = 0.955; R² = (0.85 + 0 + 0 + 1 + 0.8)/5 = 0.53.
        const s = personalityScores(truth, prediction);
        const expectA = { extraversion: 0.925, agreeableness: 0.95, conscientiousness: 0.95, neuroticism: 1, openness: 0.95, mean: 0.955 };
        const expectR2 = { extraversion: 0.85, agreeableness: 0, conscientiousness: 0, neuroticism: 1, openness: 0.8, mean: 0.53 };
        for (const [k, v] of Object.entries(expectA)) near(s.A[k as keyof typeof expectA], v);
        for (const [k, v] of Object.entries(expectR2)) near(s.R2[k as keyof typeof expectR2], v);
    });

    it('accumulates over updates like one call', () => {
        const m = new PersonalityMetric();
        m.update(truth.slice(0, 10), prediction.slice(0, 10));
        m.update(truth.slice(10), prediction.slice(10));
        assert.deepEqual(m.compute(), personalityScores(truth, prediction));
        m.reset();
        assert.throws(() => m.compute(), /no videos/);
        assert.throws(() => m.update([1, 2], [1]), /not matching rows of 5/);
    });

    it('MSE of arousal and valence', () => {
        // Frames [a, v]: truth (0.5, -0.5), (0, 1), (-1, 0); prediction (0.3, -0.5), (0.2, 0.5), (-1, 0.4).
        // arousal: (0.04 + 0.04 + 0)/3 = 0.026667; valence: (0 + 0.25 + 0.16)/3 = 0.136667; mean 0.081667.
        const t = [0.5, -0.5, 0, 1, -1, 0];
        const p = [0.3, -0.5, 0.2, 0.5, -1, 0.4];
        const s = emotionScores(t, p);
        near(s.arousal, 0.08 / 3);
        near(s.valence, 0.41 / 3);
        near(s.mean, 0.49 / 6);
        const m = new EmotionMetric();
        m.update(t.slice(0, 2), p.slice(0, 2));
        m.update(t.slice(2), p.slice(2));
        assert.deepEqual(m.compute(), s);
    });

    it('the constant-mean floor predicts the training means', () => {
        // Training labels (2 columns): (0.2, 1), (0.4, 3) -> means (0.3, 2).
        const means = labelMeans([0.2, 1, 0.4, 3], 2);
        near(means[0], 0.3);
        near(means[1], 2);
        assert.deepEqual([...constantPrediction([0.25, 0.5], 3)], [0.25, 0.5, 0.25, 0.5, 0.25, 0.5]);
        // Predicting the evaluated set's own mean gives R² = 0 on every non-constant trait.
        const floor = personalityScores(truth, constantPrediction(labelMeans(truth, 5), 4));
        near(floor.R2.extraversion, 0);
        near(floor.R2.agreeableness, 1);
    });

    it('personality MSE, PCC and CCC per trait and their means, worked by hand', () => {
        // MSE = Σe²/4: extraversion 0.03/4; agreeableness and conscientiousness 0.02/4; neuroticism 0; openness 0.04/4.
        const s = personalityScores(truth, prediction);
        const mse = { extraversion: 0.0075, agreeableness: 0.005, conscientiousness: 0.005, neuroticism: 0, openness: 0.01, mean: 0.0275 / 5 };
        for (const [k, v] of Object.entries(mse)) near(s.MSE![k as keyof typeof mse], v);
        // extraversion: y (.2 .4 .6 .8), p (.3 .3 .6 .7); means .5 and .475; Σdy·dp = .15, Σdy² = .2, Σdp² = .1275:
        //   PCC = .15 / √(.2 · .1275); CCC = 2(.15/4) / (.2/4 + .1275/4 + .025²) = .075/.0825 = 10/11.
        // openness: y (.9 .7 .5 .3), p (.9 .7 .5 .1); means .6 and .55; Σdy·dp = .26, Σdy² = .2, Σdp² = .35:
        //   PCC = .26 / √(.2 · .35); CCC = .13 / (.05 + .0875 + .05²) = 13/14.
        // neuroticism: exact -> PCC = CCC = 1. agreeableness, conscientiousness: the truth is constant ->
        //   PCC null; CCC = 0 / (var p + 0) = 0. The PCC mean is null because two traits' are.
        near(s.PCC!.extraversion, 0.15 / Math.sqrt(0.2 * 0.1275));
        near(s.PCC!.openness, 0.26 / Math.sqrt(0.2 * 0.35));
        near(s.PCC!.neuroticism, 1);
        assert.equal(s.PCC!.agreeableness, null);
        assert.equal(s.PCC!.conscientiousness, null);
        assert.equal(s.PCC!.mean, null);
        near(s.CCC!.extraversion, 10 / 11);
        near(s.CCC!.openness, 13 / 14);
        near(s.CCC!.neuroticism, 1);
        assert.equal(s.CCC!.agreeableness, 0);
        assert.equal(s.CCC!.conscientiousness, 0);
        near(s.CCC!.mean, (10 / 11 + 0 + 0 + 1 + 13 / 14) / 5);
    });

    it('computes only the metrics asked for, in a fixed order', () => {
        assert.deepEqual(Object.keys(personalityScores(truth, prediction)), ['A', 'R2', 'MSE', 'PCC', 'CCC']);
        assert.deepEqual(Object.keys(personalityScores(truth, prediction, ['mse'])), ['MSE']);
        assert.deepEqual(Object.keys(personalityScores(truth, prediction, ['ccc', 'accuracy'])), ['A', 'CCC']);
        assert.deepEqual(personalityScores(truth, prediction, ['mse']).MSE, personalityScores(truth, prediction).MSE);
        const t = [0.5, -0.5, 0, 1, -1, 0];
        const p = [0.3, -0.5, 0.2, 0.5, -1, 0.4];
        const m = new EmotionMetrics(['accuracy', 'r2']);
        m.update(t, p);
        assert.deepEqual(m.compute(), {}, 'accuracy and r2 are personality metrics');
        const only = new EmotionMetrics(['pcc']);
        only.update(t, p);
        assert.deepEqual(Object.keys(only.compute()), ['pcc']);
    });

    it('emotion MSE, PCC and CCC of arousal and valence', () => {
        // With population moments CCC = 2·Σdt·dp / (Σdt² + Σdp² + n·(t̄ − p̄)²), n = 3.
        // arousal: truth (.5, 0, -1), prediction (.3, .2, -1); means -1/6 and -1/6 (equal);
        //   deviations (2/3, 1/6, -5/6) and (7/15, 11/30, -5/6): Σdt·dp = 14/45 + 11/180 + 25/36 = 16/15,
        //   Σdt² = 7/6, Σdp² = 196/900 + 121/900 + 625/900 = 157/150 -> PCC = (16/15) / √(7/6 · 157/150);
        //   CCC = (32/15) / (7/6 + 157/150) = (32/15) / (332/150) = 80/83.
        // valence: truth (-.5, 1, 0), prediction (-.5, .5, .4); means 1/6 and 2/15;
        //   deviations (-2/3, 5/6, -1/6) and (-19/30, 11/30, 4/15): Σdt·dp = 76/180 + 55/180 - 8/180 = 41/60,
        //   Σdt² = 7/6, Σdp² = 546/900 = 91/150 -> PCC = (41/60) / √(7/6 · 91/150);
        //   CCC = (41/30) / (7/6 + 91/150 + 3·(1/30)²) = (41/30) / (1599/900) = 1230/1599 = 10/13.
        const t = [0.5, -0.5, 0, 1, -1, 0];
        const p = [0.3, -0.5, 0.2, 0.5, -1, 0.4];
        const m = new EmotionMetrics();
        m.update(t.slice(0, 4), p.slice(0, 4));
        m.update(t.slice(4), p.slice(4));
        const s = m.compute();
        near(s.mse!.arousal, 0.08 / 3);
        near(s.mse!.valence, 0.41 / 3);
        const pcc = [(16 / 15) / Math.sqrt(7 / 6 * 157 / 150), (41 / 60) / Math.sqrt(7 / 6 * 91 / 150)];
        near(s.pcc!.arousal!, pcc[0]);
        near(s.pcc!.valence!, pcc[1]);
        near(s.pcc!.mean!, (pcc[0] + pcc[1]) / 2);
        near(s.ccc!.arousal!, 80 / 83);
        near(s.ccc!.valence!, 10 / 13);
        near(s.ccc!.mean!, (80 / 83 + 10 / 13) / 2);
        // A constant prediction: PCC undefined (null) on both, so is their mean; CCC 0.
        const flat = new EmotionMetrics(['pcc', 'ccc']);
        flat.update(t, [0.1, 0.2, 0.1, 0.2, 0.1, 0.2]);
        assert.deepEqual(flat.compute(), { pcc: { arousal: null, valence: null, mean: null }, ccc: { arousal: 0, valence: 0, mean: 0 } });
    });
});
