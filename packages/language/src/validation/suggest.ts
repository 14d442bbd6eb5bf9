/** "Did you mean": the candidates closest to a misspelt word by edit distance. */

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
export function editDistance(a: string, b: string): number {
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[rows - 1][cols - 1];
}

/** Short words tolerate one edit, longer ones two: `sed` -> `seed`, `segmnts` -> `segments`, not `lr` -> `ram`. */
function tolerance(word: string): number {
    return word.length <= 4 ? 1 : 2;
}

/**
 * The candidates within tolerance of `word`, closest first (ties keep the candidates' order). Case is
 * ignored when measuring, so `Paper` is suggested for `paper`.
 */
export function closest(word: string, candidates: Iterable<string>): string[] {
    const lower = word.toLowerCase();
    const scored: Array<{ candidate: string; distance: number; index: number }> = [];
    let index = 0;
    for (const candidate of new Set(candidates)) {
        if (candidate === word) continue;
        const distance = editDistance(lower, candidate.toLowerCase());
        if (distance <= tolerance(word)) scored.push({ candidate, distance, index });
        index++;
    }
    return scored.sort((x, y) => x.distance - y.distance || x.index - y.index).map(s => s.candidate);
}
