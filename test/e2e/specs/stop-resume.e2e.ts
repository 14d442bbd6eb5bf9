/**
 * Stopping and resuming a longer run from the editor (maxSteps raised in the Settings editor, then
 * set back): the run stops cleanly and resumes in the same directory without logging a step twice.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { examples, MAX_STEPS, requireEditorRun, useSession, type Session } from '../harness.js';
import type { Workbench } from '../workbench.js';

describe('stop and resume', () => {
    let session: Session;
    let wb: Workbench;
    let page: Page;
    before(async () => {
        session = await useSession(true);
        wb = session.workbench;
        page = wb.page;
    });

    it('Stop Run stops a run cleanly, Resume Run continues it in the same directory', async () => {
        requireEditorRun();
        await wb.setMaxSteps(session.userData, 200);
        await page.keyboard.press('Control+P');
        await wb.pick('quickstart.persemon');
        const dir = await wb.runStopResumeStop(path.join(examples, 'runs'));
        await wb.shot('12-stopped-resumed');
        await wb.setMaxSteps(session.userData, MAX_STEPS);
        const events = fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l) as { type: string; step: number });
        const starts = events.filter(e => e.type === 'start').length;
        const trainSteps = events.filter(e => e.type === 'train').map(e => e.step);
        if (starts !== 2) throw new Error(`expected 2 start events (run, resume), found ${starts}`);
        if (new Set(trainSteps).size !== trainSteps.length) throw new Error('a step was logged twice');
    });
});
