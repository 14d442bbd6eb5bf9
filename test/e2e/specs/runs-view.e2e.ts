/** The Runs view in the activity bar: it lists a run started from a terminal and the editor's run. */
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { benchDir, requireEditorRun, useSession } from '../harness.js';
import type { Workbench } from '../workbench.js';

describe('runs view', () => {
    let wb: Workbench;
    let page: Page;
    before(async () => {
        wb = (await useSession(true)).workbench;
        page = wb.page;
    });

    it('the Runs view lists a run started outside the editor', async () => {
        await page.locator('.activitybar .action-item a[aria-label^="PersEmoN"]').click();
        await page.locator('.pane-body .monaco-list-row', { hasText: path.basename(benchDir) }).first().waitFor();
        await wb.shot('07-runs-view');
    });

    it('the Runs view lists the run started from the editor', async () => {
        requireEditorRun();
        await page.locator('.pane-body .monaco-list-row', { hasText: /Quickstart-\d{8}-\d{6}/ }).first().waitFor();
        await wb.shot('07-runs-view');
    });
});
