/**
 * Evaluation metrics (section 4.1), as Ignite-style metrics (reset / update / compute) and as pure
 * functions over whole arrays.
 *
 * - Emotion: mean squared error of arousal and of valence over frames, and their mean.
 * - Personality, per trait and averaged over the five: mean accuracy A = 1 − mean|y − p| (eq. 14)
 *   and the coefficient of determination R² = 1 − Σ(y − p)² / Σ(y − ȳ)², ȳ the mean of the truth over
 *   the evaluated videos. Eq. 15 as printed has (ȳ − p) in the denominator: a typo for the R² that the
 *   ChaLearn challenge scored. Where the truth is constant (Σ(y − ȳ)² = 0), R² is 1 for a perfect
 *   prediction and 0 otherwise (scikit-learn's convention).
 * - The floor: a constant predictor of the training set's mean of each label (`labelMeans`,
 *   `constantPrediction`), evaluated with the same metrics.
 * Arrays are row-major: V·5 in TRAITS order, N·2 as [arousal, valence].
 */
import { EMOTIONS, TRAITS, type EmotionDimension, type Trait } from '@persemon/language';

export type TraitScores = Record<Trait | 'mean', number>;

export interface PersonalityScores {
    A: TraitScores;
    R2: TraitScores;
}

export type EmotionScores = Record<EmotionDimension | 'mean', number>;

function checkShapes(truth: ArrayLike<number>, prediction: ArrayLike<number>, width: number): void {
    if (truth.length !== prediction.length || truth.length % width !== 0) {
        throw new Error(`metrics: ${truth.length} labels and ${prediction.length} predictions are not matching rows of ${width}`);
    }
}

/** A and R² per trait; keeps the videos seen, since R² needs the truth's mean over all of them. */
export class PersonalityMetric {
    private truth: number[] = [];
    private prediction: number[] = [];

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
        TRAITS.forEach((trait, t) => {
            let mean = 0;
            for (let i = 0; i < rows; i++) mean += this.truth[i * width + t];
            mean /= rows;
            let absolute = 0;
            let residual = 0;
            let total = 0;
            for (let i = 0; i < rows; i++) {
                const y = this.truth[i * width + t];
                const e = y - this.prediction[i * width + t];
                absolute += Math.abs(e);
                residual += e * e;
                total += (y - mean) ** 2;
            }
            A[trait] = 1 - absolute / rows;
            R2[trait] = total > 0 ? 1 - residual / total : residual === 0 ? 1 : 0;
        });
        A.mean = TRAITS.reduce((s, t) => s + A[t], 0) / width;
        R2.mean = TRAITS.reduce((s, t) => s + R2[t], 0) / width;
        return { A, R2 };
    }
}

/** MSE of arousal and valence over frames, and their mean. */
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

export function personalityScores(truth: ArrayLike<number>, prediction: ArrayLike<number>): PersonalityScores {
    const metric = new PersonalityMetric();
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
