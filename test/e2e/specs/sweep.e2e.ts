/**
 * Sweeps in the editor: examples/sweep.persemon's CodeLens says how many runs it makes and starts
 * them (each point capped by persemon.run.maxSteps, as the harness sets it); the Runs view groups the four runs under the sweep with its progress; the compare panel
 * shows the same cells as `persemon compare --format json` on that directory, charts them and
 * exports a table; Analyze Run shows the paper's Fig. 3 and Fig. 4 for two of its runs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { examples, figures, root, useSession, type Session } from '../harness.js';
import type { Workbench } from '../workbench.js';

const CLI = path.join(root, 'packages/runtime/bin/persemon.js');
/** The points of examples/sweep.persemon: Quickstart x seed [1, 2] x coherence.enabled [true, false]. */
const POINTS = 4;

interface Stat { mean: number; sd: number | null; n: number }
interface Comparison {
    settings: string[];
    configurations: Array<{ label: string; settings: Record<string, unknown>; predictor: string | null; metrics: Record<string, Stat> }>;
}

function cli(args: string[]): string {
    const result = spawnSync('node', [CLI, ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`persemon ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
    return result.stdout;
}

/** A cell as the tables write it, computed here from the JSON's numbers. */
function cell(stat: Stat | undefined, digits: number): string {
    if (!stat || stat.n === 0) return '–';
    return stat.sd === null ? stat.mean.toFixed(digits) : `${stat.mean.toFixed(digits)} ± ${stat.sd.toFixed(digits)}`;
}

describe('sweeps', () => {
    let session: Session;
    let wb: Workbench;
    let page: Page;
    let sweepDir: string;

    before(async () => {
        session = await useSession(true);
        wb = session.workbench;
        page = wb.page;
        if (!page.url().startsWith(`http://127.0.0.1:${session.port}/`)) {
            await page.goto(session.url);
            await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'sweep.persemon' }).waitFor();
        }
    });

    it(`the CodeLens on the sweep says it makes ${POINTS} runs and starts them; the Runs view groups them with their progress`, async () => {
        await wb.command('View: Close All Editors');
        await page.keyboard.press('Control+P');
        await wb.pick('sweep.persemon');
        await page.locator('.monaco-editor .view-line', { hasText: 'sweep Coherence over Quickstart' }).waitFor();
        const lens = page.locator('.codelens-decoration a', { hasText: `Run sweep (${POINTS} runs)` });
        const t0 = Date.now();
        await lens.click();
        const runsDir = path.join(examples, 'runs');
        const failure = page.locator('.notifications-toasts .notification-list-item', { hasText: 'PersEmoN:' }).filter({ hasNotText: 'started in' }).first();
        const sweepRow = page.locator('.pane-body .monaco-list-row', { hasText: /Coherence-\d{8}-\d{6}/ }).first();
        const first = await Promise.race([
            sweepRow.waitFor({ timeout: 120_000 }).then(() => 'shown'),
            failure.waitFor({ timeout: 120_000 }).then(() => 'failed')
        ]);
        if (first === 'failed') throw new Error(`the sweep did not start: ${(await failure.innerText()).replace(/\s+/g, ' ')}`);
        sweepDir = path.join(runsDir, fs.readdirSync(runsDir).find(name => /^Coherence-\d{8}-\d{6}$/.test(name))!);
        // Progress while it runs (a point running, or some done), then all done.
        await sweepRow.locator('.label-description', { hasText: /^\d\/4 done/ }).waitFor();
        await wb.shot('11-sweep-running');
        await sweepRow.locator('.label-description', { hasText: /^4\/4 done$/ }).waitFor({ timeout: 600_000 });
        figures.sweep_4_points_ms = Date.now() - t0;
        // The four runs are the sweep's children (one level deeper), not top-level rows.
        const sweepJson = JSON.parse(fs.readFileSync(path.join(sweepDir, 'sweep.json'), 'utf8')) as { points: Array<{ name: string }> };
        assert(sweepJson.points.length === POINTS, `sweep.json lists ${sweepJson.points.length} points`);
        const level = Number(await sweepRow.getAttribute('aria-level'));
        for (const point of sweepJson.points) {
            const row = page.locator('.pane-body .monaco-list-row', { hasText: point.name }).first();
            await row.waitFor();
            const childLevel = Number(await row.getAttribute('aria-level'));
            assert(childLevel === level + 1, `${point.name} at level ${childLevel}, the sweep at ${level}`);
        }
        await wb.shot('11-sweep-done');
    });

    it('Compare shows the same table cells as persemon compare --format json, and a chart across the sweep', async () => {
        assert(sweepDir, 'no sweep ran (see above)');
        const expected = JSON.parse(cli(['compare', sweepDir, '--format', 'json'])) as Comparison;
        await wb.command('View: Close All Editors');
        await wb.command('PersEmoN: Compare (Tables 4-6');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible' });
        await input.fill(path.basename(sweepDir));
        await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(sweepDir) }).first().click();
        await page.keyboard.press('Enter');
        const frame = wb.webview();
        await frame.locator(`body[data-state="ready"][data-runs="${POINTS}"]`).waitFor({ timeout: 120_000 });
        const table = frame.locator('table', { hasText: 'Tables 5-6' });
        const header = (await table.locator('thead th').allInnerTexts()).map(t => t.trim());
        const rows = table.locator('tbody tr');
        assert(await rows.count() === expected.configurations.length, `${await rows.count()} rows, ${expected.configurations.length} configurations`);
        const checked: string[] = [];
        for (let i = 0; i < expected.configurations.length; i++) {
            const config = expected.configurations[i];
            const cells = (await rows.nth(i).locator('td').allInnerTexts()).map(t => t.trim());
            for (const [s, setting] of expected.settings.entries()) {
                const value = config.settings[setting];
                assert(cells[s] === (typeof value === 'string' ? value : JSON.stringify(value)), `row ${i}: ${setting} is ${cells[s]}`);
            }
            const want: Array<[string, string, number]> = [
                ['Personality A', `personality.${config.predictor}.A.mean`, 3],
                ['Personality R²', `personality.${config.predictor}.R2.mean`, 3],
                ['Emotion MSE', 'emotion.mse.mean', 4],
                ['Arousal MSE', 'emotion.mse.arousal', 4]
            ];
            for (const [title, key, digits] of want) {
                const column = header.indexOf(title);
                assert(column >= 0, `no column ${title} in ${header.join(' | ')}`);
                assert(cells[column] === cell(config.metrics[key], digits), `row ${i} ${title}: panel ${cells[column]}, JSON ${cell(config.metrics[key], digits)}`);
                checked.push(cells[column]);
            }
        }
        figures.compare_cells_checked = checked.length;
        // Table 4 too: the first configuration's PAM+RAM average A.
        const t4 = frame.locator('table', { hasText: 'Table 4' });
        const t4header = (await t4.locator('thead th').allInnerTexts()).map(t => t.trim());
        const t4first = (await t4.locator('tbody tr').first().locator('td').allInnerTexts()).map(t => t.trim());
        const c0 = expected.configurations[0];
        assert(t4first[t4header.indexOf('Average A')] === cell(c0.metrics[`personality.${c0.predictor}.A.mean`], 3), `Table 4 Average A: ${t4first[t4header.indexOf('Average A')]}`);
        // The chart: one point per configuration at its mean.
        const circles = frame.locator('svg.sweep-chart circle');
        assert(await circles.count() === expected.configurations.length, `${await circles.count()} chart points`);
        for (let i = 0; i < expected.configurations.length; i++) {
            const mean = Number(await circles.nth(i).getAttribute('data-mean'));
            const key = `personality.${expected.configurations[i].predictor}.A.mean`;
            assert(Math.abs(mean - expected.configurations[i].metrics[key].mean) < 1e-12, `chart point ${i}: ${mean}`);
        }
        // Another metric redraws the chart.
        await frame.locator('#metric').selectOption('emotion.mse.mean');
        await frame.locator(`svg.sweep-chart circle[data-mean="${expected.configurations[0].metrics['emotion.mse.mean'].mean}"]`).waitFor();
        await wb.shot('12-compare-panel');
    });

    it('the panel exports the table as CSV, the same text as persemon compare --format csv', async () => {
        const frame: FrameLocator = wb.webview();
        await frame.locator('button[data-format="csv"]').click();
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible' });
        await page.keyboard.press('Enter');
        await frame.locator('#note', { hasText: 'compare.csv' }).waitFor();
        const written = fs.readFileSync(path.join(sweepDir, 'compare.csv'), 'utf8');
        const expected = cli(['compare', sweepDir, '--format', 'csv']);
        assert(written === expected, `compare.csv differs from the CLI's csv:\n${written.slice(0, 400)}\n---\n${expected.slice(0, 400)}`);
    });

    it('Analyze Run on two of the sweep\'s runs (coherence on and off) shows Fig. 3 and Fig. 4', async () => {
        const points = fs.readdirSync(path.join(sweepDir, 'runs')).filter(n => n.includes('seed=1')).sort();
        assert(points.length === 2, `seed 1 points: ${points.join(', ')}`);
        await wb.command('View: Close All Editors');
        await wb.command('PersEmoN: Analyze Run');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible' });
        for (const point of points) {
            await input.fill(point);
            await page.locator('.quick-input-list .monaco-list-row', { hasText: point }).first().click();
        }
        const t0 = Date.now();
        await page.keyboard.press('Enter');
        const frame = wb.webview();
        const failure = page.locator('.notifications-toasts .notification-list-item', { hasText: 'persemon analyze failed' }).first();
        const shown = frame.locator('body[data-figures="fig3 fig4"]');
        const first = await Promise.race([
            shown.waitFor({ timeout: 300_000 }).then(() => 'shown'),
            failure.waitFor({ timeout: 300_000 }).then(() => 'failed')
        ]);
        if (first === 'failed') throw new Error((await failure.innerText()).replace(/\s+/g, ' '));
        figures.analyze_two_runs_ms = Date.now() - t0;
        for (const id of ['fig3', 'fig4']) {
            const img = frame.locator(`figure[data-figure="${id}"] img`);
            await img.waitFor();
            // The SVG loaded from the analysis folder (not a broken image).
            const width = await img.evaluate(async (el: HTMLImageElement) => {
                if (!el.complete) await new Promise(resolve => el.addEventListener('load', resolve, { once: true }));
                return el.naturalWidth;
            });
            assert(width > 0, `${id} did not load`);
        }
        const folder = points.map(p => path.join(sweepDir, 'runs', p, 'analysis')).find(f => fs.existsSync(path.join(f, 'analysis.json')));
        assert(folder, 'no analysis.json in either run');
        const analysis = JSON.parse(fs.readFileSync(path.join(folder, 'analysis.json'), 'utf8')) as { runs: Array<{ run: string }> };
        assert(analysis.runs.length === 2, `analysis.json lists ${analysis.runs.length} runs`);
        await wb.shot('13-analysis');
    });
});

function assert(condition: unknown, message: string): asserts condition {
    if (!condition) throw new Error(message);
}
