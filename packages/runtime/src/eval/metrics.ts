/**
 * Evaluation metrics (section 4.1, and the field's), as Ignite-style metrics (reset / update /
 * compute) and as pure functions over whole arrays. Each computes only the metrics it is asked for
 * (`evaluate { metrics [...] }`); the others are absent from what it returns.
 *
 * - Personality, per trait and averaged over the five:
 *   mean accuracy A = 1 − mean|y − p| (eq. 14);
 *   the coefficient of determination R² = 1 − Σ(y − p)² / Σ(y − ȳ)², ȳ the mean of the truth over
 *   the evaluated videos. Eq. 15 as printed has (ȳ − p) in the denominator: a typo for the R² that the
 *   ChaLearn challenge scored. Where the truth is constant (Σ(y − ȳ)² = 0), R² is 1 for a perfect
 *   prediction and 0 otherwise (scikit-learn's convention);
 *   MSE = mean (y − p)² (the paper's Tables 5 and 6 report personality so);
 *   PCC and CCC (correlation.ts), null where undefined; their mean over the traits is null when
 *   any trait's is.
 * - Emotion: MSE, PCC and CCC of arousal and of valence over frames, and the mean of the two.
 * - The floor: a constant predictor of the training set's mean of each label (`labelMeans`,
 *   `constantPrediction`), evaluated with the same metrics.
 * Arrays are row-major: V·5 in TRAITS order, N·2 as [arousal, valence].
 */
import { EMOTIONS, METRIC_NAMES, TRAITS, type EmotionDimension, type MetricName, type Trait } from '@persemon/language';
import { concordance, pearson } from './correlation.js';

export type TraitScores = Record<Trait | 'mean', number>;
/** PCC or CCC per trait: null where undefined (a constant truth or prediction, see correlation.ts). */
export type TraitCorrelations = Record<Trait | 'mean', number | null>;

/** Keys present only for the metrics asked for: A (accuracy), R2 (r2), MSE (mse), PCC (pcc), CCC (ccc). */
export interface PersonalityScores {
    A?: TraitScores;
    R2?: TraitScores;
    MSE?: TraitScores;
    PCC?: TraitCorrelations;
    CCC?: TraitCorrelations;
}

export type EmotionScores = Record<EmotionDimension | 'mean', number>;
export type EmotionCorrelations = Record<EmotionDimension | 'mean', number | null>;

/** Emotion metrics, keys present only for those asked for (accuracy and r2 are personality's alone). */
export interface EmotionMetricScores {
    mse?: EmotionScores;
    pcc?: EmotionCorrelations;
    ccc?: EmotionCorrelations;
}

/** The metrics in the order reports and tables show them: the paper's A and R², then MSE, PCC, CCC. */
const REPORT_ORDER: readonly MetricName[] = ['accuracy', 'r2', 'mse', 'pcc', 'ccc'];

/** The metric names in that order, each once. */
export function orderedMetrics(metrics: readonly MetricName[]): MetricName[] {
    return REPORT_ORDER.filter(m => metrics.includes(m));
}

function checkShapes(truth: ArrayLike<number>, prediction: ArrayLike<number>, width: number): void {
    if (truth.length !== prediction.length || truth.length % width !== 0) {
        throw new Error(`metrics: ${truth.length} labels and ${prediction.length} predictions are not matching rows of ${width}`);
    }
}

/** The asked-for metrics per trait; keeps the videos seen, since R², PCC and CCC need the means over all of them. */
export class PersonalityMetric {
    private truth: number[] = [];
    private prediction: number[] = [];
    private readonly metrics: MetricName[];

    constructor(metrics: readonly MetricName[] = METRIC_NAMES) {
        this.metrics = orderedMetrics(metrics);
    }

    reset(): void {
        this.truth = [];
        this.prediction = [];
    }

    update(truth: ArrayLike<number>, prediction: ArrayLike<number>): void {
        checkShapes(truth, prediction, TRAITS.length);
        for (let i = 0; i < truth.length; i++) {
            this.truth.push(truth[i]);
            this.prediction.push(prediction[i]);
        }
    }

    compute(): PersonalityScores {
        const width = TRAITS.length;
        const rows = this.truth.length / width;
        if (rows === 0) throw new Error('metrics: no videos to score');
        const A = {} as TraitScores;
        const R2 = {} as TraitScores;
        const MSE = {} as TraitScores;
        const PCC = {} as TraitCorrelations;
        const CCC = {} as TraitCorrelations;
        TRAITS.forEach((trait, t) => {
            const y = column(this.truth, width, t);
            const p = column(this.prediction, width, t);
            let mean = 0;
            for (let i = 0; i < rows; i++) mean += y[i];
            mean /= rows;
            let absolute = 0;
            let residual = 0;
            let total = 0;
            for (let i = 0; i < rows; i++) {
                const e = y[i] - p[i];
                absolute += Math.abs(e);
                residual += e * e;
                total += (y[i] - mean) ** 2;
            }
            A[trait] = 1 - absolute / rows;
            R2[trait] = total > 0 ? 1 - residual / total : residual === 0 ? 1 : 0;
            MSE[trait] = residual / rows;
            if (this.metrics.includes('pcc')) PCC[trait] = pearson(y, p);
            if (this.metrics.includes('ccc')) CCC[trait] = concordance(y, p);
        });
        const all: Required<PersonalityScores> = {
            A: withMean(A), R2: withMean(R2), MSE: withMean(MSE), PCC: withNullableMean(PCC), CCC: withNullableMean(CCC)
        };
        const scores: PersonalityScores = {};
        for (const metric of this.metrics) {
            const key = PERSONALITY_KEYS[metric];
            (scores as Record<string, unknown>)[key] = all[key];
        }
        return scores;
    }
}

/** Where each metric goes in a personality report. */
export const PERSONALITY_KEYS = { accuracy: 'A', r2: 'R2', mse: 'MSE', pcc: 'PCC', ccc: 'CCC' } as const satisfies Record<MetricName, keyof PersonalityScores>;
/** The metrics emotion has (accuracy and r2 are the ChaLearn challenge's, for personality). */
export const EMOTION_METRICS = ['mse', 'pcc', 'ccc'] as const satisfies readonly MetricName[];

function column(values: readonly number[], width: number, index: number): Float64Array {
    const out = new Float64Array(values.length / width);
    for (let i = 0; i < out.length; i++) out[i] = values[i * width + index];
    return out;
}

function withMean(scores: TraitScores): TraitScores {
    scores.mean = TRAITS.reduce((s, t) => s + scores[t], 0) / TRAITS.length;
    return scores;
}

function withNullableMean(scores: TraitCorrelations): TraitCorrelations {
    const values = TRAITS.map(t => scores[t]);
    scores.mean = values.every(v => v !== null && v !== undefined) ? (values as number[]).reduce((s, v) => s + v, 0) / values.length : null;
    return scores;
}

/** MSE of arousal and valence over frames, and their mean, streamed (the emotion floor's measure). */
export class EmotionMetric {
    private squared = [0, 0];
    private rows = 0;

    reset(): void {
        this.squared = [0, 0];
        this.rows = 0;
    }

    update(truth: ArrayLike<number>, prediction: ArrayLike<number>): void {
        checkShapes(truth, prediction, EMOTIONS.length);
        for (let i = 0; i < truth.length; i++) this.squared[i % 2] += (truth[i] - prediction[i]) ** 2;
        this.rows += truth.length / 2;
    }

    compute(): EmotionScores {
        if (this.rows === 0) throw new Error('metrics: no frames to score');
        const [arousal, valence] = this.squared.map((s) => s / this.rows);
        return { arousal, valence, mean: (arousal + valence) / 2 };
    }
}

/**
 * MSE, PCC and CCC of arousal and valence, those asked for; keeps the frames seen, since PCC and
 * CCC need the means over all of them.
 */
export class EmotionMetrics {
    private readonly values: number[][] = [[], [], [], []];
    private readonly metrics: MetricName[];

    constructor(metrics: readonly MetricName[] = METRIC_NAMES) {
        this.metrics = orderedMetrics(metrics).filter(m => (EMOTION_METRICS as readonly MetricName[]).includes(m));
    }

    update(truth: ArrayLike<number>, prediction: ArrayLike<number>): void {
        checkShapes(truth, prediction, EMOTIONS.length);
        for (let i = 0; i < truth.length; i++) {
            this.values[i % 2].push(truth[i]);
            this.values[2 + (i % 2)].push(prediction[i]);
        }
    }

    compute(): EmotionMetricScores {
        const [ta, tv, pa, pv] = this.values;
        if (ta.length === 0) throw new Error('metrics: no frames to score');
        const scores: EmotionMetricScores = {};
        for (const metric of this.metrics) {
            if (metric === 'mse') {
                const arousal = meanSquared(ta, pa);
                const valence = meanSquared(tv, pv);
                scores.mse = { arousal, valence, mean: (arousal + valence) / 2 };
            } else {
                const measure = metric === 'pcc' ? pearson : concordance;
                const arousal = measure(ta, pa);
                const valence = measure(tv, pv);
                scores[metric as 'pcc' | 'ccc'] = { arousal, valence, mean: arousal === null || valence === null ? null : (arousal + valence) / 2 };
            }
        }
        return scores;
    }
}

function meanSquared(truth: readonly number[], prediction: readonly number[]): number {
    let sum = 0;
    for (let i = 0; i < truth.length; i++) sum += (truth[i] - prediction[i]) ** 2;
    return sum / truth.length;
}

export function personalityScores(truth: ArrayLike<number>, prediction: ArrayLike<number>, metrics: readonly MetricName[] = METRIC_NAMES): PersonalityScores {
    const metric = new PersonalityMetric(metrics);
    metric.update(truth, prediction);
    return metric.compute();
}

export function emotionScores(truth: ArrayLike<number>, prediction: ArrayLike<number>): EmotionScores {
    const metric = new EmotionMetric();
    metric.update(truth, prediction);
    return metric.compute();
}

/** Mean of each of the `width` columns of row-major labels (the floor's constant prediction). */
export function labelMeans(labels: ArrayLike<number>, width: number): number[] {
    const rows = labels.length / width;
    if (rows === 0 || !Number.isInteger(rows)) throw new Error(`metrics: ${labels.length} labels are not rows of ${width}`);
    const means = new Array<number>(width).fill(0);
    for (let i = 0; i < labels.length; i++) means[i % width] += labels[i];
    return means.map((m) => m / rows);
}

/** `rows` copies of `means`, row-major. */
export function constantPrediction(means: readonly number[], rows: number): Float32Array {
    const out = new Float32Array(rows * means.length);
    for (let i = 0; i < out.length; i++) out[i] = means[i % means.length];
    return out;
}
