import assert from 'node:assert/strict';
import {
    constantPrediction, EmotionMetric, emotionScores, labelMeans, PersonalityMetric, personalityScores
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
});
