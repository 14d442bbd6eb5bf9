/**
 * Exact t-SNE (van der Maaten and Hinton 2008, the paper's reference [46]) for the few hundred
 * points of Fig. 4: per-point Gaussian bandwidths found by bisection to a target perplexity,
 * symmetrised affinities, a Student-t map optimised by gradient descent with momentum, gains and
 * early exaggeration, as the authors' reference implementation does, with scikit-learn's learning rate
 * max(n / exaggeration / 4, 50) (a fixed 200 throws points of a small map far out). O(n²) per iteration: meant for
 * up to a few thousand points; umap-js (./embedding.ts) scales further.
 */
import { Random } from '../util/random.js';

export interface TsneOptions {
    perplexity?: number;
    iterations?: number;
    seed?: number;
}

export interface TsneResult {
    coords: Float64Array;
    /** The perplexity used: the one asked for, capped at (n - 1) / 3. */
    perplexity: number;
    iterations: number;
    /** KL(P || Q) of the final map. */
    kl: number;
}

const EXAGGERATION = 12;
const EXAGGERATED_ITERATIONS = 250;

/** Squared Euclidean distances, n x n row-major. */
export function squaredDistances(points: ArrayLike<number>, dim: number): Float64Array {
    const n = points.length / dim;
    const d = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
            let s = 0;
            for (let c = 0; c < dim; c++) {
                const diff = points[i * dim + c] - points[j * dim + c];
                s += diff * diff;
            }
            d[i * n + j] = s;
            d[j * n + i] = s;
        }
    }
    return d;
}

/**
 * The conditional affinities p(j|i), n x n row-major: row i is a Gaussian kernel on the distances
 * from point i whose bandwidth gives the row the entropy log(perplexity) (natural log).
 */
export function conditionalAffinities(distances: Float64Array, n: number, perplexity: number): Float64Array {
    const p = new Float64Array(n * n);
    const target = Math.log(perplexity);
    for (let i = 0; i < n; i++) {
        let beta = 1, lo = 0, hi = Infinity;
        for (let step = 0; step < 200; step++) {
            let sum = 0, weighted = 0;
            // Distances measured from the row's nearest neighbour, so exp() does not underflow.
            let min = Infinity;
            for (let j = 0; j < n; j++) if (j !== i && distances[i * n + j] < min) min = distances[i * n + j];
            for (let j = 0; j < n; j++) {
                if (j === i) continue;
                const e = Math.exp(-(distances[i * n + j] - min) * beta);
                p[i * n + j] = e;
                sum += e;
                weighted += (distances[i * n + j] - min) * e;
            }
            const entropy = Math.log(sum) + (beta * weighted) / sum;
            for (let j = 0; j < n; j++) p[i * n + j] /= sum;
            if (Math.abs(entropy - target) < 1e-6) break;
            // Too flat a kernel (entropy too high): narrow it.
            if (entropy > target) {
                lo = beta;
                beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
            } else {
                hi = beta;
                beta = (beta + lo) / 2;
            }
        }
    }
    return p;
}

export function tsne(points: ArrayLike<number>, dim: number, options: TsneOptions = {}): TsneResult {
    const n = points.length / dim;
    const perplexity = Math.min(options.perplexity ?? 30, (n - 1) / 3);
    const iterations = options.iterations ?? 1000;
    const random = new Random(options.seed ?? 0);
    const conditional = conditionalAffinities(squaredDistances(points, dim), n, perplexity);
    const P = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) if (i !== j) P[i * n + j] = Math.max((conditional[i * n + j] + conditional[j * n + i]) / (2 * n), 1e-12);
    }
    const Y = Float64Array.from({ length: 2 * n }, () => 1e-4 * random.normal());
    const update = new Float64Array(2 * n);
    const gains = new Float64Array(2 * n).fill(1);
    const num = new Float64Array(n * n);
    const grad = new Float64Array(2 * n);
    const learningRate = Math.max(n / EXAGGERATION / 4, 50);
    for (let it = 0; it < iterations; it++) {
        const exaggeration = it < EXAGGERATED_ITERATIONS ? EXAGGERATION : 1;
        const momentum = it < EXAGGERATED_ITERATIONS ? 0.5 : 0.8;
        const z = studentT(Y, n, num);
        grad.fill(0);
        for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
                if (i === j) continue;
                const q = num[i * n + j];
                const mult = 4 * (exaggeration * P[i * n + j] - q / z) * q;
                grad[2 * i] += mult * (Y[2 * i] - Y[2 * j]);
                grad[2 * i + 1] += mult * (Y[2 * i + 1] - Y[2 * j + 1]);
            }
        }
        for (let k = 0; k < 2 * n; k++) {
            gains[k] = Math.sign(grad[k]) !== Math.sign(update[k]) ? gains[k] + 0.2 : Math.max(gains[k] * 0.8, 0.01);
            update[k] = momentum * update[k] - learningRate * gains[k] * grad[k];
            Y[k] += update[k];
        }
        centre(Y, n);
    }
    return { coords: Y, perplexity, iterations, kl: klDivergence(P, Y, n) };
}

/** KL(P || Q) of a map Y for symmetric affinities P. */
export function klDivergence(P: Float64Array, Y: Float64Array, n: number): number {
    const num = new Float64Array(n * n);
    const z = studentT(Y, n, num);
    let kl = 0;
    for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
            if (i === j) continue;
            const p = P[i * n + j];
            kl += p * Math.log(p / Math.max(num[i * n + j] / z, 1e-12));
        }
    }
    return kl;
}

/** Fills num with 1 / (1 + |y_i - y_j|²) and returns their sum over i != j. */
function studentT(Y: Float64Array, n: number, num: Float64Array): number {
    let z = 0;
    for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
            const dx = Y[2 * i] - Y[2 * j];
            const dy = Y[2 * i + 1] - Y[2 * j + 1];
            const q = 1 / (1 + dx * dx + dy * dy);
            num[i * n + j] = q;
            num[j * n + i] = q;
            z += 2 * q;
        }
    }
    return z;
}

function centre(Y: Float64Array, n: number): void {
    let mx = 0, my = 0;
    for (let i = 0; i < n; i++) {
        mx += Y[2 * i];
        my += Y[2 * i + 1];
    }
    for (let i = 0; i < n; i++) {
        Y[2 * i] -= mx / n;
        Y[2 * i + 1] -= my / n;
    }
}
