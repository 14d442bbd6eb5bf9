/**
 * What a comparison over seeds needs: mean, sample standard deviation, and the two-sided paired
 * t-test (Student's t of the differences, n − 1 degrees of freedom), its p-value from the t
 * distribution through the regularised incomplete beta function:
 *   P(|T| ≥ |t|) = I_x(df/2, 1/2),  x = df / (df + t²).
 * Plain functions over numbers, without Node or TensorFlow.js, so a webview can compute the same table.
 */

export function mean(values: readonly number[]): number {
    if (values.length === 0) return Number.NaN;
    return values.reduce((s, v) => s + v, 0) / values.length;
}

/** The sample standard deviation (n − 1 in the denominator); NaN below two values. */
export function sampleSd(values: readonly number[]): number {
    if (values.length < 2) return Number.NaN;
    const m = mean(values);
    return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

export interface PairedTTest {
    /** Pairs compared. */
    n: number;
    /** Mean of a − b. */
    meanDifference: number;
    /** Sample standard deviation of a − b. */
    sdDifference: number;
    t: number;
    df: number;
    /** Two-sided. */
    p: number;
}

/**
 * The paired t-test of `a` against `b` (equal lengths, paired by index). Identical differences give
 * t = ±∞ and p = 0 when they are not all zero, t = NaN and p = 1 when they are (nothing differs).
 */
export function pairedTTest(a: readonly number[], b: readonly number[]): PairedTTest {
    if (a.length !== b.length) throw new Error(`paired t-test: ${a.length} and ${b.length} values do not pair`);
    const d = a.map((v, i) => v - b[i]);
    const n = d.length;
    const m = mean(d);
    const sd = sampleSd(d);
    const df = n - 1;
    if (n < 2) return { n, meanDifference: m, sdDifference: sd, t: Number.NaN, df, p: Number.NaN };
    if (sd === 0) return { n, meanDifference: m, sdDifference: 0, t: m === 0 ? Number.NaN : Math.sign(m) * Infinity, df, p: m === 0 ? 1 : 0 };
    const t = m / (sd / Math.sqrt(n));
    return { n, meanDifference: m, sdDifference: sd, t, df, p: studentTTwoSided(t, df) };
}

/** P(|T| ≥ |t|) for Student's t with `df` degrees of freedom (df > 0, not necessarily whole). */
export function studentTTwoSided(t: number, df: number): number {
    if (!(df > 0) || Number.isNaN(t)) return Number.NaN;
    if (!Number.isFinite(t)) return 0;
    return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** I_x(a, b), by the continued fraction of Numerical Recipes (6.4), on the side where it converges fast. */
export function regularizedBeta(x: number, a: number, b: number): number {
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
    return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** The continued fraction for I_x(a, b), evaluated by the modified Lentz method. */
function betaFraction(x: number, a: number, b: number): number {
    const tiny = 1e-300;
    const qab = a + b;
    const qap = a + 1;
    const qam = a - 1;
    let c = 1;
    let d = 1 - (qab * x) / qap;
    if (Math.abs(d) < tiny) d = tiny;
    d = 1 / d;
    let h = d;
    for (let m = 1; m <= 300; m++) {
        const m2 = 2 * m;
        let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        if (Math.abs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (Math.abs(c) < tiny) c = tiny;
        d = 1 / d;
        h *= d * c;
        aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        if (Math.abs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (Math.abs(c) < tiny) c = tiny;
        d = 1 / d;
        const step = d * c;
        h *= step;
        if (Math.abs(step - 1) < 1e-15) break;
    }
    return h;
}

/** ln Γ(x) for x > 0: Lanczos' approximation (g = 7, 9 terms), accurate to about 15 digits. */
export function logGamma(x: number): number {
    if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    const g = 7;
    const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
    const z = x - 1;
    let sum = c[0];
    for (let i = 1; i < g + 2; i++) sum += c[i] / (z + i);
    const t = z + g + 0.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
