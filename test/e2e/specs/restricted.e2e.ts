/**
 * Restricted Mode (an untrusted workspace, in a code-server session of its own): the language
 * features still work, and running is refused with a message.
 */
import type { Page } from 'playwright-core';
import { useSession, type Session } from '../harness.js';
import type { Workbench } from '../workbench.js';

describe('restricted mode', () => {
    let session: Session;
    let wb: Workbench;
    let page: Page;
    before(async () => {
        session = await useSession(false);
        wb = session.workbench;
        page = wb.page;
    });

    it('Restricted Mode: editing works (diagnostics from the language server)', async () => {
        await page.goto(session.url);
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'quickstart.persemon' }).waitFor();
        await page.keyboard.press('Control+P');
        await wb.pick('quickstart.persemon');
        await page.locator('.monaco-editor .view-line', { hasText: 'experiment Quickstart' }).waitFor();
        await wb.goToLine(4);
        await page.keyboard.press('End');
        await page.keyboard.press('Shift+Home');
        await page.keyboard.type('seed one');
        await page.locator('.monaco-editor .squiggly-error').first().waitFor();
        await wb.command('File: Revert File');
        await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached' });
    });

    it('Restricted Mode: Run Experiment is refused with a message', async () => {
        await wb.command('PersEmoN: Run Experiment');
        await page.locator('.notifications-toasts .notification-list-item', { hasText: 'cannot run experiments in Restricted Mode' }).first().waitFor();
        await wb.shot('13-restricted-run-refused');
    });
});
