/**
 * Fig. 3's input plane: a square grid of (arousal, valence) points over [-1, 1]², the range of EAM's
 * tanh outputs and so of everything RAM is ever fed. Row r holds arousal[r], column c valence[c];
 * values over the grid are stored row-major in that order.
 */

export interface AvGrid {
    /** Grid values along each axis, -1 to 1 inclusive, evenly spaced. */
    arousal: number[];
    valence: number[];
}

/** The default resolution: steps of 0.05. */
export const GRID_SIZE = 41;

export function avGrid(size = GRID_SIZE): AvGrid {
    if (!Number.isInteger(size) || size < 2) throw new RangeError(`grid size must be a whole number >= 2, not ${size}`);
    const axis = Array.from({ length: size }, (_, i) => round(-1 + (2 * i) / (size - 1)));
    return { arousal: axis, valence: [...axis] };
}

/** The grid's points as RAM's input rows [arousal, valence], row-major (arousal outer). */
export function gridInputs(grid: AvGrid): Float32Array {
    const out = new Float32Array(grid.arousal.length * grid.valence.length * 2);
    let i = 0;
    for (const a of grid.arousal) {
        for (const v of grid.valence) {
            out[i++] = a;
            out[i++] = v;
        }
    }
    return out;
}

/** Rounds away the float noise of -1 + 2i/(n-1), so the JSON says 0.05, not 0.050000000000000044. */
function round(x: number): number {
    return Math.round(x * 1e9) / 1e9;
}
