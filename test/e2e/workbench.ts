/**
 * What a user does in the VS Code workbench, as the specs need it: the command palette, quick
 * picks, code-server's file dialog, the Settings editor, go to line, the editor's token colours,
 * the extension's webview frame and screenshots. Every wait is for a signal on the page.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

/** Kinds of token, each recognised by its text; the first rendered one of each is checked. */
const TOKENS: Record<string, string> = {
    keyword: '^experiment$', name: '^Quickstart$', setting: '^seed$', value: '^sphereface$', number: '^\\d+(\\.\\d+)?$', comment: '^//'
};

export class Workbench {
    constructor(readonly page: Page, private readonly artifacts: string) {}

    /** Saves a screenshot of the page, or of one element, as artifacts/<name>.png. */
    async shot(name: string, of?: Locator): Promise<void> {
        await (of ?? this.page).screenshot({ path: path.join(this.artifacts, `${name}.png`) });
    }

    /**
     * Runs a command from the palette by its title. The palette lists the commands known when it
     * opened, so while the extension host is still starting it is closed and opened again.
     */
    async command(title: string): Promise<void> {
        const { page } = this;
        const deadline = Date.now() + 60_000;
        const input = page.locator('.quick-input-widget input');
        const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
        for (;;) {
            // A webview (an iframe) that took the focus, as a panel restored after a reload does,
            // would receive the key: hand the focus back to the workbench first.
            await page.evaluate(() => {
                if (document.activeElement instanceof HTMLIFrameElement) document.activeElement.blur();
            });
            await page.keyboard.press('F1');
            try {
                await input.waitFor({ state: 'visible', timeout: 5000 });
            } catch (error) {
                // A key pressed while the window was still loading is lost: press it again.
                if (Date.now() > deadline) throw error;
                continue;
            }
            await input.fill(`>${title}`);
            try {
                await row.waitFor({ timeout: 3000 });
                break;
            } catch (error) {
                if (Date.now() > deadline) throw error;
                await page.keyboard.press('Escape');
                await input.waitFor({ state: 'hidden' });
            }
        }
        await page.keyboard.press('Enter');
    }

    /**
     * From the open quickstart document: Run Experiment, Stop Run once the chart has points, Resume
     * Run, Stop Run again after a new step; returns the run directory (under `runs`).
     */
    async runStopResumeStop(runs: string): Promise<string> {
        const { page } = this;
        await page.locator('.monaco-editor .view-line', { hasText: 'experiment Quickstart' }).click();
        await this.command('PersEmoN: Run Experiment');
        const frame = this.webview();
        await frame.locator('.run.state-running').waitFor({ timeout: 120_000 });
        await frame.locator('canvas[data-chart="total"]:not([data-drawn="0"])').waitFor({ timeout: 120_000 });
        const dir = path.join(runs, (await frame.locator('.run a').first().innerText()).trim());
        const stop = async () => {
            await this.command('PersEmoN: Stop Run');
            await this.pick(path.basename(dir));
            await frame.locator('.run.state-stopped').waitFor({ timeout: 120_000 });
        };
        await stop();
        await this.command('PersEmoN: Resume Run');
        await this.pick(path.basename(dir));
        await frame.locator('.run.state-running').waitFor({ timeout: 120_000 });
        const stepBefore = Number(await frame.locator('body').getAttribute('data-last-step'));
        await frame.locator(`body:not([data-last-step="${stepBefore}"])`).waitFor({ timeout: 120_000 });
        await stop();
        return dir;
    }

    /** Opens quickstart.persemon and clicks its Evaluate CodeLens; returns when the evaluation's progress closes. */
    async evaluateFromCodeLens(): Promise<void> {
        const { page } = this;
        await this.command('View: Close All Editors');
        await page.keyboard.press('Control+P');
        await this.pick('quickstart.persemon');
        await page.locator('.codelens-decoration a', { hasText: 'Evaluate' }).first().click();
        const progress = page.locator('.notifications-toasts .notification-list-item', { hasText: /Evaluating Quickstart-/ }).first();
        await progress.waitFor();
        await progress.waitFor({ state: 'detached', timeout: 180_000 });
    }

    /** Picks an item in an open quick pick by typing a filter; returns when it was chosen. */
    async pick(filter: string): Promise<number> {
        const { page } = this;
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible' });
        await input.fill(filter);
        await page.locator('.quick-input-list .monaco-list-row', { hasText: filter }).first().waitFor();
        const chosen = Date.now();
        await page.keyboard.press('Enter');
        return chosen;
    }

    /**
     * Opens a file through code-server's own file dialog: a path typed into the quick input. The
     * dialog fills in its starting folder and then lists it; when that listing lands it writes the
     * folder's path into the input again, so a path typed before it is lost. Type only once the folder
     * is listed, and accept only while the input still holds the path.
     */
    async chooseFile(file: string): Promise<void> {
        const { page } = this;
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible' });
        await page.locator('.quick-input-list .monaco-list-row', { hasText: '..' }).first().waitFor();
        for (let attempt = 1; ; attempt++) {
            await input.fill(file);
            await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(file) }).first().waitFor();
            if (await input.inputValue() === file) {
                await page.keyboard.press('Enter');
                await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
                return;
            }
            if (attempt === 3) throw new Error(`the file dialog kept replacing ${file} with ${await input.inputValue()}`);
        }
    }

    /** Changes persemon.run.maxSteps in the Settings editor, as a user would, and waits until it is saved. */
    async setMaxSteps(userData: string, steps: number): Promise<void> {
        const { page } = this;
        await this.command('Preferences: Open User Settings');
        await page.locator('.settings-editor .suggest-input-container').waitFor();
        await page.keyboard.type('persemon.run.maxSteps');
        const input = page.locator('.settings-editor .setting-item-contents', { hasText: 'Max Steps' }).locator('input');
        await input.click();
        await page.keyboard.press('Control+A');
        await page.keyboard.type(String(steps));
        await page.keyboard.press('Enter');
        const file = path.join(userData, 'User', 'settings.json');
        const saved = () => new RegExp(`"persemon.run.maxSteps": ${steps}\\b`).test(fs.readFileSync(file, 'utf8'));
        // Wait for the settings editor to write the file (a stat every 50 ms; the bound only limits a failure).
        await new Promise<void>((resolve, reject) => {
            const bound = setTimeout(() => { fs.unwatchFile(file); reject(new Error(`settings.json did not get persemon.run.maxSteps ${steps}`)); }, 30_000);
            const check = () => {
                if (!saved()) return;
                clearTimeout(bound);
                fs.unwatchFile(file);
                resolve();
            };
            fs.watchFile(file, { interval: 50 }, check);
            check();
        });
        await this.command('View: Close Editor');
    }

    /** The page inside the extension's webview panel (VS Code nests it in two iframes). */
    webview(): FrameLocator {
        return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    }

    async goToLine(line: number): Promise<void> {
        const { page } = this;
        await page.keyboard.press('Control+G');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible' });
        await input.fill(`:${line}`);
        await page.keyboard.press('Enter');
        await input.waitFor({ state: 'hidden' });
    }

    /** The theme colour of the first painted token of each kind, once every kind is painted. */
    async tokenColours(): Promise<Record<string, string>> {
        // Tokenisation is asynchronous and goes down the file: wait until a token of each kind is painted.
        const handle = await this.page.waitForFunction(kinds => {
            const out: Record<string, string> = {};
            const spans = [...document.querySelectorAll<HTMLElement>('.monaco-editor .view-lines .view-line span span')];
            for (const [kind, pattern] of Object.entries(kinds)) {
                const span = spans.find(s => new RegExp(pattern).test(s.textContent ?? '') && !/\bmtk1\b/.test(s.className));
                if (!span) return false;
                out[kind] = getComputedStyle(span).color;
            }
            return out;
        }, TOKENS);
        return await handle.jsonValue() as Record<string, string>;
    }
}

/** When the metrics panel reached a phase (navigation, runs known, rows received, drawn), as the page timed it. */
export async function pageTiming(frame: FrameLocator, name: string): Promise<number> {
    const timings = JSON.parse(await frame.locator('body').getAttribute('data-timings') ?? '{}') as Record<string, number>;
    return timings[name];
}

/** Where the time of opening a panel went: page start, runs known, rows received, drawn. */
export async function phases(frame: FrameLocator, t0: number): Promise<string> {
    const timings = JSON.parse(await frame.locator('body').getAttribute('data-timings') ?? '{}') as Record<string, number>;
    return Object.entries(timings).map(([k, v]) => `${k} +${v - t0}`).join(', ');
}

/** ms from t0 to the page's first draw with data, as the page timed it (no polling delay). */
export async function drawnAfter(frame: FrameLocator, t0: number): Promise<number> {
    return (await pageTiming(frame, 'drawn')) - t0;
}
