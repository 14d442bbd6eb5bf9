/**
 * Using the editor's trained run: Evaluate from the CodeLens, and Predict on a portrait with the
 * face box and the predictions in the panel.
 */
import type { Page } from 'playwright-core';
import { PORTRAIT, requireEditorRun, useSession } from '../harness.js';
import type { Workbench } from '../workbench.js';

describe('evaluate and predict', () => {
    let wb: Workbench;
    let page: Page;
    before(async () => {
        wb = (await useSession(true)).workbench;
        page = wb.page;
    });

    it('Evaluate from the CodeLens re-evaluates the newest run', async () => {
        requireEditorRun();
        await wb.evaluateFromCodeLens();
        await wb.webview().locator('.run.state-done').waitFor();
        const failed = await page.locator('.notifications-toasts .notification-list-item', { hasText: 'evaluation of' }).count();
        if (failed > 0) throw new Error('the evaluation failed');
    });

    it('Predict on an image shows the face box and the predictions', async () => {
        requireEditorRun();
        await wb.command('PersEmoN: Predict on Image or Video…');
        await wb.pick('Quickstart-');
        await wb.chooseFile(PORTRAIT);
        const frame = wb.webview();
        await frame.locator('.stage .box').first().waitFor({ timeout: 120_000 });
        await frame.locator('section.face table.results tbody tr', { hasText: 'extraversion' }).first().waitFor();
        await wb.shot('11-predict');
    });
});
