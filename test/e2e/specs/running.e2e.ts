/**
 * Running from the editor: Run Experiment is refused while the document has errors, and otherwise
 * trains (persemon.run.maxSteps = MAX_STEPS) with the metrics panel drawing its points live. The
 * tests after this file use that run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { examples, figures, markEditorRun, MAX_STEPS, useSession } from '../harness.js';
import type { Workbench } from '../workbench.js';

describe('running', () => {
    let wb: Workbench;
    let page: Page;
    before(async () => {
        wb = (await useSession(true)).workbench;
        page = wb.page;
    });

    it('Run refuses while the document has errors, naming them', async () => {
        await wb.goToLine(4);
        await page.keyboard.press('End');
        await page.keyboard.press('Shift+Home');
        await page.keyboard.type('seed one');
        await page.locator('.monaco-editor .squiggly-error').first().waitFor();
        await wb.command('PersEmoN: Run Experiment');
        await page.locator('.notifications-toasts .notification-list-item', { hasText: /was not started: quickstart\.persemon has \d+ error/ }).first().waitFor();
        await wb.shot('05-run-refused');
        await wb.command('Notifications: Clear All Notifications');
        await wb.command('File: Revert File');
        await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached' });
    });

    it(`Run Experiment (--max-steps ${MAX_STEPS}) from the palette: the panel's charts receive points`, async () => {
        await page.locator('.monaco-editor .view-line', { hasText: 'experiment Quickstart' }).click();
        const t0 = Date.now();
        await wb.command('PersEmoN: Run Experiment');
        const frame = wb.webview();
        // Whichever comes first: a point in the chart, or the extension's error message.
        const failure = page.locator('.notifications-toasts .notification-list-item', { hasText: 'PersEmoN:' }).first();
        const drawn = frame.locator('canvas[data-chart="total"]:not([data-drawn="0"])');
        const first = await Promise.race([
            drawn.waitFor({ timeout: 300_000 }).then(() => 'drawn'),
            failure.waitFor({ timeout: 300_000 }).then(() => 'failed')
        ]);
        if (first === 'failed') throw new Error(`the run did not start: ${(await failure.innerText()).replace(/\s+/g, ' ')}`);
        figures.run_first_point_ms = Date.now() - t0;
        await frame.locator('.run.state-done').waitFor({ timeout: 300_000 });
        figures.run_done_ms = Date.now() - t0;
        // When the CLI logged its first train event, to compare with when the panel drew it.
        const runDir = fs.readdirSync(path.join(examples, 'runs')).find(name => name.startsWith('Quickstart-'));
        const firstTrain = fs.readFileSync(path.join(examples, 'runs', runDir!, 'events.jsonl'), 'utf8')
            .split('\n').filter(Boolean).map(line => JSON.parse(line) as { type: string; time: string }).find(e => e.type === 'train');
        figures.run_first_train_logged_ms = Date.parse(firstTrain!.time) - t0;
        await frame.locator('#personality-table tbody tr').first().waitFor();
        // Every metric the run logged has its chart: the quickstart asks for all five.
        for (const chart of ['accuracy', 'r2', 'personality-mse', 'pcc', 'ccc', 'mse', 'emotion-pcc', 'emotion-ccc']) {
            await frame.locator(`canvas[data-chart="${chart}"]:not([data-drawn="0"])`).waitFor({ timeout: 30_000 });
        }
        await wb.shot('06-run-panel');
        await wb.shot('06-run-table', frame.locator('.tables'));
        await wb.shot('06-run-accuracy', frame.locator('.card:has(canvas[data-chart="accuracy"])'));
        markEditorRun(path.join(examples, 'runs', runDir!));
    });
});
