/**
 * The compare panel's page: the CLI's tables, the chart across the sweep with its two choices, and
 * the export buttons. Written whole by the extension host (no bundle of its own); the inline script
 * only forwards clicks and choices and puts a redrawn chart in place.
 */
import type { Comparison } from '@persemon/runtime';
import type { CliTable } from './cli-tables.js';
import { chartMetrics, chartSvg, escapeHtml, type ChartChoice } from './sweep-chart.js';

export const EXPORT_FORMATS = ['md', 'csv', 'latex', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ComparePage {
    title: string;
    /** What was compared: a sweep directory or run directories. */
    sources: string[];
    tables: CliTable[];
    comparison: Comparison;
    choice?: ChartChoice;
    /** Runs left out (not finished), as the CLI said. */
    notes: string[];
}

export function compareHtml(page: ComparePage, csp: { source: string; nonce: string }): string {
    const { comparison: c } = page;
    const runs = c.configurations.reduce((n, config) => n + config.runs.length, 0);
    const tables = page.tables.map((t, i) => `<table data-table="${i}"><caption>${escapeHtml(t.caption)}</caption>
<thead><tr>${t.header.map((h, k) => `<th${t.numeric[k] ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>${t.rows.map(r => `<tr>${r.map((cell, k) => `<td${t.numeric[k] ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`).join('\n');
    const options = (values: string[], chosen: string | undefined) => values.map(v => `<option value="${escapeHtml(v)}"${v === chosen ? ' selected' : ''}>${escapeHtml(v)}</option>`).join('');
    const chart = page.choice
        ? `<div class="controls"><label>Metric <select id="metric">${options(chartMetrics(c), page.choice.metric)}</select></label>
<label>against <select id="setting">${options(c.settings, page.choice.setting)}</select></label></div>
<div id="chart">${chartSvg(c, page.choice)}</div>`
        : '<p class="note">No setting varies between these runs (the seed aside): nothing to chart across.</p>';
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${csp.source} data:; style-src 'nonce-${csp.nonce}'; script-src 'nonce-${csp.nonce}';">
<title>${escapeHtml(page.title)}</title>
<style nonce="${csp.nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 16px 24px; }
table { border-collapse: collapse; margin: 12px 0 20px; font-size: 12px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--vscode-panel-border); padding: 3px 8px; text-align: left; white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { opacity: 0.8; }
.toolbar button { margin-right: 6px; }
.controls label { margin-right: 12px; }
svg .axis { stroke: var(--vscode-foreground); opacity: 0.5; }
svg text { fill: var(--vscode-foreground); font-size: 11px; }
svg .label { font-size: 12px; }
</style></head>
<body data-state="ready" data-runs="${runs}" data-configurations="${c.configurations.length}">
<h2>${escapeHtml(page.title)}</h2>
<p class="note">${page.sources.map(escapeHtml).join('<br>')}</p>
<div class="toolbar">Export the tables: ${EXPORT_FORMATS.map(f => `<button data-format="${f}">${f}</button>`).join('')}<button id="refresh">Refresh</button></div>
<p class="note" id="note"></p>
${page.notes.map(n => `<p class="note left-out">${escapeHtml(n)}</p>`).join('\n')}
<section id="tables">${tables}</section>
<h3>Across the sweep</h3>
${chart}
<script nonce="${csp.nonce}">
const vscode = acquireVsCodeApi();
for (const button of document.querySelectorAll('button[data-format]')) {
    button.addEventListener('click', () => vscode.postMessage({ type: 'export', format: button.dataset.format }));
}
document.getElementById('refresh').addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
const metric = document.getElementById('metric');
const setting = document.getElementById('setting');
const ask = () => vscode.postMessage({ type: 'chart', metric: metric.value, setting: setting.value });
if (metric) metric.addEventListener('change', ask);
if (setting) setting.addEventListener('change', ask);
window.addEventListener('message', event => {
    const message = event.data;
    if (message.type === 'chart') document.getElementById('chart').innerHTML = message.html;
    if (message.type === 'note') {
        const note = document.getElementById('note');
        note.textContent = message.text;
        note.dataset.file = message.file || '';
    }
});
</script>
</body></html>`;
}
