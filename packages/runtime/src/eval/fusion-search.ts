/**
 * `fusion search`: the PAM share α of fused = α·PAM + (1 − α)·RAM chosen, as the paper chose its
 * 6:1, by a grid search on a validation split. Every α in {0, step, 2·step, …, 1} (1 included even
 * when step does not divide it) is scored by the fused prediction's mean accuracy A (eq. 14, the
 * paper's headline measure); the best wins, and of equal scores the largest α (PAM is the primary
 * predictor; the paper's weights favour it).
 */
import { TRAITS, type FusionWeights } from '@persemon/language';
import { fuse } from './fusion.js';
import { personalityScores } from './metrics.js';

/** One video's truth and its PAM and RAM traits, in TRAITS order. */
export interface FusionRow {
    truth: readonly number[];
    pam: readonly number[];
    ram: readonly number[];
}

/** The grid point scores: the PAM share and the fused mean A there. */
export interface FusionGridPoint {
    pam: number;
    A: number;
}

export interface FusionSearchResult {
    /** The chosen weights: pam = α, ram = 1 − α. */
    weights: FusionWeights;
    /** The chosen α's mean A. */
    A: number;
    grid: FusionGridPoint[];
}

/** The PAM shares of the grid, ascending; rounded so that 3·0.05 is 0.15, not 0.15000000000000002. */
export function fusionGrid(step: number): number[] {
    if (!(step > 0 && step <= 1)) throw new Error(`fusion search: the step must be in (0, 1], not ${step}`);
    const grid: number[] = [];
    const points = Math.floor(1 / step + 1e-9);
    for (let k = 0; k <= points; k++) grid.push(Math.min(1, round(k * step)));
    if (grid[grid.length - 1] < 1) grid.push(1);
    return grid;
}

export function searchFusion(rows: readonly FusionRow[], step: number): FusionSearchResult {
    if (rows.length === 0) throw new Error('fusion search: no videos with both PAM and RAM predictions to search on');
    const truth = rows.flatMap(r => [...r.truth]);
    const pam = rows.flatMap(r => [...r.pam]);
    const ram = rows.flatMap(r => [...r.ram]);
    if (truth.length !== rows.length * TRAITS.length) throw new Error(`fusion search: rows must hold ${TRAITS.length} traits each`);
    const grid = fusionGrid(step).map((alpha): FusionGridPoint => ({
        pam: alpha,
        A: personalityScores(truth, fuse(pam, ram, { pam: alpha, ram: 1 - alpha }), ['accuracy']).A!.mean
    }));
    // Ties go to the larger α: the scan runs from α = 1 down and only a strictly better score replaces.
    let best = grid[grid.length - 1];
    for (let i = grid.length - 2; i >= 0; i--) if (grid[i].A > best.A) best = grid[i];
    return { weights: { pam: best.pam, ram: round(1 - best.pam) }, A: best.A, grid };
}

function round(x: number): number {
    return Math.round(x * 1e12) / 1e12;
}
