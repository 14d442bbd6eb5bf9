/**
 * A Comparison written out: Markdown and LaTeX (booktabs) tables for papers and notes, CSV in long
 * form (one number a row, for spreadsheets and pandas), and JSON (the Comparison itself). The cells
 * are the same in every format: mean ± sd over the runs of a configuration.
 */
import {
    EMOTION_COLUMNS, PERSONALITY_METRICS, TABLE4_PREDICTORS, table4Keys, text, type Comparison, type Configuration, type Predictor, type Stat
} from './table.js';

export const COMPARE_FORMATS = ['md', 'csv', 'latex', 'json'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

export function formatComparison(comparison: Comparison, format: CompareFormat): string {
    switch (format) {
        case 'md': return markdown(comparison);
        case 'csv': return csv(comparison);
        case 'latex': return latex(comparison);
        case 'json': return JSON.stringify(comparison, null, 2);
    }
}

/** A table before it is written in one syntax: a caption, the header and rows of cell text. */
interface Grid {
    caption: string;
    header: string[];
    rows: string[][];
    /** Columns that hold numbers (right-aligned). */
    numeric: number;
}

const LABELS: Record<string, string> = { fused: 'PAM+RAM', pam: 'PAM', ram: 'RAM', mean: 'Average', A: 'A', R2: 'R²', MSE: 'MSE', PCC: 'PCC', CCC: 'CCC' };
const label = (key: string) => LABELS[key] ?? key.charAt(0).toUpperCase() + key.slice(1);

/** `0.912 ± 0.004`; MSE with four decimals; a lone run without ± (no sd); a missing value as `–`. */
export function cell(stat: Stat | undefined, key: string): string {
    if (!stat || stat.n === 0) return '–';
    const digits = /(^|\.)(MSE|mse)(\.|$)/.test(key) ? 4 : 3;
    return Number.isNaN(stat.sd) ? stat.mean.toFixed(digits) : `${stat.mean.toFixed(digits)} ± ${stat.sd.toFixed(digits)}`;
}

function settingColumns(c: Comparison): string[] {
    return c.settings.length > 0 ? c.settings : ['runs'];
}

function settingCells(c: Comparison, config: Configuration): string[] {
    return c.settings.length > 0 ? c.settings.map(p => text(config.settings[p])) : [config.label];
}

function runCount(config: Configuration): string {
    return String(config.runs.length);
}

function table4(c: Comparison): Grid {
    const header = [...settingColumns(c), 'Predictor', 'n', ...table4Keys('fused').map(k => `${label(k.trait)} ${label(k.metric)}`)];
    const rows: string[][] = [];
    for (const config of c.configurations) {
        for (const [predictor, name] of TABLE4_PREDICTORS) {
            if (!(`personality.${predictor}.A.mean` in config.metrics)) continue;
            rows.push([...settingCells(c, config), name, runCount(config), ...table4Keys(predictor).map(k => cell(config.metrics[k.key], k.key))]);
        }
    }
    return { caption: `Table 4: apparent personality on ${c.personalitySplit}, A and R² per trait (mean ± sd over seeds)`, header, rows, numeric: header.length - settingColumns(c).length - 1 };
}

/** The personality and emotion columns any configuration has. */
function table56Columns(c: Comparison): Array<{ title: string; key: (config: Configuration) => string }> {
    const has = (key: (config: Configuration) => string) => c.configurations.some(config => key(config) in config.metrics);
    const columns: Array<{ title: string; key: (config: Configuration) => string }> = [];
    for (const metric of PERSONALITY_METRICS) {
        const key = (config: Configuration) => `personality.${config.predictor ?? 'fused'}.${metric}.mean`;
        if (has(key)) columns.push({ title: `Personality ${label(metric)}`, key });
    }
    for (const column of EMOTION_COLUMNS) {
        const [kind, dimension] = column.split('.');
        const key = () => `emotion.${column}`;
        if (has(key)) columns.push({ title: `${dimension === 'mean' ? 'Emotion' : label(dimension)} ${kind.toUpperCase()}`, key });
    }
    return columns;
}

function table56(c: Comparison): Grid {
    const columns = table56Columns(c);
    const header = [...settingColumns(c), 'Personality from', 'n', ...columns.map(col => col.title)];
    const rows = c.configurations.map(config => [
        ...settingCells(c, config), config.predictor ? label(config.predictor) : '–', runCount(config),
        ...columns.map(col => cell(config.metrics[col.key(config)], col.key(config)))
    ]);
    const where = [c.personalitySplit && `personality on ${c.personalitySplit}`, c.emotionSplit && `emotion on ${c.emotionSplit}`].filter(Boolean).join(', ');
    return { caption: `Tables 5-6: personality (mean over traits) and emotion errors per configuration, ${where} (mean ± sd over seeds)`, header, rows, numeric: header.length - settingColumns(c).length - 1 };
}

function tests(c: Comparison): Grid {
    const header = ['Configuration', 'Against', 'Metric', 'Pairs', 'Mean difference', 't', 'df', 'p'];
    const rows = c.tests.map(r => [
        r.configuration, r.against, metricName(r.metric), String(r.test.n), r.test.meanDifference.toFixed(4),
        formatNumber(r.test.t, 3), String(r.test.df), formatP(r.test.p)
    ]);
    return { caption: `Paired test: ${c.testName}; runs paired by ${c.pairedBy.join(', ')}`, header, rows, numeric: 5 };
}

/** `personality.fused.A.mean` -> `PAM+RAM A (average)`. */
export function metricName(key: string): string {
    const parts = key.split('.');
    if (parts[0] === 'personality') return `${label(parts[1])} ${label(parts[2])} (${parts[3] === 'mean' ? 'average' : parts[3]})`;
    return `emotion ${parts[1].toUpperCase()} (${parts[2] === 'mean' ? 'average' : parts[2]})`;
}

function formatNumber(value: number, digits: number): string {
    if (Number.isNaN(value)) return '–';
    if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
    return value.toFixed(digits);
}

function formatP(p: number): string {
    if (Number.isNaN(p)) return '–';
    return p < 1e-4 ? p.toExponential(2) : p.toPrecision(3);
}

function grids(c: Comparison): Grid[] {
    const all: Grid[] = [];
    if (c.personalitySplit !== null) all.push(table4(c));
    all.push(table56(c));
    if (c.tests.length > 0) all.push(tests(c));
    return all;
}

function markdown(c: Comparison): string {
    const escape = (s: string) => s.replace(/\|/g, '\\|');
    return grids(c).map(g => {
        const align = g.header.map((_, i) => (i >= g.header.length - g.numeric ? '---:' : '---'));
        return [`### ${g.caption}`, '', `| ${g.header.map(escape).join(' | ')} |`, `| ${align.join(' | ')} |`,
            ...g.rows.map(r => `| ${r.map(escape).join(' | ')} |`)].join('\n');
    }).join('\n\n') + '\n';
}

function latex(c: Comparison): string {
    const escape = (s: string) => s
        .replace(/\\/g, '\\textbackslash{}').replace(/([&%$#_{}])/g, '\\$1').replace(/~/g, '\\textasciitilde{}').replace(/\^/g, '\\textasciicircum{}')
        .replace(/ ± /g, ' $\\pm$ ').replace(/R²/g, 'R$^2$').replace(/∞/g, '$\\infty$').replace(/−/g, '$-$').replace(/–/g, '--');
    return grids(c).map(g => {
        const spec = g.header.map((_, i) => (i >= g.header.length - g.numeric ? 'r' : 'l')).join('');
        return ['\\begin{table}[t]', '\\centering', `\\caption{${escape(g.caption)}}`, `\\begin{tabular}{${spec}}`, '\\toprule',
            `${g.header.map(escape).join(' & ')} \\\\`, '\\midrule', ...g.rows.map(r => `${r.map(escape).join(' & ')} \\\\`),
            '\\bottomrule', '\\end{tabular}', '\\end{table}'].join('\n');
    }).join('\n\n') + '\n';
}

/** One number a row: `table`, the settings, then what the number is and its mean, sd (and t, df, p for tests). */
function csv(c: Comparison): string {
    const header = ['table', ...c.settings, 'n', 'predictor', 'metric', 'target', 'mean', 'sd', 't', 'df', 'p', 'against'];
    const rows: Array<Array<string | number>> = [];
    const settings = (config: Configuration) => c.settings.map(p => text(config.settings[p]));
    const number = (v: number) => (Number.isFinite(v) ? v : Number.isNaN(v) ? '' : v > 0 ? 'inf' : '-inf');
    const stat = (s: Stat) => [number(s.mean), number(s.sd)];
    for (const config of c.configurations) {
        for (const [predictor] of TABLE4_PREDICTORS) {
            for (const k of table4Keys(predictor)) {
                const s = config.metrics[k.key];
                if (s) rows.push(['table4', ...settings(config), s.n, predictor, k.metric, k.trait, ...stat(s), '', '', '', '']);
            }
        }
        for (const metric of PERSONALITY_METRICS) {
            const s = config.predictor ? config.metrics[`personality.${config.predictor}.${metric}.mean`] : undefined;
            if (s) rows.push(['tables5-6', ...settings(config), s.n, config.predictor as Predictor, metric, 'mean', ...stat(s), '', '', '', '']);
        }
        for (const column of EMOTION_COLUMNS) {
            const s = config.metrics[`emotion.${column}`];
            const [kind, dimension] = column.split('.');
            if (s) rows.push(['tables5-6', ...settings(config), s.n, 'eam', kind.toUpperCase(), dimension, ...stat(s), '', '', '', '']);
        }
    }
    for (const r of c.tests) {
        const config = c.configurations.find(x => x.label === r.configuration)!;
        const parts = r.metric.split('.');
        const [predictor, metric, target] = parts[0] === 'personality' ? parts.slice(1) : ['eam', parts[1].toUpperCase(), parts[2]];
        rows.push(['paired-t', ...settings(config), r.test.n, predictor, metric, target, number(r.test.meanDifference), number(r.test.sdDifference),
            number(r.test.t), r.test.df, number(r.test.p), r.against]);
    }
    return [header, ...rows].map(row => row.map(v => csvField(String(v))).join(',')).join('\n') + '\n';
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(value: string): string {
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
