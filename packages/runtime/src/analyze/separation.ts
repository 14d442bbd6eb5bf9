/**
 * How far apart the datasets' features lie (Fig. 4 as one number): leave-one-out k-nearest-neighbour
 * classification of each point's dataset from the others, in Euclidean distance, scored as balanced
 * accuracy (the mean of the per-dataset recalls), so that unequal sample sizes do not move chance.
 * Two datasets that never mix score 1; two drawn from the same distribution score about 1/2 (chance,
 * 1/D for D datasets). Coherence (section 3.4) aims to pull this towards chance.
 */

export interface Separation {
    method: 'knn-loo-balanced-accuracy';
    k: number;
    /** Balanced accuracy in [0, 1]. */
    accuracy: number;
    /** What the accuracy of indistinguishable datasets would be: 1 / datasets. */
    chance: number;
    /** Per dataset label: the fraction of its points whose neighbours voted for it. */
    recall: Record<string, number>;
}

export const DEFAULT_K = 5;

/**
 * `points` row-major, `dim` values each; `labels[i]` names point i's dataset. Ties among the votes go
 * to the label whose nearest voter is closest. Null with fewer than two labels or too few points.
 */
export function knnSeparation(points: ArrayLike<number>, dim: number, labels: readonly string[], k = DEFAULT_K): Separation | null {
    const n = labels.length;
    if (points.length !== n * dim) throw new RangeError(`${points.length} values are not ${n} points of ${dim}`);
    const names = [...new Set(labels)].sort();
    if (names.length < 2 || n <= k) return null;
    const hits = new Map(names.map((l) => [l, 0]));
    const totals = new Map(names.map((l) => [l, 0]));
    const distances = new Float64Array(n);
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
            let d = 0;
            for (let c = 0; c < dim; c++) {
                const diff = points[i * dim + c] - points[j * dim + c];
                d += diff * diff;
            }
            distances[j] = d;
        }
        distances[i] = Infinity;
        // Nearest first; equal distances by index, so the result does not depend on the sort's stability.
        order.sort((x, y) => distances[x] - distances[y] || x - y);
        const votes = new Map<string, number>();
        for (const j of order.slice(0, k)) votes.set(labels[j], (votes.get(labels[j]) ?? 0) + 1);
        let best = labels[order[0]];
        for (const [label, count] of votes) if (count > votes.get(best)!) best = label;
        totals.set(labels[i], totals.get(labels[i])! + 1);
        if (best === labels[i]) hits.set(labels[i], hits.get(labels[i])! + 1);
    }
    const recall = Object.fromEntries(names.map((l) => [l, hits.get(l)! / totals.get(l)!]));
    const accuracy = names.reduce((sum, l) => sum + recall[l], 0) / names.length;
    return { method: 'knn-loo-balanced-accuracy', k, accuracy, chance: 1 / names.length, recall };
}
