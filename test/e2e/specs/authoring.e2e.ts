/**
 * Authoring in the editor: the workbench opens the examples, the extension activates on a
 * .persemon document, and the language server's highlighting, completion and diagnostics reach the
 * editor and the Problems panel. Every edit is reverted; the root hooks check nothing was saved.
 */
import type { Page } from 'playwright-core';
import { figures, useSession, type Session } from '../harness.js';
import type { Workbench } from '../workbench.js';

describe('authoring', () => {
    let session: Session;
    let wb: Workbench;
    let page: Page;
    before(async () => {
        session = await useSession(true);
        wb = session.workbench;
        page = wb.page;
    });

    it('workbench opens examples/', async () => {
        const t0 = Date.now();
        await page.goto(session.url);
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'quickstart.persemon' }).waitFor();
        await page.locator('.activitybar .action-item a[aria-label^="PersEmoN"]').waitFor();
        figures.workbench_ready_ms = Date.now() - t0;
        await wb.shot('01-workbench');
    });

    it('quickstart.persemon opens and the extension activates (CodeLens)', async () => {
        await page.keyboard.press('Control+P');
        await wb.pick('quickstart.persemon');
        await page.locator('.monaco-editor .view-line', { hasText: 'experiment Quickstart' }).waitFor();
        await page.locator('.codelens-decoration a', { hasText: 'Run' }).first().waitFor();
        await page.locator('.codelens-decoration a', { hasText: 'Compile to JobSpec' }).first().waitFor();
    });

    it('highlighting: keywords, names, numbers and comments in distinct theme colours', async () => {
        const colours = await wb.tokenColours();
        console.log(`      token colours: ${JSON.stringify(colours)}`);
        const distinct = new Set(Object.values(colours));
        if (distinct.size < 5) throw new Error(`expected at least 5 distinct colours, got ${distinct.size}`);
        await wb.shot('02-highlighting');
    });

    it('completion: "chec" + Ctrl+Space offers and inserts checkpoint', async () => {
        await wb.goToLine(4);
        await page.keyboard.press('End');
        await page.keyboard.press('Enter');
        await page.keyboard.type('chec');
        await page.keyboard.press('Control+Space');
        const row = page.locator('.suggest-widget .monaco-list-row', { hasText: 'checkpoint' }).first();
        await row.waitFor();
        await wb.shot('03-completion');
        await page.keyboard.press('Enter');
        await page.locator('.monaco-editor .view-line', { hasText: /^\s*checkpoint\s*$/ }).first().waitFor();
        await wb.command('File: Revert File');
        await page.locator('.monaco-editor .view-line', { hasText: /^\s*checkpoint\s*$/ }).first().waitFor({ state: 'detached' });
    });

    it('a broken line shows its diagnostic in the Problems panel', async () => {
        await wb.goToLine(4);
        await page.keyboard.press('End');
        await page.keyboard.press('Shift+Home');
        await page.keyboard.type('seed one');
        await page.locator('.monaco-editor .squiggly-error').first().waitFor();
        await page.keyboard.press('Control+Shift+M');
        const marker = page.locator('.markers-panel .monaco-tl-row', { hasText: /\S/ }).first();
        await marker.waitFor();
        console.log(`      problem: ${(await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).slice(0, 2).join(' | ').replace(/\s+/g, ' ')}`);
        await wb.shot('04-problems');
        await wb.command('File: Revert File');
        await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached' });
    });
});
