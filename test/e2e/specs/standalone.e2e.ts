/**
 * Installed on its own: a new code-server with only the .vsix, a workspace outside the repository
 * holding a copy of the example documents and nothing else, no persemon.cliPath and no persemon on
 * the PATH. The CLI bundled in the .vsix runs the quickstart from the palette, evaluates it, predicts
 * on the portrait, and stops and resumes a longer run; the panel says which CLI and engine ran.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { figures, FIXTURE_PORTRAIT, MAX_STEPS, root, standaloneSession } from '../harness.js';
import type { Workbench } from '../workbench.js';

interface Event {
    type: string;
    step: number;
    backend?: string;
    backend_version?: string;
}

function events(dir: string): Event[] {
    return fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line) as Event);
}

describe('installed on its own', () => {
    let alone: Awaited<ReturnType<typeof standaloneSession>> | undefined;
    let wb: Workbench;
    let page: Page;
    let runDir: string | undefined;
    const runtimeVersion = (JSON.parse(fs.readFileSync(path.join(root, 'packages/runtime/package.json'), 'utf8')) as { version: string }).version;
    const tfjsVersion = (JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@tensorflow/tfjs-core/package.json'), 'utf8')) as { version: string }).version;

    before(async () => {
        alone = await standaloneSession();
        wb = alone.session.workbench;
        page = wb.page;
        await page.goto(alone.session.url);
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'quickstart.persemon' }).waitFor();
    });

    after(async () => {
        await alone?.dispose();
    });

    function requireRun(): string {
        if (!runDir) throw new Error('the quickstart did not run (see above)');
        return runDir;
    }

    it(`Run Experiment (--max-steps ${MAX_STEPS}) from the palette trains with the bundled CLI`, async () => {
        const folder = alone!.folder;
        await page.keyboard.press('Control+P');
        await wb.pick('quickstart.persemon');
        await page.locator('.monaco-editor .view-line', { hasText: 'experiment Quickstart' }).click();
        const t0 = Date.now();
        await wb.command('PersEmoN: Run Experiment');
        const frame = wb.webview();
        const failure = page.locator('.notifications-toasts .notification-list-item', { hasText: 'PersEmoN:' }).first();
        const done = frame.locator('.run.state-done');
        const first = await Promise.race([
            done.waitFor({ timeout: 300_000 }).then(() => 'done'),
            failure.waitFor({ timeout: 300_000 }).then(() => 'failed')
        ]);
        if (first === 'failed') throw new Error(`the run did not finish: ${(await failure.innerText()).replace(/\s+/g, ' ')}`);
        figures.alone_run_done_ms = Date.now() - t0;

        const name = fs.readdirSync(path.join(folder, 'runs')).find(entry => entry.startsWith('Quickstart-'));
        if (!name) throw new Error(`no Quickstart run directory in ${folder}/runs`);
        runDir = path.join(folder, 'runs', name);
        const log = events(runDir);
        const start = log.find(e => e.type === 'start');
        if (start?.backend !== 'wasm') throw new Error(`the run's engine is ${start?.backend}, expected wasm (the bundled CLI has no native engine)`);
        if (!log.some(e => e.type === 'done' && e.step === MAX_STEPS)) throw new Error(`no done event at step ${MAX_STEPS}`);

        // The panel names the CLI (bundled, its version, where the extension installed it) and the engine.
        const about = frame.locator('#about div', { hasText: name });
        await about.filter({ hasText: 'bundled with the extension' }).waitFor({ timeout: 30_000 });
        const text = await about.innerText();
        console.log(`      panel: ${text}`);
        const installed = fs.realpathSync(alone!.extensions);
        for (const expected of [`engine wasm ${tfjsVersion}`, `persemon ${runtimeVersion} bundled with the extension (${installed}`]) {
            if (!text.includes(expected)) throw new Error(`the panel's line lacks "${expected}": ${text}`);
        }
        await wb.shot('20-alone-run');
    });

    it('Evaluate from the CodeLens with the bundled CLI', async () => {
        const dir = requireRun();
        const before = events(dir).filter(e => e.type === 'eval').length;
        await wb.evaluateFromCodeLens();
        const failed = await page.locator('.notifications-toasts .notification-list-item', { hasText: 'evaluation of' }).count();
        if (failed > 0) throw new Error('the evaluation failed');
        const after = events(dir).filter(e => e.type === 'eval').length;
        if (after <= before) throw new Error(`no new eval event in ${dir}/events.jsonl (${before} before, ${after} after)`);
    });

    it('Predict on the portrait shows the face box and the predictions', async () => {
        requireRun();
        const t0 = Date.now();
        await wb.command('PersEmoN: Predict on Image or Video…');
        await wb.pick('Quickstart-');
        await wb.chooseFile(FIXTURE_PORTRAIT);
        const frame = wb.webview();
        await frame.locator('.stage .box').first().waitFor({ timeout: 120_000 });
        await frame.locator('section.face table.results tbody tr', { hasText: 'extraversion' }).first().waitFor();
        figures.alone_predict_ms = Date.now() - t0;
        await wb.shot('21-alone-predict');
    });

    it('Stop Run and Resume Run continue a longer run in the same directory', async () => {
        requireRun();
        const session = alone!.session;
        await wb.setMaxSteps(session.userData, 200);
        await page.keyboard.press('Control+P');
        await wb.pick('quickstart.persemon');
        const dir = await wb.runStopResumeStop(path.join(session.folder, 'runs'));
        const log = events(dir);
        const starts = log.filter(e => e.type === 'start').length;
        const steps = log.filter(e => e.type === 'train').map(e => e.step);
        if (starts !== 2) throw new Error(`expected 2 start events (run, resume), found ${starts}`);
        if (new Set(steps).size !== steps.length) throw new Error('a step was logged twice');
    });
});
