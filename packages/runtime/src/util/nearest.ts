/**
 * Fills the gaps of a sequence from its nearest filled neighbour (the earlier one on a tie): a video
 * frame in which no face was found borrows the face of the nearest frame that has one, in training,
 * evaluation and prediction alike. Null when nothing is filled.
 */
export function borrowNearest<T>(items: ReadonlyArray<T | null | undefined>): T[] | null {
    const filled: number[] = [];
    items.forEach((item, i) => {
        if (item !== null && item !== undefined) filled.push(i);
    });
    if (filled.length === 0) return null;
    return items.map((item, i) => item ?? items[filled.reduce((best, j) => (Math.abs(j - i) < Math.abs(best - i) ? j : best))]!);
}
