/**
 * What a resumed run keeps from its earlier attempts (the spec it ran, its --max-steps) and what it
 * refuses: continuing under an edited spec.json would finish the run as a mix of two jobs.
 */
import * as fs from 'node:fs';
import { UserError } from '../errors.js';
import { readEvents, type StartEvent } from './events.js';
import { specHash, type RunDir } from './run-dir.js';

export interface ResumeOptions {
    /** A new cap; without one, the cap of the previous attempt holds. */
    maxSteps?: number;
    /** The `--set` settings of a new run; a resumed one keeps those of its previous attempt. */
    overrides?: Array<{ path: string; value: unknown }>;
    /** Continue although spec.json changed since the previous attempt. */
    acceptSpecChange?: boolean;
}

export interface Continuation {
    /** The step cap of this attempt, if any. */
    maxSteps: number | undefined;
    /** The `--set` settings spec.json was made with (recorded by the first attempt's start event). */
    overrides: Array<{ path: string; value: unknown }>;
    /** The previous attempt's spec hash, when it differs from spec.json's and the user accepted that. */
    specChangedFrom?: string;
}

export function continuation(dir: RunDir, options: ResumeOptions): Continuation {
    const previous = lastStart(dir.eventsFile);
    const maxSteps = options.maxSteps ?? previous?.max_steps ?? undefined;
    const overrides = previous?.overrides ?? options.overrides ?? [];
    if (!previous) return { maxSteps, overrides };
    const now = specHash(dir.spec);
    if (previous.spec_hash === now) return { maxSteps, overrides };
    if (!options.acceptSpecChange) {
        throw new UserError(`${dir.specFile}: changed since the run started: its spec hash was ${previous.spec_hash} `
            + `(start event at step ${previous.step}), it is ${now} now; resuming would finish the run as a mix of two jobs. `
            + `Put the old spec.json back, or continue with the edited one: persemon resume ${dir.root} --accept-spec-change`);
    }
    return { maxSteps, overrides, specChangedFrom: previous.spec_hash };
}

function lastStart(eventsFile: string): StartEvent | null {
    if (!fs.existsSync(eventsFile)) return null;
    return readEvents(eventsFile).filter((e): e is StartEvent => e.type === 'start').at(-1) ?? null;
}
