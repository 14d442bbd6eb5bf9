/**
 * The compare panel's pieces: the CLI's Markdown tables read back cell for cell, the chart across a
 * sweep (mean ± sd per configuration against a varied setting), and analysis.json's index.
 */
import * as assert from 'node:assert/strict';
import { analysisHtml } from '../src/analyze/analysis-html.js';
import { parseAnalysisIndex } from '../src/analyze/analysis-index.js';
import { parseCompareMarkdown } from '../src/compare/cli-tables.js';
import { chartMetrics, chartPoints, chartSvg, defaultChoice } from '../src/compare/sweep-chart.js';

const traits = (v: number) => ({ extraversion: v, agreeableness: v, conscientiousness: v, neuroticism: v, openness: v, mean: v });

/** Four runs: coherence on and off, seeds 1 and 2; personality A and emotion MSE chosen to work by hand. */
function runs() {
    const a: Record<string, number> = { 'true-1': 0.90, 'true-2': 0.92, 'false-1': 0.88, 'false-2': 0.88 };
    const mse: Record<string, number> = { 'true-1': 0.02, 'true-2': 0.04, 'false-1': 0.05, 'false-2': 0.07 };
    return ['true', 'false'].flatMap(c => [1, 2].map(seed => ({
        name: `c=${c}-seed=${seed}`, dir: `/w/${c}-${seed}`,
        spec: { seed, model: { coherence: { enabled: c === 'true' } }, output: `/w/${c}-${seed}` },
        report: { splits: { test: {
            personality: { fused: { A: traits(a[`${c}-${seed}`]), R2: traits(0.3) } },
            emotion: { mse: { arousal: mse[`${c}-${seed}`], valence: mse[`${c}-${seed}`], mean: mse[`${c}-${seed}`] } }
        } } }
    })));
}

describe('compare panel', () => {
    it('reads the CLI\'s Markdown tables back with the same cells (mean ± sd by hand)', async () => {
        const { buildComparison, formatComparison } = await import('@persemon/runtime');
        const comparison = buildComparison(runs());
        const tables = parseCompareMarkdown(formatComparison(comparison, 'md'));
        assert.deepEqual(tables.map(t => t.caption.split(':')[0]), ['Table 4', 'Tables 5-6', 'Paired test']);
        const t56 = tables[1];
        assert.deepEqual(t56.header.slice(0, 3), ['model.coherence.enabled', 'Personality from', 'n']);
        const col = (title: string) => t56.header.indexOf(title);
        // true: A 0.90, 0.92 -> 0.910 ± sqrt(2 * 0.01² / 1) = 0.014; false: 0.88, 0.88 -> 0.880 ± 0.000.
        assert.deepEqual(t56.rows.map(r => [r[0], r[col('Personality A')]]), [['true', '0.910 ± 0.014'], ['false', '0.880 ± 0.000']]);
        // Emotion MSE: 0.03 ± 0.0141 and 0.06 ± 0.0141 (MSE with four decimals).
        assert.deepEqual(t56.rows.map(r => r[col('Emotion MSE')]), ['0.0300 ± 0.0141', '0.0600 ± 0.0141']);
        assert.equal(t56.numeric[0], false);
        assert.equal(t56.numeric[col('Personality A')], true);
        assert.equal(tables[0].rows.length, 2, 'Table 4: one PAM+RAM row per configuration');
    });

    it('unescapes | inside a cell and refuses a table without its header', () => {
        const [t] = parseCompareMarkdown('### T\n\n| a | b |\n| --- | ---: |\n| x \\| y | 1 |\n');
        assert.deepEqual(t.rows, [['x | y', '1']]);
        assert.deepEqual(t.numeric, [false, true]);
        assert.throws(() => parseCompareMarkdown('### T\n\n| a | b |\n| x | y |\n'), /"T" has no header and alignment rows/);
        assert.throws(() => parseCompareMarkdown('### T\n\n| a | b |\n| --- | --- |\n| x |\n'), /line 5 has 1 cells, its table 2 columns/);
    });

    it('charts a metric against a varied setting, a point per configuration with its mean and sd', async () => {
        const { buildComparison } = await import('@persemon/runtime');
        // Through JSON, as the panel gets it from `persemon compare --format json`.
        const comparison = JSON.parse(JSON.stringify(buildComparison(runs())));
        const choice = defaultChoice(comparison);
        assert.deepEqual(choice, { metric: 'personality.fused.A.mean', setting: 'model.coherence.enabled' });
        const points = chartPoints(comparison, choice!);
        assert.deepEqual(points.map(p => [p.x, Number(p.mean.toFixed(6)), Number(p.sd.toFixed(6)), p.n]),
            [[true, 0.91, Number(Math.sqrt(0.0002).toFixed(6)), 2], [false, 0.88, 0, 2]]);
        assert.ok(chartMetrics(comparison).indexOf('emotion.mse.mean') < chartMetrics(comparison).indexOf('emotion.mse.arousal'), 'headline metrics first');
        const svg = chartSvg(comparison, { metric: 'emotion.mse.mean', setting: 'model.coherence.enabled' });
        assert.equal((svg.match(/<circle /g) ?? []).length, 2);
        assert.match(svg, /data-x="true" data-mean="0.03/);
        assert.match(svg, /data-x="false" data-mean="0.06/);
        assert.match(chartSvg(comparison, { metric: 'nothing', setting: 'model.coherence.enabled' }), /No configuration has nothing/);
    });

    it('reads analysis.json\'s figures inside its folder and refuses a path outside it', () => {
        const index = {
            version: 1, runs: [{ run: '/w/runs/Q-1', experiment: 'Quickstart', step: 5, checkpoint: '/w/runs/Q-1/checkpoints/step-0000005' }],
            figures: [{ id: 'fig3', title: 'Fig. 3', json: 'fig3-ram.json', svg: 'fig3-ram.svg' }, { id: 'fig4', title: 'Fig. 4', json: 'fig4-features.json', svg: 'fig4-features.svg', png: 'fig4-features.png' }]
        };
        const analysis = parseAnalysisIndex(JSON.stringify(index), '/w/runs/Q-1/analysis');
        assert.deepEqual(analysis.figures.map(f => f.svg), ['/w/runs/Q-1/analysis/fig3-ram.svg', '/w/runs/Q-1/analysis/fig4-features.svg']);
        assert.equal(analysis.figures[1].png, '/w/runs/Q-1/analysis/fig4-features.png');
        const html = analysisHtml(analysis, 'Analysis', f => `uri:${f}`, 'csp');
        assert.match(html, /<figure data-figure="fig3">[\s\S]*<img src="uri:\/w\/runs\/Q-1\/analysis\/fig3-ram.svg"/);
        assert.match(html, /data-figures="fig3 fig4"/);
        const bad = { ...index, figures: [{ id: 'fig3', title: 'x', json: 'a.json', svg: '../../secret.svg' }] };
        assert.throws(() => parseAnalysisIndex(JSON.stringify(bad), '/w/a'), /\/w\/a\/analysis\.json: figures\[0\]\.svg: must be a file name inside/);
        assert.throws(() => parseAnalysisIndex('{"version": 2, "figures": []}', '/w/a'), /version: must be 1/);
    });
});
