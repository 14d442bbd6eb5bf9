import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { concordance, pearson } from '../../src/eval/correlation.js';

const near = (a: number | null, b: number, tol = 1e-12) => assert.ok(a !== null && Math.abs(a - b) <= tol, `${a} != ${b}`);

interface Reference {
    /** Exact, in rational arithmetic (Python's fractions), rounded once at the end. */
    exact: { pcc: number; ccc: number };
    /** numpy's corrcoef, and Lin's CCC from numpy's population moments. */
    numpy: { pcc: number; ccc: number };
}

/** The same pairs scored by Python, or null where python3 with numpy is not installed. */
function pythonReference(pairs: Array<[number[], number[]]>): Reference[] | null {
    const script = `
import json, sys
from fractions import Fraction as F
import numpy as np
out = []
for x, y in json.load(sys.stdin):
    X = [F(v) for v in x]; Y = [F(v) for v in y]; n = len(X)
    mx = sum(X) / n; my = sum(Y) / n
    vx = sum((a - mx) ** 2 for a in X) / n; vy = sum((b - my) ** 2 for b in Y) / n
    c = sum((a - mx) * (b - my) for a, b in zip(X, Y)) / n
    x = np.array(x, dtype=np.float64); y = np.array(y, dtype=np.float64)
    out.append({
        "exact": {"pcc": float(c) / (float(vx) * float(vy)) ** 0.5, "ccc": float(2 * c / (vx + vy + (mx - my) ** 2))},
        "numpy": {"pcc": float(np.corrcoef(x, y)[0, 1]),
                  "ccc": float(2 * np.cov(x, y, bias=True)[0, 1] / (x.var() + y.var() + (x.mean() - y.mean()) ** 2))}})
print(json.dumps(out))
`;
    const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(pairs), encoding: 'utf8' });
    if (r.status !== 0) return null;
    return JSON.parse(r.stdout);
}

describe('PCC and CCC', () => {
    it('match hand-worked values', () => {
        // x = (1, 2, 3), y = (1, 3, 2): means 2 and 2; Σdx·dy = 1, Σdx² = Σdy² = 2 -> PCC = 1/2;
        // population moments 1/3, 2/3, 2/3 -> CCC = (2/3)/(4/3) = 1/2 (equal means: CCC = PCC here).
        near(pearson([1, 2, 3], [1, 3, 2]), 0.5);
        near(concordance([1, 2, 3], [1, 3, 2]), 0.5);
        // Shifted by 1: PCC unchanged; CCC = (2/3)/(4/3 + 1²) = 2/7.
        near(pearson([1, 2, 3], [2, 4, 3]), 0.5);
        near(concordance([1, 2, 3], [2, 4, 3]), 2 / 7);
        // y = 2x: PCC 1; cov 4/3, var 2/3 and 8/3, means 2 and 4 -> CCC = (8/3)/(2/3 + 8/3 + 4) = 4/11.
        near(pearson([1, 2, 3], [2, 4, 6]), 1);
        near(concordance([1, 2, 3], [2, 4, 6]), 4 / 11);
        // Reversed: both -1.
        near(pearson([1, 2, 3], [3, 2, 1]), -1);
        near(concordance([1, 2, 3], [3, 2, 1]), -1);
    });

    it('are null where 0/0, and CCC is 0 where one side alone is constant', () => {
        assert.equal(pearson([1, 2, 3], [5, 5, 5]), null);
        assert.equal(pearson([5, 5, 5], [1, 2, 3]), null);
        // CCC = 2·0 / (2/3 + 0 + (2 − 5)²) = 0.
        assert.equal(concordance([1, 2, 3], [5, 5, 5]), 0);
        assert.equal(concordance([5, 5, 5], [1, 2, 3]), 0);
        // Both constant: PCC is 0/0; CCC is 0/0 when equal and 0/(difference²) = 0 when not.
        assert.equal(pearson([2, 2], [2, 2]), null);
        assert.equal(concordance([2, 2], [2, 2]), null);
        assert.equal(concordance([2, 2], [3, 3]), 0);
        // A constant that rounding would give a spurious variance (mean of 0.1s is not exactly 0.1).
        const tenths = new Array(7).fill(0.1);
        assert.equal(pearson(tenths, [1, 2, 3, 4, 5, 6, 7]), null);
        assert.equal(concordance(tenths, tenths), null);
        // One value: no spread at all.
        assert.equal(pearson([1], [2]), null);
        assert.equal(concordance([], []), null);
        assert.throws(() => pearson([1, 2], [1]), /2 values and 1 values/);
    });

    it('agree with exact rational arithmetic and with numpy on random data', function () {
        let seed = 7;
        const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
        const pairs: Array<[number[], number[]]> = [];
        for (const n of [2, 5, 40, 1000]) {
            const x = Array.from({ length: n }, random);
            // Correlated, biased and scaled, as predictions of a label are.
            const y = x.map(v => 0.6 * v + 0.3 * random() + 0.1);
            pairs.push([x, y]);
            // Near a large mean, where a one-pass formula loses digits.
            pairs.push([x.map(v => 1e6 + v), y.map(v => 1e6 + v)]);
        }
        const reference = pythonReference(pairs);
        if (!reference) this.skip();
        pairs.forEach(([x, y], i) => {
            const { exact, numpy } = reference![i];
            near(pearson(x, y), exact.pcc, 1e-12);
            near(concordance(x, y), exact.ccc, 1e-10);
            // numpy's plain mean rounds near 1e6 (pairs of odd index): there it is the less exact of the two.
            near(pearson(x, y), numpy.pcc, i % 2 === 0 ? 1e-12 : 1e-9);
            near(concordance(x, y), numpy.ccc, i % 2 === 0 ? 1e-12 : 1e-9);
        });
    });
});
