/**
 * The final metrics as text: for each metric the run asks for, a block laid out like the paper's
 * Table 4 (one row per predictor; the average over the Big Five, then each trait), how PAM and RAM
 * were fused, then emotion as in Table 2 (a row per metric). An undefined PCC or CCC (a constant
 * truth or prediction) shows as `–`.
 */
import { TRAITS } from '@persemon/language';
import { EMOTION_METRICS, FLOOR_LABEL, PERSONALITY_METRICS, PERSONALITY_ROWS } from '../events.js';
import type { PersonalityScores } from './metrics.js';
import type { EmotionReport, FusionReport, PersonalityReport } from './report.js';

const HEAD = ['Average', 'Extraversion', 'Agreeableness', 'Conscientiousness', 'Neuroticism', 'Openness'];

const METRIC_TITLES: Partial<Record<keyof PersonalityScores, string>> = {
    A: 'A (mean accuracy)', PCC: 'PCC (Pearson)', CCC: 'CCC (Lin\'s concordance)'
};

export function formatPersonalityTable(title: string, report: PersonalityReport): string {
    const cell = 19;
    const label = 16;
    const lines = [title, ''.padEnd(label) + HEAD.map(h => h.padEnd(cell)).join('')];
    for (const [key, name, digits] of PERSONALITY_METRICS) {
        const rows = PERSONALITY_ROWS.filter(([predictor]) => report[predictor]?.[key]);
        if (rows.length === 0) continue;
        lines.push(METRIC_TITLES[key] ?? name);
        for (const [predictor, predictorName] of rows) {
            const scores = report[predictor]![key]!;
            lines.push(`  ${predictorName}`.padEnd(label) + (['mean', ...TRAITS] as const).map(t => formatValue(scores[t], digits).padEnd(cell)).join(''));
        }
    }
    if (report.fusion) lines.push(formatFusion(report.fusion));
    return lines.join('\n');
}

/** `fusion: PAM 0.85, RAM 0.15, chosen by a search on d.validation (step 0.05, 21 points): mean A 0.912`. */
export function formatFusion(fusion: FusionReport): string {
    const weights = `fusion: PAM ${round(fusion.pam)}, RAM ${round(fusion.ram)}`;
    if (!fusion.search) return `${weights} (fixed)`;
    const { on, step, grid, best } = fusion.search;
    return `${weights}, chosen by a search on ${on} (step ${step}, ${grid.length} points): mean A ${best.toFixed(4)}`;
}

export function formatEmotionTable(title: string, report: EmotionReport): string {
    const lines = [title, `${''.padEnd(14)}${'Arousal'.padEnd(10)}${'Valence'.padEnd(10)}Mean`];
    const row = (name: string, m: Record<'arousal' | 'valence' | 'mean', number | null>) =>
        `${name.padEnd(14)}${formatValue(m.arousal, 4).padEnd(10)}${formatValue(m.valence, 4).padEnd(10)}${formatValue(m.mean, 4)}`;
    for (const [key, name] of EMOTION_METRICS) {
        const scores = report[key];
        if (!scores) continue;
        lines.push(row(`EAM (${name})`, scores));
        if (key === 'mse' && report.floor) lines.push(row(FLOOR_LABEL, report.floor));
    }
    return lines.join('\n');
}

/** A value with a space where a minus sign would be, so columns align; `–` for an undefined one. */
function formatValue(v: number | null | undefined, digits: number): string {
    if (v === null || v === undefined || !Number.isFinite(v)) return ' –';
    return (v >= 0 ? ' ' : '') + v.toFixed(digits);
}

function round(v: number): number {
    return Math.round(v * 1e6) / 1e6;
}

/** The headline of a predictor's scores for a progress line: A and R² when the run has them, else what it has. */
export function personalitySummary(scores: PersonalityScores): string {
    const parts: string[] = [];
    if (scores.A) parts.push(`A ${scores.A.mean.toFixed(3)}`);
    if (scores.R2) parts.push(`R² ${scores.R2.mean.toFixed(3)}`);
    if (parts.length === 0) {
        for (const [key, label, digits] of PERSONALITY_METRICS) {
            const values = scores[key];
            if (values) parts.push(`${label} ${formatValue(values.mean, digits).trim()}`);
        }
    }
    return parts.join(' ');
}

/** The headline of emotion for a progress line: its mean MSE when the run has it, else its mean CCC or PCC. */
export function emotionSummary(report: EmotionReport): string {
    const [key, name] = EMOTION_METRICS.find(([k]) => report[k]) ?? [];
    if (!key || !name) return 'emotion (no metric asked for)';
    return `emotion ${name} ${formatValue(report[key]!.mean, 4).trim()}`;
}
