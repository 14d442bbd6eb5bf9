/**
 * The final results laid out like the paper's Table 4 (and `persemon run`'s summary): for each run
 * and predictor (PAM+RAM, PAM, RAM, and the constant-mean floor), a row per metric the run logged
 * (A, R², MSE, PCC, CCC: those its `evaluate { metrics }` asked for), the average over the Big Five,
 * then each trait; emotion in rows of its own, a row per metric. An undefined PCC or CCC (a
 * constant truth or prediction) is null.
 */
import { EMOTION_METRICS, FLOOR_LABEL, PERSONALITY_METRICS, PERSONALITY_ROWS, TRAITS, type FusionReport } from '@persemon/runtime/events';
import type { EvalEvent } from '../runner/events.js';
import { evalKey } from '../runner/state.js';

export interface PersonalityRow {
    run: string;
    predictor: string;
    /** `dataset.split`, or the split alone when the event names no dataset. */
    split: string;
    step: number;
    /** The metric's label: A, R², MSE, PCC or CCC. */
    metric: string;
    /** Decimals to show. */
    digits: number;
    mean: number | null;
    /** In TRAITS order. */
    traits: Array<number | null>;
}

export interface EmotionRow {
    run: string;
    predictor: string;
    split: string;
    step: number;
    /** MSE, PCC or CCC. */
    metric: string;
    arousal: number | null;
    valence: number | null;
    mean: number | null;
}

/** How PAM and RAM were fused for a split's PAM+RAM rows. */
export interface FusionNote {
    run: string;
    split: string;
    step: number;
    text: string;
}

export interface RunEvals {
    label: string;
    evals: readonly EvalEvent[];
}

/** The latest evaluation of each evaluated split: what the run ended with (or has reached so far). */
export function latestBySplit(evals: readonly EvalEvent[]): EvalEvent[] {
    const latest = new Map<string, EvalEvent>();
    for (const evaluation of evals) {
        const seen = latest.get(evalKey(evaluation));
        if (!seen || evaluation.step >= seen.step) latest.set(evalKey(evaluation), evaluation);
    }
    return [...latest.values()];
}

export function finalTable(runs: readonly RunEvals[]): { personality: PersonalityRow[]; emotion: EmotionRow[]; fusion: FusionNote[] } {
    const personality: PersonalityRow[] = [];
    const emotion: EmotionRow[] = [];
    const fusion: FusionNote[] = [];
    for (const run of runs) {
        for (const evaluation of latestBySplit(run.evals)) {
            const split = evalKey(evaluation);
            const at = { run: run.label, split, step: evaluation.step };
            for (const [key, predictor] of PERSONALITY_ROWS) {
                const scores = evaluation.personality?.[key];
                if (!scores) continue;
                for (const [metric, label, digits] of PERSONALITY_METRICS) {
                    const values = scores[metric];
                    if (!values) continue;
                    personality.push({ ...at, predictor, metric: label, digits, mean: values.mean, traits: TRAITS.map(t => values[t]) });
                }
            }
            if (evaluation.personality?.fusion && evaluation.personality.fused) fusion.push({ ...at, text: describeFusion(evaluation.personality.fusion) });
            const report = evaluation.emotion;
            if (!report) continue;
            for (const [key, label] of EMOTION_METRICS) {
                const values = report[key];
                if (!values) continue;
                emotion.push({ ...at, predictor: 'EAM', metric: label, arousal: values.arousal, valence: values.valence, mean: values.mean });
                if (key === 'mse' && report.floor) emotion.push({ ...at, predictor: FLOOR_LABEL, metric: label, ...report.floor });
            }
        }
    }
    return { personality, emotion, fusion };
}

/** `PAM 0.85 : RAM 0.15, chosen on personas.validation (best mean A 0.9123 of 21 points)`, or `PAM 6 : RAM 1 (fixed)`. */
export function describeFusion(fusion: FusionReport): string {
    const weights = `PAM ${+fusion.pam.toFixed(6)} : RAM ${+fusion.ram.toFixed(6)}`;
    if (!fusion.search) return `${weights} (fixed)`;
    return `${weights}, chosen on ${fusion.search.on} (best mean A ${fusion.search.best.toFixed(4)} of ${fusion.search.grid.length} points, step ${fusion.search.step})`;
}
