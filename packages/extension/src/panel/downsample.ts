/**
 * Shaping series for display without changing the data: smoothing, and min/max buckets that keep
 * every spike while drawing at most two points per pixel column, whatever the run's length.
 */

export interface Points {
    xs: number[];
    ys: number[];
}

/**
 * Exponential moving average with TensorBoard's debiasing, so the first points are not pulled to 0.
 * weight 0 returns the values unchanged; non-finite values pass through without entering the average.
 */
export function smooth(ys: ArrayLike<number>, weight: number): number[] {
    const out = new Array<number>(ys.length);
    if (weight <= 0) {
        for (let i = 0; i < ys.length; i++) out[i] = ys[i];
        return out;
    }
    let last = 0;
    let debias = 0;
    for (let i = 0; i < ys.length; i++) {
        const y = ys[i];
        if (!Number.isFinite(y)) {
            out[i] = y;
            continue;
        }
        last = last * weight + (1 - weight) * y;
        debias = debias * weight + (1 - weight);
        out[i] = last / debias;
    }
    return out;
}

/**
 * At most two points per bucket (its minimum and maximum, in x order) over equal x ranges, plus the
 * first and last points. xs must be ascending; non-finite ys are skipped.
 */
export function minMaxBuckets(xs: ArrayLike<number>, ys: ArrayLike<number>, buckets: number): Points {
    const n = Math.min(xs.length, ys.length);
    if (n <= 2 * buckets + 2) return finite(xs, ys, n);
    const x0 = xs[0];
    const span = xs[n - 1] - x0 || 1;
    const out: Points = { xs: [], ys: [] };
    let bucket = -1;
    let minI = -1;
    let maxI = -1;
    const flush = () => {
        if (minI < 0) return;
        const [a, b] = minI <= maxI ? [minI, maxI] : [maxI, minI];
        out.xs.push(xs[a]);
        out.ys.push(ys[a]);
        if (b !== a) {
            out.xs.push(xs[b]);
            out.ys.push(ys[b]);
        }
    };
    for (let i = 0; i < n; i++) {
        const y = ys[i];
        if (!Number.isFinite(y)) continue;
        const b = Math.min(buckets - 1, Math.floor(((xs[i] - x0) / span) * buckets));
        if (b !== bucket) {
            flush();
            bucket = b;
            minI = maxI = i;
        } else {
            if (y < ys[minI]) minI = i;
            if (y > ys[maxI]) maxI = i;
        }
    }
    flush();
    return out;
}

function finite(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number): Points {
    const out: Points = { xs: [], ys: [] };
    for (let i = 0; i < n; i++) {
        if (!Number.isFinite(ys[i])) continue;
        out.xs.push(xs[i]);
        out.ys.push(ys[i]);
    }
    return out;
}

/** Round tick values covering [min, max] with about `count` ticks; `integer` for steps. */
export function niceTicks(min: number, max: number, count = 5, integer = false): number[] {
    if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
    // A range of a few ulps (a smoothed copy of a single value) is one value: without this the
    // step would vanish next to the values themselves.
    if (max - min <= 1e-9 * Math.max(Math.abs(min), Math.abs(max))) {
        const pad = Math.abs(min) * 0.5 || 1;
        min -= pad;
        max += pad;
    }
    const raw = (max - min) / Math.max(1, count);
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    const nice = [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s >= raw) ?? 10 * magnitude;
    const step = integer ? Math.max(1, Math.round(nice)) : nice;
    const first = Math.ceil(min / step);
    const ticks: number[] = [];
    for (let i = first; i * step <= max + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
    return ticks;
}
