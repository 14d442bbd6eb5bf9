/**
 * A trait's "disk" in the arousal-valence plane (the paper's Fig. 3): where the emotion that drives
 * the trait up lies, and how far it spreads. Defined from RAM's output y over the grid:
 *   - the top decile: the ceil(n/10) grid points of highest y, and any point tied with the lowest of them;
 *   - centre: the y-weighted mean of (arousal, valence) over those points;
 *   - sd: the y-weighted standard deviation of each coordinate about that centre (population form);
 *   - radius: sqrt(sd_arousal² + sd_valence²), the root-mean-square distance from the centre.
 * Weighting by y (a sigmoid output, so positive) pulls the centre towards the strongest response.
 */
import type { AvGrid } from './grid.js';

export interface Disk {
    centre: { arousal: number; valence: number };
    sd: { arousal: number; valence: number };
    radius: number;
    /** The lowest output inside the top decile. */
    threshold: number;
    /** Grid points inside it. */
    points: number;
}

/** The part of the grid a disk is made from. */
export const TOP_FRACTION = 0.1;

/** `values` over `grid`, row-major (arousal rows, valence columns), all >= 0 (all 0: weighted equally). */
export function traitDisk(grid: AvGrid, values: ArrayLike<number>, fraction = TOP_FRACTION): Disk {
    const cols = grid.valence.length;
    const n = grid.arousal.length * cols;
    if (values.length !== n) throw new RangeError(`${values.length} values for a grid of ${n} points`);
    const sorted = Array.from(values).sort((x, y) => y - x);
    const threshold = sorted[Math.max(1, Math.ceil(n * fraction)) - 1];
    const chosen: number[] = [];
    for (let i = 0; i < n; i++) if (values[i] >= threshold) chosen.push(i);
    // A sigmoid that underflowed everywhere in float32 leaves no weight: the points then count equally.
    const allZero = chosen.every((i) => values[i] === 0);
    const weight = (i: number) => (allZero ? 1 : values[i]);
    let w = 0, sa = 0, sv = 0;
    for (const i of chosen) {
        w += weight(i);
        sa += weight(i) * grid.arousal[Math.floor(i / cols)];
        sv += weight(i) * grid.valence[i % cols];
    }
    const centre = { arousal: sa / w, valence: sv / w };
    let va = 0, vv = 0;
    for (const i of chosen) {
        va += weight(i) * (grid.arousal[Math.floor(i / cols)] - centre.arousal) ** 2;
        vv += weight(i) * (grid.valence[i % cols] - centre.valence) ** 2;
    }
    const sd = { arousal: Math.sqrt(va / w), valence: Math.sqrt(vv / w) };
    return { centre, sd, radius: Math.hypot(sd.arousal, sd.valence), threshold, points: chosen.length };
}
