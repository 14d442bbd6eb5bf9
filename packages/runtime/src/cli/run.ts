/**
 * `persemon run FILE [--experiment NAME] [--out DIR] [--max-steps N] [--backend B]`,
 * `persemon resume RUN_DIR [--max-steps N] [--accept-spec-change]` and `persemon eval RUN_DIR [--split S]`.
 * `run` prints the run directory on the first line of stdout, then progress, then the metrics
 * laid out like the paper's Table 4.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertJobSpec, compileFile, type JobSpec } from '@persemon/language';
import { isBackendRequest, type BackendRequest } from '../backend/select.js';
import { asUserError, UsageError, UserError } from '../errors.js';
import { formatEmotionTable, formatPersonalityTable } from '../eval/table.js';
import { evaluateJob, runJob, type JobOptions } from '../run/job.js';
import { assertTrainable } from '../run/preflight.js';
import type { Report } from '../run/report.js';
import { createRunDir, openRunDir, readJsonFile } from '../run/run-dir.js';
import type { Output } from './output.js';
import { Progress } from './progress.js';

export interface RunArgs {
    file: string;
    experiment?: string;
    out?: string;
    maxSteps?: number;
    backend?: string;
}

export interface ResumeArgs {
    runDir: string;
    /** Replaces the cap the run was started with. */
    maxSteps?: number;
    acceptSpecChange?: boolean;
}

export async function run(args: RunArgs, out: Output): Promise<void> {
    await withFileErrors(async () => {
        const spec = await loadSpec(args.file, args.experiment);
        assertTrainable(spec, args.file);
        const dir = createRunDir(spec, args.out ? path.resolve(args.out) : spec.output);
        out.line(dir.root);
        await train(dir.root, { maxSteps: args.maxSteps, backend: backendOf(args.backend) }, out);
    });
}

export async function resume(args: ResumeArgs, out: Output): Promise<void> {
    await withFileErrors(async () => {
        const dir = openRunDir(args.runDir);
        if (fs.existsSync(dir.reportFile) && !fs.existsSync(path.join(dir.checkpointsDir, 'latest'))) {
            throw new UserError(`${args.runDir}: has a report but no checkpoint to resume from`);
        }
        out.line(dir.root);
        await train(dir.root, { maxSteps: args.maxSteps, acceptSpecChange: args.acceptSpecChange }, out);
    });
}

export async function evaluate(runDir: string, split: string | undefined, out: Output): Promise<void> {
    await withFileErrors(async () => {
        const dir = openRunDir(runDir);
        const progress = new Progress();
        const report = await evaluateJob(dir, { split, listeners: [e => progress.onEvent(e)] });
        out.line(formatReport(report));
    });
}

/** A missing, misplaced or unwritable path is the user's to fix: say which, without a stack trace. */
async function withFileErrors(action: () => Promise<void>): Promise<void> {
    try {
        await action();
    } catch (error) {
        throw asUserError(error);
    }
}

/** Reads a .persemon document (compiling it) or a JobSpec .json (checking it against the schema). */
export async function loadSpec(file: string, experiment?: string): Promise<JobSpec> {
    if (!fs.existsSync(file)) throw new UserError(`${file}: file not found`);
    if (fs.statSync(file).isDirectory()) throw new UserError(`${file}: is a folder, not a .persemon document or JobSpec .json`);
    if (!file.endsWith('.json')) return compileFile(file, experiment);
    const value = readJsonFile(file);
    assertJobSpec(value, file);
    if (experiment !== undefined && value.experiment !== experiment) {
        throw new UserError(`${file}: holds experiment '${value.experiment}', not '${experiment}'`);
    }
    return value;
}

function backendOf(name: string | undefined): BackendRequest | undefined {
    if (name === undefined) return undefined;
    if (!isBackendRequest(name)) throw new UsageError(`--backend must be auto, gpu, node, wasm or cpu, not '${name}'`);
    return name;
}

async function train(root: string, options: JobOptions, out: Output): Promise<void> {
    const dir = openRunDir(root);
    const progress = new Progress();
    const control = { stop: false };
    // First Ctrl-C: stop after the current step, with a checkpoint; a second one: leave now.
    const onSigint = () => {
        if (control.stop) process.exit(130);
        control.stop = true;
        out.info('stopping after this step (Ctrl-C again to quit at once)');
    };
    process.on('SIGINT', onSigint);
    try {
        const result = await runJob(dir, { ...options, control, listeners: [e => progress.onEvent(e)] });
        if (result.report) out.line(formatReport(result.report));
        else out.info(`stopped at step ${result.step}; continue with: persemon resume ${root}`);
    } finally {
        process.off('SIGINT', onSigint);
    }
}

export function formatReport(report: Report): string {
    const parts: string[] = [];
    for (const [split, r] of Object.entries(report.splits)) {
        if (r.personality) parts.push(formatPersonalityTable(`Apparent personality on ${split} (step ${r.step})`, r.personality));
        if (r.emotion) parts.push(formatEmotionTable(`Emotion on ${split} (step ${r.step})`, r.emotion));
    }
    return parts.join('\n\n');
}
