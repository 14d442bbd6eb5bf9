/**
 * Agreement between a prediction and the truth beyond squared error, as the field reports it:
 * Pearson's correlation (PCC; DeepPersonality reports it for the Big Five) and Lin's concordance
 * correlation coefficient (CCC; Aff-Wild's official measure of arousal and valence).
 *
 *   PCC = s_xy / (s_x · s_y)
 *   CCC = 2·s_xy / (s_x² + s_y² + (x̄ − ȳ)²)
 *
 * with population moments (divided by n), as Lin defined CCC and as the Aff-Wild evaluation computes
 * it; PCC is the same with either divisor. Both are computed in float64 in passes (the mean, its
 * correction, then the moments), so that values near a large mean keep their precision.
 *
 * Where a measure is 0/0 it is undefined and returned as null (JSON has no NaN): PCC when the truth
 * or the prediction is constant (or there are fewer than two values); CCC only when both are the
 * same constant (a constant prediction of a varying truth, or a varying prediction of a constant
 * truth, has CCC 0: the formula is defined there and says "no agreement").
 */

/** Pearson's correlation of x and y, or null where it is undefined (a constant side). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
    const m = moments(x, y);
    if (!m || m.vx === 0 || m.vy === 0) return null;
    return clamp(m.cxy / Math.sqrt(m.vx * m.vy));
}

/** Lin's concordance correlation coefficient of x and y, or null where it is 0/0 (both the same constant). */
export function concordance(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
    const m = moments(x, y);
    if (!m) return null;
    const denominator = m.vx + m.vy + (m.mx - m.my) ** 2;
    if (denominator === 0) return null;
    return clamp((2 * m.cxy) / denominator);
}

/** Means, population variances and covariance; null for no values. */
function moments(x: ArrayLike<number>, y: ArrayLike<number>): { mx: number; my: number; vx: number; vy: number; cxy: number } | null {
    if (x.length !== y.length) throw new Error(`correlation: ${x.length} values and ${y.length} values`);
    const n = x.length;
    if (n === 0) return null;
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= n;
    my /= n;
    // The corrected two-pass mean: the sum of many values near a large mean rounds, and the
    // residuals' mean takes that rounding back out (it would otherwise reach CCC through (x̄ − ȳ)²).
    let rx = 0;
    let ry = 0;
    for (let i = 0; i < n; i++) {
        rx += x[i] - mx;
        ry += y[i] - my;
    }
    mx += rx / n;
    my += ry / n;
    let vx = 0;
    let vy = 0;
    let cxy = 0;
    for (let i = 0; i < n; i++) {
        const dx = x[i] - mx;
        const dy = y[i] - my;
        vx += dx * dx;
        vy += dy * dy;
        cxy += dx * dy;
    }
    // A side whose values are all equal is constant exactly: its mean, computed, can differ from
    // the value by rounding and leave a spurious variance of ~1e-34.
    const xConstant = constant(x);
    const yConstant = constant(y);
    if (xConstant) [mx, vx, cxy] = [x[0], 0, 0];
    if (yConstant) [my, vy, cxy] = [y[0], 0, 0];
    return { mx, my, vx: vx / n, vy: vy / n, cxy: cxy / n };
}

function constant(values: ArrayLike<number>): boolean {
    for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
    return true;
}

/** Rounding can carry a perfect correlation a hair past ±1. */
function clamp(r: number): number {
    return Math.max(-1, Math.min(1, r));
}
