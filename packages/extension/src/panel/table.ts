/**
 * The final results laid out like the paper's Table 4 (and `persemon run`'s summary): one row per
 * run and predictor (PAM+RAM, PAM, RAM, and the constant-mean floor), the average A and R² over the
 * Big Five, then A and R² of each trait; emotion MSE in rows of its own.
 */
import { FLOOR_LABEL, PERSONALITY_ROWS, TRAITS } from '@persemon/runtime/events';
import type { EvalEvent } from '../runner/events.js';
import { evalKey } from '../runner/state.js';

export interface PersonalityRow {
    run: string;
    predictor: string;
    /** `dataset.split`, or the split alone when the event names no dataset. */
    split: string;
    step: number;
    A: number[];
    meanA: number;
    R2: number[];
    meanR2: number;
}

export interface EmotionRow {
    run: string;
    predictor: string;
    split: string;
    step: number;
    arousal: number;
    valence: number;
    mean: number;
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

export function finalTable(runs: readonly RunEvals[]): { personality: PersonalityRow[]; emotion: EmotionRow[] } {
    const personality: PersonalityRow[] = [];
    const emotion: EmotionRow[] = [];
    for (const run of runs) {
        for (const evaluation of latestBySplit(run.evals)) {
            const split = evalKey(evaluation);
            for (const [key, predictor] of PERSONALITY_ROWS) {
                const scores = evaluation.personality?.[key];
                if (!scores) continue;
                personality.push({
                    run: run.label, predictor, split, step: evaluation.step,
                    A: TRAITS.map(t => scores.A[t]), meanA: scores.A.mean,
                    R2: TRAITS.map(t => scores.R2[t]), meanR2: scores.R2.mean
                });
            }
            const emotionScores = evaluation.emotion;
            if (emotionScores) {
                emotion.push({ run: run.label, predictor: 'EAM', split, step: evaluation.step, ...emotionScores.mse });
                if (emotionScores.floor) emotion.push({ run: run.label, predictor: FLOOR_LABEL, split, step: evaluation.step, ...emotionScores.floor });
            }
        }
    }
    return { personality, emotion };
}
