import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import {
    adversarialLoss, discriminatorLoss, nonFiniteTerms, regressionLoss, smoothL1, totalLoss
} from '../../src/train/losses.js';
import { describeOnEngines } from '../helpers/engines.js';
import { PAPER_LOSS } from '../helpers/fixtures.js';

const value = (f: () => tf.Tensor) => tf.tidy(() => [...f().dataSync()]);
const near = (a: number[], b: number[], tol = 1e-6) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `[${i}] ${v} != ${b[i]}`));

describeOnEngines('losses (eq. 2-13)', () => {

    it('smooth-L1 is 0.5·x²/m inside the margin and |x| - 0.5·m outside', () => {
        // m = 0.05: x = 0.02 -> 0.5·0.0004/0.05 = 0.004; x = -0.04 -> 0.016; x = 0.05 -> 0.05 - 0.025 = 0.025
        // (both sides meet there); x = -0.3 -> 0.275; x = 0 -> 0.
        near(value(() => smoothL1(tf.tensor1d([0.02, -0.04, 0.05, -0.3, 0]), 0.05)), [0.004, 0.016, 0.025, 0.275, 0]);
        // m = 1 is eq. 3 as printed: 0.5·x² inside, |x| - 0.5 outside.
        near(value(() => smoothL1(tf.tensor1d([0.5, -2]), 1)), [0.125, 1.5]);
    });

    it('regression losses sum over outputs and average over rows', () => {
        // Two rows of 2 outputs, m = 1: errors (0.5, -2) and (0, 1) -> (0.125 + 1.5) + (0 + 0.5) = 2.125;
        // averaged over 2 rows: 1.0625. With a batch-wide normaliser of 4 rows: 0.53125.
        const truth = () => tf.tensor2d([[1, -1], [0, 1]]);
        const pred = () => tf.tensor2d([[0.5, 1], [0, 0]]);
        near(value(() => regressionLoss(truth(), pred(), 1)), [1.0625]);
        near(value(() => regressionLoss(truth(), pred(), 1, 4)), [0.53125]);
    });

    it('L_D is the cross-entropy of the true dataset, L_adv that of the uniform distribution', () => {
        // Logits (ln 3, 0): q = (0.75, 0.25). Logits (0, 0): q = (0.5, 0.5).
        // L_D with labels (0, 1, 1): -ln 0.75 = 0.287682, -ln 0.25 = 1.386294, -ln 0.5 = 0.693147;
        //   mean 0.789041.
        // L_adv: row 1: -(0.5·ln 0.75 + 0.5·ln 0.25) = 0.836988, row 2 the same, row 3: ln 2 = 0.693147;
        //   mean 0.789041 as well here; rows 1-2 alone: 0.836988.
        const logits = () => tf.tensor2d([[Math.log(3), 0], [Math.log(3), 0], [0, 0]]);
        near(value(() => discriminatorLoss(logits(), [0, 1, 1])), [0.789041]);
        near(value(() => discriminatorLoss(logits(), [0, 0, 0])), [(0.287682 * 2 + 0.693147) / 3]);
        near(value(() => adversarialLoss(logits())), [(0.836988 * 2 + 0.693147) / 3]);
        near(value(() => adversarialLoss(tf.tensor2d([[Math.log(3), 0]]))), [0.836988]);
        near(value(() => adversarialLoss(tf.tensor2d([[Math.log(3), 0]]), 2)), [0.418494]);
    });

    it('weights the terms by λ (eq. 13) and names the non-finite ones', () => {
        const terms = { per: 0.2, emo: 0.4, d: 0.7, adv: 0.6, ram: 0.5 };
        // 0.2 + 0.4 + 0.1·(0.7 + 0.6 + 0.5) = 0.78
        const values = totalLoss(terms, PAPER_LOSS);
        assert.ok(Math.abs(values.total - 0.78) < 1e-12);
        assert.equal(values.per, 0.2);
        assert.deepEqual(nonFiniteTerms({ ...terms, emo: Number.NaN, ram: Number.POSITIVE_INFINITY }), ['emo', 'ram']);
    });
});
