/**
 * The metrics page: keeps every point the host sent, and on each frame smooths and downsamples to
 * the canvas width before drawing, so a run of 100,000 steps draws as fast as one of 1,000.
 */
import { LOGGED_LOSS_TERMS, PREDICTORS, TRAITS, type Predictor } from '@persemon/runtime/events';
import type { EvalEvent } from '../../src/runner/events.js';
import { TrainColumns, type Column } from '../../src/panel/columns.js';
import { minMaxBuckets, smooth } from '../../src/panel/downsample.js';
import type { HostMessage, PageMessage, PanelState, RunInfo } from '../../src/panel/messages.js';
import { finalTable } from '../../src/panel/table.js';
import { evalKey } from '../../src/runner/state.js';
import { drawChart, type Series, type Theme } from './chart.js';
import { cssColor, element, vscodeApi } from './vscode-api.js';

interface RunData {
    info: RunInfo;
    train: TrainColumns;
    evals: EvalEvent[];
}

interface ChartDef {
    id: string;
    title: string;
    series(width: number): Series[];
    /** Hidden while every value is 0 (a switched-off loss term). */
    hideWhenZero?: Column;
    /** Hidden while no run logs it (a metric `evaluate { metrics }` did not ask for). */
    hideWhenEmpty?: boolean;
}

const api = vscodeApi<PageMessage, PanelState>();
/** When the page started, got its runs, got their rows and first drew them (ms since the epoch): for the e2e. */
const timings: Record<string, number> = { navigation: Math.round(performance.timeOrigin), script: Date.now() };
let state: PanelState = api.getState() ?? { runs: [] };
let runs = new Map<string, RunData>();
let smoothing = state.smoothing ?? 0.6;

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-purple', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#f14c4c', '#b180d7', '#cca700'];
const TERM_TITLES: Record<(typeof LOGGED_LOSS_TERMS)[number], string> = {
    total: 'Total loss', per: 'L_per — personality (PAM)', emo: 'L_emo — emotion (EAM)',
    d: 'L_D — dataset discriminator', adv: 'L_adv — adversarial', ram: 'L_RAM — relationship'
};

function color(i: number): string {
    return cssColor(PALETTE[i % PALETTE.length], FALLBACK[i % FALLBACK.length]);
}

function theme(): Theme {
    const style = getComputedStyle(document.body);
    return {
        foreground: cssColor('--vscode-foreground', '#cccccc'),
        grid: cssColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)'),
        background: cssColor('--vscode-editor-background', '#1e1e1e'),
        font: `${style.getPropertyValue('--vscode-font-size').trim() || '12px'} ${style.getPropertyValue('--vscode-font-family').trim() || 'sans-serif'}`
    };
}

function persist(): void {
    api.setState(state);
}

// --- series ------------------------------------------------------------------------------------

function trainSeries(column: Column, smoothed: boolean, width: number): Series[] {
    const out: Series[] = [];
    [...runs.values()].forEach((run, i) => {
        const xs = run.train.view('step');
        const ys = run.train.view(column);
        const label = runs.size > 1 ? run.info.label : column === 'lr' ? 'learning rate' : column === 'images_per_s' ? 'images/s' : 'loss';
        if (smoothed && smoothing > 0) {
            out.push({ label, color: color(i), faint: true, ...minMaxBuckets(xs, ys, width) });
            out.push({ label, color: color(i), ...minMaxBuckets(xs, smooth(ys, smoothing), width) });
        } else {
            out.push({ label, color: color(i), ...minMaxBuckets(xs, ys, width) });
        }
    });
    return out;
}

/** Evaluations grouped by run and split: one curve each (with several runs, the mean over traits). */
function evalGroups(has: (e: EvalEvent) => boolean): { run: RunData; index: number; split: string; evals: EvalEvent[] }[] {
    const groups: { run: RunData; index: number; split: string; evals: EvalEvent[] }[] = [];
    [...runs.values()].forEach((run, index) => {
        const bySplit = new Map<string, EvalEvent[]>();
        for (const e of run.evals) if (has(e)) bySplit.set(evalKey(e), [...(bySplit.get(evalKey(e)) ?? []), e]);
        for (const [split, evals] of [...bySplit].sort(([a], [b]) => a.localeCompare(b))) {
            groups.push({ run, index, split, evals: evals.sort((a, b) => a.step - b.step) });
        }
    });
    return groups;
}

function predictor(): Predictor {
    if (state.predictor) return state.predictor;
    const available = PREDICTORS.filter(p => [...runs.values()].some(r => r.evals.some(e => e.personality?.[p])));
    return available.includes('fused') ? 'fused' : available[0] ?? 'fused';
}

type PersonalityMetric = 'A' | 'R2' | 'MSE' | 'PCC' | 'CCC';

/** A metric's points over the evaluations; a null (PCC or CCC of a constant) is left out, not drawn as 0. */
function points(evals: EvalEvent[], value: (e: EvalEvent) => number | null | undefined): { xs: number[]; ys: number[] } {
    const kept = evals.flatMap(e => {
        const v = value(e);
        return typeof v === 'number' ? [[e.step, v] as const] : [];
    });
    return { xs: kept.map(k => k[0]), ys: kept.map(k => k[1]) };
}

function personalitySeries(metric: PersonalityMetric): Series[] {
    const p = predictor();
    // A run logs only the metrics its `evaluate { metrics }` asks for.
    const groups = evalGroups(e => e.personality?.[p]?.[metric] !== undefined);
    const values = (evals: EvalEvent[], key: string) => points(evals, e => (e.personality![p]![metric] as Record<string, number | null>)[key]);
    if (groups.length === 1) {
        const { evals } = groups[0];
        return [
            ...TRAITS.map((trait, t) => ({ label: trait, color: color(t), ...values(evals, trait) })),
            { label: 'mean', color: theme().foreground, width: 2.5, ...values(evals, 'mean') }
        ];
    }
    return groups.map(g => ({ label: `${g.run.info.label} · ${g.split}`, color: color(g.index), dash: g.split === groups.find(o => o.run === g.run)?.split ? [] : [5, 3], ...values(g.evals, 'mean') }));
}

function emotionSeries(kind: 'mse' | 'pcc' | 'ccc'): Series[] {
    const groups = evalGroups(e => e.emotion?.[kind] !== undefined);
    const values = (evals: EvalEvent[], key: 'arousal' | 'valence' | 'mean') => points(evals, e => (e.emotion![kind] as Record<string, number | null>)[key]);
    if (groups.length === 1) {
        const { evals } = groups[0];
        return [
            { label: 'arousal', color: color(0), ...values(evals, 'arousal') },
            { label: 'valence', color: color(1), ...values(evals, 'valence') },
            { label: 'mean', color: theme().foreground, width: 2.5, ...values(evals, 'mean') }
        ];
    }
    return groups.flatMap(g => [
        { label: `${g.run.info.label} · ${g.split} arousal`, color: color(g.index), ...values(g.evals, 'arousal') },
        { label: `${g.run.info.label} · ${g.split} valence`, color: color(g.index), dash: [5, 3], ...values(g.evals, 'valence') }
    ]);
}

const CHARTS: ChartDef[] = [
    ...LOGGED_LOSS_TERMS.map(term => ({ id: term, title: TERM_TITLES[term], series: (w: number) => trainSeries(term, true, w), hideWhenZero: term === 'total' ? undefined : term })),
    { id: 'lr', title: 'Learning rate', series: w => trainSeries('lr', false, w) },
    { id: 'throughput', title: 'Throughput (images/s)', series: w => trainSeries('images_per_s', true, w) },
    { id: 'accuracy', title: 'Mean accuracy A per trait', series: () => personalitySeries('A'), hideWhenEmpty: true },
    { id: 'r2', title: 'R² per trait', series: () => personalitySeries('R2'), hideWhenEmpty: true },
    { id: 'personality-mse', title: 'Personality MSE per trait', series: () => personalitySeries('MSE'), hideWhenEmpty: true },
    { id: 'pcc', title: 'Personality PCC per trait', series: () => personalitySeries('PCC'), hideWhenEmpty: true },
    { id: 'ccc', title: 'Personality CCC per trait', series: () => personalitySeries('CCC'), hideWhenEmpty: true },
    { id: 'mse', title: 'Emotion MSE (arousal, valence)', series: () => emotionSeries('mse'), hideWhenEmpty: true },
    { id: 'emotion-pcc', title: 'Emotion PCC (arousal, valence)', series: () => emotionSeries('pcc'), hideWhenEmpty: true },
    { id: 'emotion-ccc', title: 'Emotion CCC (arousal, valence)', series: () => emotionSeries('ccc'), hideWhenEmpty: true }
];

// --- page --------------------------------------------------------------------------------------

const header = element('section', { id: 'runs', className: 'runs' });
const smoothingInput = element('input', { type: 'range', min: '0', max: '0.99', step: '0.01', id: 'smoothing' });
const smoothingValue = element('output');
const predictorSelect = element('select', { id: 'predictor' }, ...PREDICTORS.map(p => element('option', { value: p, textContent: p === 'fused' ? 'fused (PAM+RAM)' : p.toUpperCase() })));
const note = element('span', { className: 'note' });
const grid = element('section', { className: 'charts' });
const tables = element('section', { className: 'tables' });
const cards = new Map<string, { card: HTMLElement; canvas: HTMLCanvasElement; title: string }>();

function build(): void {
    const app = document.getElementById('app')!;
    app.append(
        header,
        element('section', { className: 'controls' },
            element('label', {}, 'Smoothing ', smoothingInput, smoothingValue),
            element('label', {}, 'Personality predictor ', predictorSelect),
            note),
        grid,
        tables);
    for (const def of CHARTS) {
        const canvas = element('canvas', { className: 'chart' });
        canvas.dataset.chart = def.id;
        const button = element('button', { className: 'export', title: `Save "${def.title}" as PNG`, textContent: 'PNG' });
        button.addEventListener('click', () => exportPng(def.id, canvas));
        const card = element('div', { className: 'card' }, element('div', { className: 'card-title' }, element('h3', { textContent: def.title }), button), canvas);
        cards.set(def.id, { card, canvas, title: def.title });
        grid.append(card);
    }
    smoothingInput.addEventListener('input', () => {
        smoothing = Number(smoothingInput.value);
        state = { ...state, smoothing };
        persist();
        scheduleDraw();
    });
    predictorSelect.addEventListener('change', () => {
        state = { ...state, predictor: predictorSelect.value as Predictor };
        persist();
        scheduleDraw();
    });
    new ResizeObserver(() => scheduleDraw()).observe(grid);
    // VS Code swaps the body's theme class when the colour theme changes.
    new MutationObserver(() => scheduleDraw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

function renderHeader(): void {
    header.replaceChildren(...[...runs.values()].map((run, i) => {
        const info = run.info;
        const swatch = element('span', { className: 'swatch' });
        swatch.style.background = color(i);
        const name = element('a', { href: '#', textContent: info.label, title: info.id });
        name.addEventListener('click', event => {
            event.preventDefault();
            api.postMessage({ type: 'openFolder', run: info.id });
        });
        const facts = [
            info.state,
            info.backend ? `${info.backend}${info.backendVersion ? ' ' + info.backendVersion : ''}${info.threads ? `, ${info.threads} threads` : ''}` : undefined,
            info.iterations ? `step ${info.step}/${info.iterations}` : `step ${info.step}`,
            info.imagesPerS !== undefined ? `${info.imagesPerS.toFixed(1)} images/s` : undefined
        ].filter(Boolean).join(' · ');
        const row = element('div', { className: `run state-${info.state}` }, swatch, name, element('span', { className: 'facts', textContent: facts }));
        row.dataset.run = info.id;
        return row;
    }));
    if (runs.size === 0) header.append(element('p', { textContent: 'No run selected: use “PersEmoN: Show Metrics” or “Compare Runs”.' }));
}

function renderTables(): void {
    const { personality, emotion, fusion } = finalTable([...runs.values()].map(r => ({ label: r.info.label, evals: r.evals })));
    const several = runs.size > 1;
    // An undefined PCC or CCC (a constant truth or prediction) is null.
    const cell = (v: number | null, digits = 3) => element('td', { textContent: v !== null && Number.isFinite(v) ? v.toFixed(digits) : '–' });
    const th = (text: string, span = 1) => element('th', { textContent: text, colSpan: span });
    const parts: HTMLElement[] = [];
    if (personality.length > 0) {
        parts.push(element('h3', { textContent: 'Apparent personality (as in the paper’s Table 4): the metrics the run logged' }),
            element('table', { className: 'results', id: 'personality-table' },
                element('thead', {},
                    element('tr', {}, ...(several ? [th('Run')] : []), th('Predictor'), th('Split'), th('Metric'), th('Average'), ...TRAITS.map(t => th(t[0].toUpperCase() + t.slice(1))))),
                element('tbody', {}, ...personality.map(r => element('tr', {},
                    ...(several ? [element('td', { textContent: r.run })] : []),
                    element('td', { textContent: r.predictor }), element('td', { textContent: `${r.split} @ ${r.step}` }), element('td', { textContent: r.metric }),
                    cell(r.mean, r.digits), ...r.traits.map(v => cell(v, r.digits)))))));
        for (const note of fusion) parts.push(element('p', { className: 'fusion', textContent: `${several ? `${note.run} · ` : ''}${note.split}: fusion ${note.text}` }));
    }
    if (emotion.length > 0) {
        parts.push(element('h3', { textContent: 'Emotion' }),
            element('table', { className: 'results', id: 'emotion-table' },
                element('thead', {}, element('tr', {}, ...(several ? [th('Run')] : []), th('Predictor'), th('Split'), th('Metric'), th('Arousal'), th('Valence'), th('Mean'))),
                element('tbody', {}, ...emotion.map(r => element('tr', {},
                    ...(several ? [element('td', { textContent: r.run })] : []),
                    element('td', { textContent: r.predictor }), element('td', { textContent: `${r.split} @ ${r.step}` }), element('td', { textContent: r.metric }),
                    cell(r.arousal, 4), cell(r.valence, 4), cell(r.mean, 4))))));
    }
    tables.replaceChildren(...parts);
}

let frame = 0;
let headerDirty = true;
let tablesDirty = true;

function scheduleDraw(): void {
    if (frame === 0) frame = requestAnimationFrame(draw);
}

function draw(): void {
    frame = 0;
    const started = performance.now();
    const colours = theme();
    smoothingInput.value = String(smoothing);
    smoothingValue.textContent = smoothing.toFixed(2);
    predictorSelect.value = predictor();
    if (headerDirty) renderHeader();
    if (tablesDirty) renderTables();
    headerDirty = tablesDirty = false;
    let lastStep = 0;
    for (const def of CHARTS) {
        const { card, canvas } = cards.get(def.id)!;
        const zero = def.hideWhenZero && [...runs.values()].every(r => r.train.view(def.hideWhenZero!).every(v => v === 0));
        card.hidden = runs.size > 0 && Boolean(zero);
        if (card.hidden) continue;
        const width = Math.max(50, Math.floor(canvas.clientWidth));
        const series = def.series(width);
        // A metric no run logs stays hidden once some run has evaluated (before that, nothing is known).
        const evaluated = [...runs.values()].some(r => r.evals.length > 0);
        card.hidden = Boolean(def.hideWhenEmpty) && evaluated && series.every(s => s.xs.length === 0);
        if (card.hidden) continue;
        drawChart(canvas, series, colours);
        const shown = series.filter(s => !s.faint);
        canvas.dataset.drawn = String(series.reduce((n, s) => n + s.xs.length, 0));
        const step = Math.max(0, ...shown.map(s => s.xs.at(-1) ?? 0));
        canvas.dataset.lastStep = String(step);
        lastStep = Math.max(lastStep, step);
    }
    // Signals for tests and benchmarks: rows held, last step drawn, time the frame took.
    document.body.dataset.points = String([...runs.values()].reduce((n, r) => n + r.train.length, 0));
    document.body.dataset.lastStep = String(lastStep);
    document.body.dataset.drawMs = (performance.now() - started).toFixed(1);
    if (runs.size > 0 && document.body.dataset.points !== '0') timings.drawn ??= Date.now();
    document.body.dataset.timings = JSON.stringify(timings);
}

function exportPng(id: string, canvas: HTMLCanvasElement): void {
    const copy = element('canvas', { width: canvas.width, height: canvas.height });
    const ctx = copy.getContext('2d')!;
    ctx.fillStyle = theme().background;
    ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.drawImage(canvas, 0, 0);
    api.postMessage({ type: 'exportPng', chart: id, dataUrl: copy.toDataURL('image/png') });
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
    const message = event.data;
    switch (message.type) {
        case 'reset':
            timings.reset = Date.now();
            runs = new Map(message.runs.map(info => [info.id, { info, train: new TrainColumns(), evals: [] }]));
            smoothing = state.smoothing ?? message.smoothing;
            state = { ...state, runs: message.runs.map(r => r.id) };
            persist();
            headerDirty = tablesDirty = true;
            break;
        case 'append': {
            const run = runs.get(message.run);
            if (!run) return;
            timings.data ??= Date.now();
            run.train.append(message.train);
            if (message.evals.length > 0) {
                run.evals.push(...message.evals);
                tablesDirty = true;
            }
            break;
        }
        case 'info': {
            const run = runs.get(message.run.id);
            if (!run) return;
            run.info = message.run;
            headerDirty = true;
            break;
        }
        case 'exported':
            note.textContent = `Saved ${message.file}`;
            return;
    }
    scheduleDraw();
});

build();
api.postMessage({ type: 'ready' });
