import assert from 'node:assert/strict';
import { knnSeparation } from '../../src/analyze/separation.js';
import { Random } from '../../src/util/random.js';

function gaussian(random: Random, n: number, dim: number, mean: number): number[] {
    return Array.from({ length: n * dim }, () => mean + random.normal());
}

describe('the dataset-separation score', () => {
    it('matches a hand-worked leave-one-out 1-NN on five points', () => {
        // 0 -> 1 (A, right); 1 -> 0 (A, right); 10 -> 11 (B, right); 11 -> 10 and 12 tie, the lower index 10 wins (B, right);
        // 12 -> 11 (B, wrong for A). Recall A = 2/3, B = 2/2: balanced 5/6.
        const s = knnSeparation([0, 1, 10, 11, 12], 1, ['A', 'A', 'B', 'B', 'A'], 1)!;
        assert.equal(s.accuracy, (2 / 3 + 1) / 2);
        assert.deepEqual(s.recall, { A: 2 / 3, B: 1 });
        assert.equal(s.chance, 0.5);
    });

    it('counts votes among k neighbours: 3-NN', () => {
        // Point 0 (A) has neighbours 1 (B), 2 (B), 3 (A): outvoted. Points 1, 2 (B): neighbours {0 A, 2|1 B, 3 A} -> A, wrong.
        // Point 3 (A): neighbours 2 (B), 4 (A), 1 (B) -> B, wrong; 4 (A): 3 A, 2 B, 1 B -> B, wrong. Recall A 0, B 0.
        const s = knnSeparation([0, 1, 2, 3, 4], 1, ['A', 'B', 'B', 'A', 'A'], 3)!;
        assert.equal(s.accuracy, 0);
    });

    it('is 1 for two well separated clusters', () => {
        const random = new Random(5);
        const points = [...gaussian(random, 150, 16, 0), ...gaussian(random, 150, 16, 10)];
        const labels = [...Array(150).fill('chalearn'), ...Array(150).fill('affwild')];
        assert.equal(knnSeparation(points, 16, labels)!.accuracy, 1);
    });

    it('is about 1/2 for two samples of one distribution', () => {
        const random = new Random(6);
        const points = gaussian(random, 600, 8, 0);
        const labels = Array.from({ length: 600 }, (_, i) => (i % 2 === 0 ? 'a' : 'b'));
        const s = knnSeparation(points, 8, labels)!;
        assert.ok(Math.abs(s.accuracy - 0.5) < 0.06, `accuracy ${s.accuracy}`);
    });

    it('weighs datasets equally whatever their sizes: one sample split 9:1 is still about 1/2', () => {
        const random = new Random(7);
        const points = gaussian(random, 1000, 4, 0);
        const labels = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 'small' : 'large'));
        const s = knnSeparation(points, 4, labels)!;
        // Plain accuracy would be ~0.9 by always answering 'large'.
        assert.ok(Math.abs(s.accuracy - 0.5) < 0.08, `balanced accuracy ${s.accuracy}`);
    });

    it('has nothing to say with one dataset or no more points than k', () => {
        assert.equal(knnSeparation([0, 1, 2, 3, 4, 5, 6], 1, Array(7).fill('a')), null);
        assert.equal(knnSeparation([0, 1, 2], 1, ['a', 'b', 'a'], 5), null);
        assert.throws(() => knnSeparation([0, 1, 2], 2, ['a', 'b']), /not 2 points of 2/);
    });
});
