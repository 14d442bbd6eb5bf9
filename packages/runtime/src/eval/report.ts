/**
 * What an evaluation of one split reports: the scores of each personality predictor and the emotion
 * MSE, each beside the constant-mean floor. Eval events and report.json carry these objects as is.
 */
import type { EmotionScores, PersonalityScores } from './metrics.js';

/** Keyed by predictor: pam, ram, fused, and `floor`: a constant predictor of the training mean. */
export type PersonalityReport = Partial<Record<'pam' | 'ram' | 'fused' | 'floor', PersonalityScores>>;

export interface EmotionReport {
    mse: EmotionScores;
    /** The constant-mean floor's MSE. */
    floor?: EmotionScores;
}
