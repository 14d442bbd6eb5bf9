/**
 * What an evaluation of one split reports: the scores of each personality predictor and of EAM's
 * emotion, the metrics the run asks for (`evaluate { metrics }`), each beside the constant-mean
 * floor, and how PAM and RAM were fused. Eval events and report.json carry these objects as is.
 */
import type { FusionWeights } from '@persemon/language';
import type { FusionGridPoint } from './fusion-search.js';
import type { EmotionMetricScores, EmotionScores, PersonalityScores } from './metrics.js';

/**
 * How `fused` was made: fused = (pam·PAM + ram·RAM) / (pam + ram) with the spec's fixed weights or,
 * after a search, α and 1 − α with `search` saying where and how they were chosen.
 */
export interface FusionReport extends FusionWeights {
    search?: {
        /** `dataset.split` searched on. */
        on: string;
        step: number;
        /** What each grid point is scored by: the fused mean accuracy A. */
        score: 'A';
        /** The chosen point's score on the search split. */
        best: number;
        grid: FusionGridPoint[];
    };
}

/**
 * Keyed by predictor: pam, ram, fused, and `floor`: a constant predictor of the training mean;
 * `fusion` says how fused was made (present with fused).
 */
export type PersonalityReport = Partial<Record<'pam' | 'ram' | 'fused' | 'floor', PersonalityScores>> & { fusion?: FusionReport };

/** EAM's mse, pcc and ccc (those asked for), and the constant-mean floor's MSE (when mse is). */
export interface EmotionReport extends EmotionMetricScores {
    floor?: EmotionScores;
}
