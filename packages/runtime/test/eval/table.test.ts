import assert from 'node:assert/strict';
import { emotionSummary, formatEmotionTable, formatFusion, formatPersonalityTable, personalitySummary } from '../../src/eval/table.js';

const scores = (values: Array<number | null>, mean: number | null) => ({
    extraversion: values[0], agreeableness: values[1], conscientiousness: values[2], neuroticism: values[3], openness: values[4], mean
});

describe('printed tables', () => {
    it('print a block per metric the report holds, and only those', () => {
        const text = formatPersonalityTable('Apparent personality on test (step 5)', {
            pam: { MSE: scores([0.01, 0.02, 0.03, 0.04, 0.05], 0.03) as never },
            floor: { MSE: scores([0.02, 0.02, 0.02, 0.02, 0.02], 0.02) as never }
        });
        const lines = text.split('\n');
        assert.equal(lines[0], 'Apparent personality on test (step 5)');
        assert.deepEqual(lines.slice(1).map(l => l.trim().split(/\s+/)[0]), ['Average', 'MSE', 'PAM', 'Mean']);
        assert.deepEqual(lines[3].trim().split(/\s+/), ['PAM', '0.0300', '0.0100', '0.0200', '0.0300', '0.0400', '0.0500']);
        assert.doesNotMatch(text, /A \(mean accuracy\)|R²|PCC|CCC|fusion/);
    });

    it('print an undefined PCC as –, negative values aligned, and the fusion the report names', () => {
        const text = formatPersonalityTable('t', {
            fused: { PCC: scores([0.5, null, -0.25, 0.125, 1], null) as never },
            fusion: { pam: 0.85, ram: 0.15, search: { on: 'personas.validation', step: 0.05, score: 'A', best: 0.91234, grid: Array.from({ length: 21 }, (_, i) => ({ pam: i / 20, A: 0.9 })) } }
        });
        const lines = text.split('\n');
        assert.equal(lines[2], 'PCC (Pearson)');
        assert.deepEqual(lines[3].trim().split(/\s+/), ['PAM+RAM', '–', '0.500', '–', '-0.250', '0.125', '1.000']);
        assert.equal(lines[4], 'fusion: PAM 0.85, RAM 0.15, chosen by a search on personas.validation (step 0.05, 21 points): mean A 0.9123');
        assert.equal(formatFusion({ pam: 6, ram: 1 }), 'fusion: PAM 6, RAM 1 (fixed)');
    });

    it('print emotion a row per metric, the floor beside MSE', () => {
        const text = formatEmotionTable('Emotion on test (step 5)', {
            mse: { arousal: 0.1, valence: 0.2, mean: 0.15 },
            floor: { arousal: 0.11, valence: 0.21, mean: 0.16 },
            ccc: { arousal: 0.5, valence: null, mean: null }
        });
        assert.deepEqual(text.split('\n').slice(2).map(l => l.split(/\s{2,}/).map(c => c.trim())), [
            ['EAM (MSE)', '0.1000', '0.2000', '0.1500'],
            ['Mean (floor)', '0.1100', '0.2100', '0.1600'],
            ['EAM (CCC)', '0.5000', '–', '–']
        ]);
    });

    it('sum up an evaluation for the progress line with what it has', () => {
        assert.equal(personalitySummary({ A: scores([1, 1, 1, 1, 1], 0.9123) as never, R2: scores([0, 0, 0, 0, 0], -0.05) as never, MSE: scores([0, 0, 0, 0, 0], 0.01) as never }), 'A 0.912 R² -0.050');
        assert.equal(personalitySummary({ MSE: scores([0, 0, 0, 0, 0], 0.0123) as never }), 'MSE 0.0123');
        assert.equal(emotionSummary({ mse: { arousal: 0, valence: 0, mean: 0.0312 } }), 'emotion MSE 0.0312');
        assert.equal(emotionSummary({ ccc: { arousal: 0, valence: 0, mean: 0.5 } }), 'emotion CCC 0.5000');
        assert.equal(emotionSummary({}), 'emotion (no metric asked for)');
    });
});
