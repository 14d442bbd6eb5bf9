/** The analysis view's page: each figure's SVG as an image (self-contained: no script, no fetches), its title and files. */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { escapeHtml } from '../compare/sweep-chart.js';
import type { Analysis } from './analysis-index.js';

export function analysisHtml(analysis: Analysis, title: string, uri: (file: string) => string, cspSource: string): string {
    const nonce = randomBytes(16).toString('base64');
    const runs = analysis.runs.map(r => `<li>${escapeHtml(r.experiment)}: ${escapeHtml(r.run)} at step ${r.step}</li>`).join('');
    const figures = analysis.figures.map(f => `<figure data-figure="${escapeHtml(f.id)}">
<figcaption>${escapeHtml(f.title)}</figcaption>
<img src="${escapeHtml(uri(f.svg))}" alt="${escapeHtml(f.title)}">
<p class="note">${escapeHtml(f.svg)} · data: ${escapeHtml(path.basename(f.json))}</p>
</figure>`).join('\n');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${cspSource}; style-src 'nonce-${nonce}';">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 16px 24px; }
figure { margin: 16px 0 28px; }
figcaption { font-weight: 600; margin-bottom: 8px; }
img { max-width: 100%; background: white; }
.note { opacity: 0.8; font-size: 12px; }
</style></head>
<body data-figures="${analysis.figures.map(f => f.id).join(' ')}">
<h2>${escapeHtml(title)}</h2>
<ul class="note">${runs}</ul>
${figures}
</body></html>`;
}
