import assert from 'node:assert/strict';
import { knnSeparation } from '../../src/analyze/separation.js';
import { conditionalAffinities, klDivergence, squaredDistances, tsne } from '../../src/analyze/tsne.js';
import { Random } from '../../src/util/random.js';

function clusters(n: number, dim: number, seed: number): { points: number[]; labels: string[] } {
    const random = new Random(seed);
    const points: number[] = [];
    const labels: string[] = [];
    for (let i = 0; i < n; i++) {
        const label = i < n / 2 ? 'a' : 'b';
        for (let c = 0; c < dim; c++) points.push((label === 'a' ? 0 : 8) + random.normal());
        labels.push(label);
    }
    return { points, labels };
}

describe('exact t-SNE', () => {
    it('squared distances by hand', () => {
        // (0,0), (3,4), (1,1): 25, 2, and (3-1)² + (4-1)² = 13
        assert.deepEqual(Array.from(squaredDistances([0, 0, 3, 4, 1, 1], 2)), [0, 25, 2, 25, 0, 13, 2, 13, 0]);
    });

    it('gives each point\'s affinities the entropy log(perplexity)', () => {
        const { points } = clusters(40, 5, 1);
        const n = 40;
        const p = conditionalAffinities(squaredDistances(points, 5), n, 10);
        for (let i = 0; i < n; i++) {
            let sum = 0, entropy = 0;
            for (let j = 0; j < n; j++) {
                const q = p[i * n + j];
                if (j === i) assert.equal(q, 0);
                sum += q;
                if (q > 0) entropy -= q * Math.log(q);
            }
            assert.ok(Math.abs(sum - 1) < 1e-9, `row ${i} sums to ${sum}`);
            assert.ok(Math.abs(Math.exp(entropy) - 10) < 1e-3, `row ${i}: perplexity ${Math.exp(entropy)}`);
        }
    });

    it('with equal distances every neighbour is equally likely', () => {
        // The corners of a regular simplex: all distances 2.
        const p = conditionalAffinities(squaredDistances([1, 0, 0, 0, 1, 0, 0, 0, 1], 3), 3, 1.5);
        for (const i of [0, 1, 2]) for (const j of [0, 1, 2]) if (i !== j) assert.ok(Math.abs(p[i * 3 + j] - 0.5) < 1e-12);
    });

    it('keeps two separated clusters apart and lowers KL(P || Q) from a random map', () => {
        const { points, labels } = clusters(60, 10, 2);
        const result = tsne(points, 10, { perplexity: 10, seed: 3 });
        assert.equal(knnSeparation(result.coords, 2, labels)!.accuracy, 1);
        assert.equal(result.perplexity, 10);
        // The same P against a random map of the same spread.
        const n = 60;
        const cond = conditionalAffinities(squaredDistances(points, 10), n, 10);
        const P = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) P[i * n + j] = Math.max((cond[i * n + j] + cond[j * n + i]) / (2 * n), 1e-12);
        assert.ok(Math.abs(klDivergence(P, result.coords, n) - result.kl) < 1e-9);
        const random = new Random(4);
        const scrambled = Float64Array.from(result.coords, () => 5 * random.normal());
        assert.ok(result.kl < klDivergence(P, scrambled, n) / 2, `kl ${result.kl}`);
    });

    it('is the same for the same seed', () => {
        const { points } = clusters(20, 3, 5);
        assert.deepEqual(tsne(points, 3, { seed: 9, iterations: 50 }).coords, tsne(points, 3, { seed: 9, iterations: 50 }).coords);
        // Perplexity is capped at (n - 1) / 3 for few points.
        assert.equal(tsne(points, 3, { seed: 9, iterations: 5 }).perplexity, 19 / 3);
    });
});
