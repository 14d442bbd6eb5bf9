/**
 * Scoring the JobSpec's evaluation targets (eval events), and the final evaluation that writes
 * predictions/ and report.json (merged: splits not evaluated now keep their results) and, when a run
 * ends there, the `done` event.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobSpec } from '@persemon/language';
import { evaluateEmotion, evaluatePersonality } from '../eval/evaluate.js';
import { emotionCsv, personalityCsv } from '../eval/predictions.js';
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
    for (const target of evaluationTargets(spec, only)) {
        const source = session.sources.get(target.dataset)!;
        if (target.kind === 'personality' && (spec.model.pam.enabled || spec.model.ram.enabled)) {
            const result = await evaluatePersonality(model, source, target.split, spec);
            if (!result) continue;
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
