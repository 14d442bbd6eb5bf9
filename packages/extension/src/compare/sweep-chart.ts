/**
 * The view across a sweep: one metric (mean ± sd over seeds, as the tables give it) against one
 * setting that varies, a line per combination of the other varied settings. Drawn as SVG text from
 * `persemon compare --format json` (the runtime's Comparison), so it needs no script in the page.
 */
import type { Comparison } from '@persemon/runtime';

export interface ChartChoice {
    metric: string;
    setting: string;
}

export interface ChartPoint {
    series: string;
    x: unknown;
    mean: number;
    sd: number;
    n: number;
}

/** Metric keys every chart may show: those a configuration has a finite mean of, headline ones first. */
export function chartMetrics(c: Comparison): string[] {
    const keys = new Set<string>();
    for (const config of c.configurations) {
        for (const [key, stat] of Object.entries(config.metrics)) if (Number.isFinite(stat.mean)) keys.add(key);
    }
    const headline = (key: string) => (/\.(A|R2|MSE|PCC|CCC|mse|pcc|ccc)\.mean$/.test(key) ? 0 : 1);
    return [...keys].sort((a, b) => headline(a) - headline(b) || a.localeCompare(b));
}

/** The chart shown first: the first configuration's headline personality A (else emotion MSE) against the first setting. */
export function defaultChoice(c: Comparison): ChartChoice | undefined {
    const setting = c.settings[0];
    if (setting === undefined) return undefined;
    const predictor = c.configurations.find(config => config.predictor)?.predictor;
    const metrics = chartMetrics(c);
    const metric = [predictor && `personality.${predictor}.A.mean`, 'emotion.mse.mean', metrics[0]].find(m => m && metrics.includes(m));
    return metric ? { metric, setting } : undefined;
}

/** One point per configuration that has the metric: its value of `setting`, the rest of its settings naming its line. */
export function chartPoints(c: Comparison, choice: ChartChoice): ChartPoint[] {
    const others = c.settings.filter(s => s !== choice.setting);
    return c.configurations.flatMap(config => {
        const stat = config.metrics[choice.metric];
        if (!stat || !Number.isFinite(stat.mean)) return [];
        const series = others.length === 0 ? choice.metric : others.map(s => `${s}=${show(config.settings[s])}`).join(', ');
        // JSON writes a lone run's NaN sd as null.
        const sd = typeof stat.sd === 'number' && Number.isFinite(stat.sd) ? stat.sd : 0;
        return [{ series, x: config.settings[choice.setting], mean: stat.mean, sd, n: stat.n }];
    });
}

const W = 640;
const H = 320;
const M = { left: 64, right: 180, top: 16, bottom: 44 };
const COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function chartSvg(c: Comparison, choice: ChartChoice): string {
    const points = chartPoints(c, choice);
    if (points.length === 0) return `<p class="note">No configuration has ${escapeHtml(choice.metric)}.</p>`;
    const numeric = points.every(p => typeof p.x === 'number');
    const categories = numeric ? [] : [...new Set(points.map(p => show(p.x)))];
    const xs = points.map(p => p.x as number);
    const [x0, x1] = numeric ? pad(Math.min(...xs), Math.max(...xs)) : [0, categories.length - 1];
    const [y0, y1] = pad(Math.min(...points.map(p => p.mean - p.sd)), Math.max(...points.map(p => p.mean + p.sd)));
    const px = (p: ChartPoint) => {
        const v = numeric ? p.x as number : categories.indexOf(show(p.x));
        const span = x1 - x0 || 1;
        return M.left + (categories.length === 1 ? 0.5 : (v - x0) / span) * (W - M.left - M.right);
    };
    const py = (v: number) => M.top + (1 - (v - y0) / (y1 - y0 || 1)) * (H - M.top - M.bottom);
    const series = [...new Set(points.map(p => p.series))];
    const parts: string[] = [];
    // Axes, ticks and labels.
    parts.push(`<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" class="axis"/>`,
        `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" class="axis"/>`);
    for (let i = 0; i <= 4; i++) {
        const v = y0 + (i / 4) * (y1 - y0);
        parts.push(`<text x="${M.left - 6}" y="${py(v) + 4}" text-anchor="end" class="tick">${v.toFixed(3)}</text>`);
    }
    const xTicks = numeric ? [...new Set(xs)].sort((a, b) => a - b) : categories;
    for (const t of xTicks) {
        const x = px({ series: '', x: t, mean: 0, sd: 0, n: 0 });
        parts.push(`<text x="${x}" y="${H - M.bottom + 16}" text-anchor="middle" class="tick">${escapeHtml(show(t))}</text>`);
    }
    parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle" class="label">${escapeHtml(choice.setting)}</text>`,
        `<text x="14" y="${(M.top + H - M.bottom) / 2}" text-anchor="middle" class="label" transform="rotate(-90 14 ${(M.top + H - M.bottom) / 2})">${escapeHtml(choice.metric)}</text>`);
    series.forEach((name, s) => {
        const colour = COLOURS[s % COLOURS.length];
        const mine = points.filter(p => p.series === name).sort((a, b) => px(a) - px(b));
        if (mine.length > 1) parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${mine.map(p => `${px(p).toFixed(1)},${py(p.mean).toFixed(1)}`).join(' ')}"/>`);
        for (const p of mine) {
            const x = px(p).toFixed(1);
            if (p.sd > 0) parts.push(`<line x1="${x}" x2="${x}" y1="${py(p.mean - p.sd).toFixed(1)}" y2="${py(p.mean + p.sd).toFixed(1)}" stroke="${colour}"/>`);
            parts.push(`<circle cx="${x}" cy="${py(p.mean).toFixed(1)}" r="4" fill="${colour}" data-series="${escapeHtml(name)}" data-x="${escapeHtml(show(p.x))}" data-mean="${p.mean}" data-sd="${p.sd}" data-n="${p.n}"><title>${escapeHtml(`${name}\n${choice.setting}=${show(p.x)}: ${p.mean.toFixed(4)} ± ${p.sd.toFixed(4)} (n=${p.n})`)}</title></circle>`);
        }
        const ly = M.top + 14 + s * 18;
        parts.push(`<rect x="${W - M.right + 12}" y="${ly - 9}" width="10" height="10" fill="${colour}"/>`,
            `<text x="${W - M.right + 28}" y="${ly}" class="legend">${escapeHtml(name)}</text>`);
    });
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" class="sweep-chart" role="img" aria-label="${escapeHtml(`${choice.metric} against ${choice.setting}`)}">${parts.join('')}</svg>`;
}

/** A little room around the data; a single value gets a span of its own. */
function pad(lo: number, hi: number): [number, number] {
    if (lo === hi) return [lo - (Math.abs(lo) * 0.1 || 1), hi + (Math.abs(hi) * 0.1 || 1)];
    const m = (hi - lo) * 0.08;
    return [lo - m, hi + m];
}

function show(value: unknown): string {
    return typeof value === 'string' ? value : JSON.stringify(value);
}

export function escapeHtml(text: string): string {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
