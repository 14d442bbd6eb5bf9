import assert from 'node:assert/strict';
import { fuse, fusionWeights } from '../../src/eval/fusion.js';
import { fusionGrid, searchFusion, type FusionRow } from '../../src/eval/fusion-search.js';

const near = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

describe('fusion search', () => {
    it('makes the grid 0, step, 2·step, … and 1', () => {
        assert.deepEqual(fusionGrid(0.25), [0, 0.25, 0.5, 0.75, 1]);
        assert.deepEqual(fusionGrid(1), [0, 1]);
        // 1 is on the grid even where the step does not divide it.
        assert.deepEqual(fusionGrid(0.3), [0, 0.3, 0.6, 0.9, 1]);
        const fine = fusionGrid(0.05);
        assert.equal(fine.length, 21);
        assert.equal(fine[3], 0.15, 'no 0.15000000000000002');
        assert.equal(fine[20], 1);
        assert.throws(() => fusionGrid(0), /step must be in \(0, 1\]/);
    });

    it('finds the PAM share that cancels opposite errors, and scores every grid point', () => {
        // Every trait of video 1: PAM errs by +0.3, RAM by -0.1; video 2 the opposite signs. The fused
        // error is ±(α·0.3 − (1 − α)·0.1) = ±(0.4α − 0.1): zero at α = 0.25, so A = 1 − |0.4α − 0.1|.
        const truth = [0.2, 0.4, 0.5, 0.6, 0.5];
        const rows: FusionRow[] = [
            { truth, pam: truth.map(t => t + 0.3), ram: truth.map(t => t - 0.1) },
            { truth, pam: truth.map(t => t - 0.3), ram: truth.map(t => t + 0.1) }
        ];
        const result = searchFusion(rows, 0.05);
        assert.deepEqual(result.weights, { pam: 0.25, ram: 0.75 });
        near(result.A, 1);
        assert.equal(result.grid.length, 21);
        for (const point of result.grid) near(point.A, 1 - Math.abs(0.4 * point.pam - 0.1));
        // The step decides what can be found: with 0.2 the nearest points 0.2 and 0.4 score 0.98 and 0.94.
        const coarse = searchFusion(rows, 0.2);
        assert.deepEqual(coarse.weights, { pam: 0.2, ram: 0.8 });
        near(coarse.A, 0.98);
    });

    it('prefers RAM alone when PAM only adds error, and the larger PAM share of equal scores', () => {
        const truth = [0.5, 0.5, 0.5, 0.5, 0.5];
        const ramExact = searchFusion([{ truth, pam: [0.9, 0.1, 0.9, 0.1, 0.9], ram: truth }], 0.1);
        assert.deepEqual(ramExact.weights, { pam: 0, ram: 1 });
        // PAM and RAM alike: every α scores the same; α = 1 is kept.
        const same = searchFusion([{ truth, pam: [0.4, 0.6, 0.5, 0.5, 0.3], ram: [0.4, 0.6, 0.5, 0.5, 0.3] }], 0.5);
        assert.deepEqual(same.weights, { pam: 1, ram: 0 });
        assert.throws(() => searchFusion([], 0.1), /no videos/);
    });
});

describe('late fusion weights', () => {
    it('are the fixed ones, or the chosen ones; a search without its choice is refused', () => {
        assert.deepEqual(fusionWeights({ pam: 6, ram: 1 }), { pam: 6, ram: 1 });
        const search = { search: { on: { dataset: 'personas', split: 'validation' }, step: 0.05 } };
        assert.deepEqual(fusionWeights(search, { pam: 0.8, ram: 0.2 }), { pam: 0.8, ram: 0.2 });
        assert.throws(() => fusionWeights(search), /fusion search on personas\.validation; the weights it chose are in its report\.json/);
        assert.throws(() => fuse([1], [1], search), /fusion search/);
        // α and 1 − α fuse as the weights α : 1 − α do: 0.25·0.8 + 0.75·0.4 = 0.5.
        near(fuse([0.8], [0.4], { pam: 0.25, ram: 0.75 })[0], 0.5);
    });
});
