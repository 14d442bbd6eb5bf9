/**
 * The final metrics laid out like the paper's Table 4 (A and R² per trait and averaged, one row per
 * predictor) followed by emotion MSE as in Table 2.
 */
import { TRAITS } from '@persemon/language';
import { FLOOR_LABEL, PERSONALITY_ROWS } from '../events.js';
import type { EmotionReport, PersonalityReport } from './report.js';

const HEAD = ['Average', 'Extraversion', 'Agreeableness', 'Conscientiousness', 'Neuroticism', 'Openness'];

export function formatPersonalityTable(title: string, report: PersonalityReport): string {
    const cell = 19;
    const label = 14;
    const pad = (s: string, n: number) => s.padEnd(n);
    const lines = [title, pad('', label) + HEAD.map(h => pad(h, cell)).join('')];
    lines.push(pad('', label) + HEAD.map(() => pad('A      R²', cell)).join(''));
    for (const [key, name] of PERSONALITY_ROWS) {
        const scores = report[key];
        if (!scores) continue;
        const cols = (['mean', ...TRAITS] as const).map(t => pad(`${scores.A[t].toFixed(3)}  ${fmtR2(scores.R2[t])}`, cell));
        lines.push(pad(name, label) + cols.join(''));
    }
    return lines.join('\n');
}

export function formatEmotionTable(title: string, report: EmotionReport): string {
    const lines = [title, `${''.padEnd(14)}${'Arousal'.padEnd(10)}${'Valence'.padEnd(10)}Mean`];
    const row = (name: string, m: { arousal: number; valence: number; mean: number }) =>
        `${name.padEnd(14)}${m.arousal.toFixed(4).padEnd(10)}${m.valence.toFixed(4).padEnd(10)}${m.mean.toFixed(4)}`;
    lines.push(row('EAM (MSE)', report.mse));
    if (report.floor) lines.push(row(FLOOR_LABEL, report.floor));
    return lines.join('\n');
}

function fmtR2(v: number): string {
    return (v >= 0 ? ' ' : '') + v.toFixed(3);
}
