/**
 * predictions/<split>-personality.csv and predictions/<split>-emotion.csv (a contract: README.md, "The CLI").
 * A switched-off module's columns stay, empty, so every run's files have the same header.
 */
import { TRAITS } from '@persemon/language';

export interface PersonalityPrediction {
    id: string;
    truth: number[];
    pam?: number[];
    ram?: number[];
    fused?: number[];
}

export interface EmotionPrediction {
    id: string;
    /** [arousal, valence] */
    truth: [number, number];
    pred: [number, number];
}

export function personalityCsv(rows: PersonalityPrediction[]): string {
    const groups = ['true', 'pam', 'ram', 'fused'] as const;
    const header = ['id', ...groups.flatMap(g => TRAITS.map(t => `${g}_${t}`))];
    const lines = rows.map(r => [
        csvField(r.id),
        ...[r.truth, r.pam, r.ram, r.fused].flatMap(values => TRAITS.map((_, i) => values ? num(values[i]) : ''))
    ].join(','));
    return [header.join(','), ...lines].join('\n') + '\n';
}

export function emotionCsv(rows: EmotionPrediction[]): string {
    const lines = rows.map(r => [csvField(r.id), num(r.truth[0]), num(r.truth[1]), num(r.pred[0]), num(r.pred[1])].join(','));
    return ['id,true_arousal,true_valence,pred_arousal,pred_valence', ...lines].join('\n') + '\n';
}

function num(v: number): string {
    return Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '';
}

/** RFC 4180 quoting for ids that hold commas or quotes (file names can). */
function csvField(text: string): string {
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
