/**
 * The statistics of `persemon compare` against numbers worked by hand, the closed forms of the t
 * distribution for 1 and 2 degrees of freedom, and values from SciPy 1.17 (scipy.stats.t.sf,
 * scipy.stats.ttest_rel), written down here.
 */
import * as assert from 'node:assert/strict';
import { logGamma, mean, pairedTTest, sampleSd, studentTTwoSided } from '../../src/compare/stats.js';

const close = (actual: number, expected: number, tolerance = 1e-12) =>
    assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} (±${tolerance})`);

describe('compare statistics', () => {
    it('mean and sample standard deviation, by hand', () => {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, over n − 1 = 7.
        close(mean([2, 4, 4, 4, 5, 5, 7, 9]), 5);
        close(sampleSd([2, 4, 4, 4, 5, 5, 7, 9]), Math.sqrt(32 / 7));
        assert.ok(Number.isNaN(sampleSd([3])));
        assert.ok(Number.isNaN(mean([])));
    });

    it('ln Γ at known points', () => {
        close(logGamma(1), 0, 1e-14);
        close(logGamma(5), Math.log(24), 1e-13);
        close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
        close(logGamma(10.5), Math.log(1133278.3889487855), 1e-12);
    });

    it('the t distribution\'s two-sided p-value: closed forms for df 1 and 2', () => {
        for (const t of [0, 0.3, 1, 2.5, -4, 30]) {
            // df 1 is Cauchy: P(|T| ≥ t) = 1 − (2/π)·atan|t|; df 2: 1 − |t|/√(t² + 2).
            close(studentTTwoSided(t, 1), 1 - (2 / Math.PI) * Math.atan(Math.abs(t)), 1e-12);
            close(studentTTwoSided(t, 2), 1 - Math.abs(t) / Math.sqrt(t * t + 2), 1e-12);
        }
    });

    it('the t distribution\'s two-sided p-value against SciPy', () => {
        close(studentTTwoSided(2.0, 5), 0.10193947882985835, 1e-12);
        close(studentTTwoSided(0.5, 9), 0.6290712998260263, 1e-12);
        close(studentTTwoSided(-3.1, 30), 0.004184484860550745, 1e-12);
        close(studentTTwoSided(1.2, 2.5), 0.3314388376658776, 1e-12);
        close(studentTTwoSided(10, 3), 0.0021283990584141503, 1e-12);
        // The 97.5% quantile of t with 4 degrees of freedom: p = 0.05.
        close(studentTTwoSided(2.7764451051977987, 4), 0.05, 1e-12);
        assert.equal(studentTTwoSided(Infinity, 3), 0);
    });

    it('the paired t-test, by hand: differences 0.02, 0.01, 0 give t = √3 on 2 df', () => {
        const r = pairedTTest([0.91, 0.93, 0.90], [0.89, 0.92, 0.90]);
        // mean 0.01, sd √((0.01² + 0 + 0.01²) / 2) = 0.01, t = 0.01 / (0.01/√3) = √3, p = 1 − √3/√5.
        close(r.meanDifference, 0.01, 1e-15);
        close(r.sdDifference, 0.01, 1e-15);
        close(r.t, Math.sqrt(3), 1e-12);
        assert.equal(r.df, 2);
        close(r.p, 1 - Math.sqrt(3) / Math.sqrt(5), 1e-12);
    });

    it('the paired t-test against scipy.stats.ttest_rel', () => {
        const r = pairedTTest([0.912, 0.905, 0.921, 0.899], [0.901, 0.903, 0.915, 0.894]);
        close(r.t, 3.2071349029490928, 1e-9);
        assert.equal(r.df, 3);
        close(r.p, 0.04906348917297512, 1e-9);
    });

    it('says what it cannot test: one pair, identical differences', () => {
        assert.ok(Number.isNaN(pairedTTest([1], [2]).p));
        assert.deepEqual([pairedTTest([1, 2], [0, 1]).t, pairedTTest([1, 2], [0, 1]).p], [Infinity, 0]);
        assert.equal(pairedTTest([1, 2], [1, 2]).p, 1);
        assert.throws(() => pairedTTest([1, 2], [1]), /2 and 1 values do not pair/);
    });
});
