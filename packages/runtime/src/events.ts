/**
 * What a reader of a run needs and nothing that runs: the events.jsonl and report types, the Big
 * Five in order, the loss terms a train event logs and the rows of the paper's Table 4. Types and
 * plain constants only, so a webview bundles this without TensorFlow.js or Node.
 */
import type { LossTerms } from './run/events.js';
import type { EmotionReport, PersonalityReport } from './eval/report.js';
import type { PersonalityScores } from './eval/metrics.js';

export type {
    RunEvent, NewEvent, StartEvent, TrainEvent, EvalEvent, CheckpointEvent, DataEvent, DoneEvent, ErrorEvent, StopEvent,
    WarningEvent, LossTerms
} from './run/events.js';
export type { PersonalityReport, EmotionReport, FusionReport } from './eval/report.js';
export type { FusionGridPoint } from './eval/fusion-search.js';
export type {
    PersonalityScores, EmotionScores, EmotionCorrelations, EmotionMetricScores, TraitScores, TraitCorrelations
} from './eval/metrics.js';
export type {
    FacePrediction, FramePrediction, ImagePrediction, VideoPrediction, PersonalityPrediction
} from './predict/predictor.js';
export { TRAITS, EMOTIONS, type Trait, type EmotionDimension } from '@persemon/language/job-spec';

/** A train event's `loss`: eq. 13's weighted `total`, then each term unweighted. */
export const LOGGED_LOSS_TERMS = ['total', 'per', 'emo', 'd', 'adv', 'ram'] as const satisfies ReadonlyArray<keyof LossTerms>;

/** The personality predictors an evaluation scores (the constant-mean floor aside). */
export const PREDICTORS = ['pam', 'ram', 'fused'] as const satisfies ReadonlyArray<keyof PersonalityReport>;
export type Predictor = (typeof PREDICTORS)[number];

/** The name of the constant predictor of the training mean, in personality and emotion tables. */
export const FLOOR_LABEL = 'Mean (floor)';

/** Table 4's rows in the paper's order: each predictor's key in a personality report and its label. */
export const PERSONALITY_ROWS = [
    ['fused', 'PAM+RAM'], ['pam', 'PAM'], ['ram', 'RAM'], ['floor', FLOOR_LABEL]
] as const satisfies ReadonlyArray<readonly [keyof PersonalityReport, string]>;

/**
 * The personality metrics in the order tables show them: each one's key in a predictor's scores,
 * its label and its decimals. A report holds only those its run asked for (`evaluate { metrics }`).
 */
export const PERSONALITY_METRICS = [
    ['A', 'A', 3], ['R2', 'R²', 3], ['MSE', 'MSE', 4], ['PCC', 'PCC', 3], ['CCC', 'CCC', 3]
] as const satisfies ReadonlyArray<readonly [keyof PersonalityScores, string, number]>;

/** The emotion metrics in the order tables show them: each one's key in an emotion report and its label. */
export const EMOTION_METRICS = [['mse', 'MSE'], ['pcc', 'PCC'], ['ccc', 'CCC']] as const satisfies ReadonlyArray<readonly [keyof EmotionReport, string]>;

// Fails to compile when LossTerms gains a term the list above lacks.
type Missing<T, List extends readonly unknown[]> = Exclude<keyof T, List[number]>;
const allLogged: Missing<LossTerms, typeof LOGGED_LOSS_TERMS> extends never ? true : never = true;
void allLogged;
