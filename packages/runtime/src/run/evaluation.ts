/**
 * Scoring the JobSpec's evaluation targets (eval events), and the final evaluation that writes
 * predictions/ and report.json (merged: splits not evaluated now keep their results) and, when a run
 * ends there, the `done` event.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isFusionSearch, type JobSpec, type SplitRefSpec } from '@persemon/language';
import { UserError } from '../errors.js';
import { evaluateEmotion, predictPersonality, scorePersonality, trainingTraits } from '../eval/evaluate.js';
import { searchFusion } from '../eval/fusion-search.js';
import { emotionCsv, personalityCsv, type PersonalityPrediction } from '../eval/predictions.js';
import type { FusionReport } from '../eval/report.js';
import { evaluationTargets, type EvaluationTarget } from '../eval/targets.js';
import { mergeReport, type Report, type SplitReport } from './report.js';
import { writeFileAtomic } from './run-dir.js';
import { emitData, type Session } from './session.js';

/** One target's predictions, as predictions/*.csv holds them. */
export interface Predictions {
    target: EvaluationTarget;
    csv: string;
}

export interface Evaluated {
    /** By split name, as report.json holds them. */
    reports: Record<string, SplitReport>;
    predictions: Predictions[];
}

/** Scores each target the model can predict, logging an eval event for each. */
export async function evaluate(session: Session, step: number, only?: string): Promise<Evaluated> {
    const { spec, sink, model } = session;
    const reports: Record<string, SplitReport> = {};
    const predictions: Predictions[] = [];
    const targets = evaluationTargets(spec, only);
    const personality = targets.some(t => t.kind === 'personality') && (spec.model.pam.enabled || spec.model.ram.enabled);
    const fusion = personality ? await chooseFusion(session) : undefined;
    for (const target of targets) {
        const source = session.sources.get(target.dataset)!;
        if (target.kind === 'personality' && fusion) {
            const predicted = fusion.predicted && sameSplit(fusion.predicted.target, target)
                ? fusion.predicted
                : await predictPersonality(model, source, target.split, spec);
            if (predicted.rows.length === 0) continue;
            const result = scorePersonality(predicted.rows, spec, fusion.report, trainingTraits(source));
            (reports[target.split] ??= { step }).personality = result.report;
            predictions.push({ target, csv: personalityCsv(result.rows) });
            sink.emit({ type: 'eval', step, split: target.split, dataset: target.dataset, personality: result.report });
        } else if (target.kind === 'emotion' && spec.model.eam.enabled) {
            const result = await evaluateEmotion(model, source, target.split, spec);
            if (!result) continue;
            (reports[target.split] ??= { step }).emotion = result.report;
            predictions.push({ target, csv: emotionCsv(result.rows) });
            sink.emit({ type: 'eval', step, split: target.split, dataset: target.dataset, emotion: result.report });
        }
    }
    return { reports, predictions };
}

/**
 * How PAM and RAM are fused at this evaluation: the spec's fixed weights, or those a grid search
 * chooses now on the search split's predictions (kept, in case that split is also evaluated).
 */
async function chooseFusion(session: Session): Promise<{ report: FusionReport; predicted?: { target: SplitRefSpec; rows: PersonalityPrediction[]; skipped: number } }> {
    const { spec, model } = session;
    const { fusion } = spec.evaluation;
    if (!isFusionSearch(fusion)) return { report: { pam: fusion.pam, ram: fusion.ram } };
    const { on, step } = fusion.search;
    // Without both predictors there is nothing to fuse: the weights are never used.
    if (!spec.model.pam.enabled || !spec.model.ram.enabled) return { report: { pam: 1, ram: 0 } };
    const source = session.sources.get(on.dataset);
    if (!source) throw new UserError(`fusion search on ${on.dataset}.${on.split}: the run has no dataset '${on.dataset}'`);
    const predicted = await predictPersonality(model, source, on.split, spec);
    const rows = predicted.rows.filter((r): r is PersonalityPrediction & { pam: number[]; ram: number[] } => !!r.pam && !!r.ram);
    if (rows.length === 0) {
        throw new UserError(`fusion search on ${on.dataset}.${on.split}: the split has no labelled video with a face to choose the weights on`);
    }
    const result = searchFusion(rows, step);
    return {
        report: { ...result.weights, search: { on: `${on.dataset}.${on.split}`, step, score: 'A', best: result.A, grid: result.grid } },
        predicted: { target: on, ...predicted }
    };
}

function sameSplit(a: SplitRefSpec, b: EvaluationTarget): boolean {
    return a.dataset === b.dataset && a.split === b.split;
}

export async function finalReport(session: Session, step: number, { only, done }: { only?: string; done: boolean }): Promise<Report> {
    const { dir, spec, sink } = session;
    const { reports, predictions } = await evaluate(session, step, only);
    // Counts again now that frames were read: faces not found, unreadable frames.
    emitData(session, step);
    fs.mkdirSync(dir.predictionsDir, { recursive: true });
    for (const { target, csv } of predictions) writeFileAtomic(path.join(dir.predictionsDir, predictionFileName(target, spec)), csv);
    const report: Report = { experiment: spec.experiment, step, backend: session.backend.name, splits: reports };
    mergeReport(dir.reportFile, report);
    if (done) sink.emit({ type: 'done', step, report: dir.reportFile });
    return report;
}

/**
 * predictions/<split>-personality.csv (or -emotion.csv); when two evaluated datasets share a split
 * name the dataset prefixes the file (`<dataset>.<split>-…`) so neither overwrites the other.
 */
export function predictionFileName(target: EvaluationTarget, spec: JobSpec): string {
    const refs = target.kind === 'personality' ? spec.evaluation.personality : spec.evaluation.emotion;
    const shared = refs.filter(r => r.split === target.split).length > 1;
    return shared ? `${target.dataset}.${target.split}-${target.kind}.csv` : `${target.split}-${target.kind}.csv`;
}
