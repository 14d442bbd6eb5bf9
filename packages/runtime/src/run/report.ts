/**
 * report.json (a run directory contract): the final metrics per split, as the last eval events hold
 * them. A later `persemon eval --split S` adds or replaces split S and keeps the others: a run's test
 * results are never lost to a look at its validation split. Each split's `personality.fusion` says
 * how PAM and RAM were fused there: with `fusion search`, the weights that evaluation chose.
 */
import * as fs from 'node:fs';
import type { FusionWeights } from '@persemon/language';
import type { EmotionReport, PersonalityReport } from '../eval/report.js';
import { writeFileAtomic } from './run-dir.js';

export interface SplitReport {
    /** The checkpoint's step these metrics were computed at. */
    step: number;
    personality?: PersonalityReport;
    emotion?: EmotionReport;
}

export interface Report {
    experiment: string;
    /** The step of the latest evaluation written into the report. */
    step: number;
    backend: string;
    splits: Record<string, SplitReport>;
}

/** Writes `update` into `file`, keeping the splits of the report already there that `update` does not hold. */
export function mergeReport(file: string, update: Report): Report {
    const splits = { ...readSplits(file), ...update.splits };
    const report: Report = { ...update, splits };
    writeFileAtomic(file, JSON.stringify(report, null, 2) + '\n');
    return report;
}

/** The splits of an existing report; none when there is no report or it is unreadable (it is rewritten whole). */
function readSplits(file: string): Record<string, SplitReport> {
    if (!fs.existsSync(file)) return {};
    try {
        const old = JSON.parse(fs.readFileSync(file, 'utf8')) as { step?: number; splits?: Record<string, Partial<SplitReport>> };
        if (typeof old.splits !== 'object' || old.splits === null) return {};
        // Reports written before splits carried their own step: the report's step is theirs.
        return Object.fromEntries(Object.entries(old.splits).map(([split, r]) => [split, { ...r, step: r.step ?? old.step ?? -1 }]));
    } catch {
        return {};
    }
}

/**
 * The fusion weights of the report's latest personality evaluation (the split of the highest step),
 * or undefined when it has none: what a run with `fusion search` fuses with after its evaluation.
 */
export function reportedFusion(file: string): FusionWeights | undefined {
    const latest = Object.values(readSplits(file))
        .filter(r => r.personality?.fusion)
        .sort((a, b) => b.step - a.step)[0];
    const fusion = latest?.personality?.fusion;
    return fusion && { pam: fusion.pam, ram: fusion.ram };
}
