/**
 * Root hooks for the editor end to end (mocha's `require`, see mocharc.cjs). Before the specs: the
 * extension packaged and installed into a sandboxed code-server, a fresh copy of examples/ with a
 * 100,000-event run in it, and the trusted session started. After each test: its outcome and time
 * recorded, and a screenshot when it failed. After the specs: the session stopped, a check that the
 * editor never saved the edited quickstart.persemon, and artifacts/results.json written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Context, RootHookObject } from 'mocha';
import { writeBenchRun } from './bench-run.js';
import {
    activeSession, artifacts, benchDir, cleanUp, examples, figures, prepare, recordSetupFailure, results, stopSession, useSession
} from './harness.js';

const started = Date.now();
const quickstart = path.join(examples, 'quickstart.persemon');
let original: string | undefined;

export const mochaHooks: RootHookObject = {
    async beforeAll(this: Context) {
        try {
            prepare();
            original = fs.readFileSync(quickstart, 'utf8');
            writeBenchRun(benchDir);
        } catch (error) {
            recordSetupFailure(error);
            throw error;
        }
        await useSession(true);
    },

    async afterEach(this: Context) {
        const test = this.currentTest;
        if (!test) return;
        const ok = test.state === 'passed';
        const message = test.err ? test.err.message.split('\n').slice(0, 6).join('\n') : undefined;
        results.push({ name: test.title, ok, ms: test.duration ?? 0, ...(ok ? {} : { error: message ?? String(test.state) }) });
        if (!ok) await activeSession()?.workbench.shot(`failed-${test.title.replace(/\W+/g, '-')}`).catch(() => undefined);
    },

    async afterAll(this: Context) {
        let saved = false;
        try {
            await stopSession();
        } finally {
            if (original !== undefined && fs.readFileSync(quickstart, 'utf8') !== original) {
                saved = true;
                results.push({ name: 'quickstart.persemon left unsaved', ok: false, ms: 0, error: 'the editor saved the edited document' });
            }
            cleanUp();
            figures.total_s = Math.round((Date.now() - started) / 100) / 10;
            fs.mkdirSync(artifacts, { recursive: true });
            fs.writeFileSync(path.join(artifacts, 'results.json'), JSON.stringify({ results, figures }, null, 2) + '\n');
            process.stdout.write(`e2e figures: ${JSON.stringify(figures)}\n`);
        }
        if (saved) throw new Error('quickstart.persemon left unsaved: the editor saved the edited document');
    }
};
