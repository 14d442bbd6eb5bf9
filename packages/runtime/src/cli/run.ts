/**
 * `persemon run FILE [--experiment NAME] [--out DIR] [--max-steps N] [--backend B]`,
 * `persemon resume RUN_DIR` and `persemon eval RUN_DIR [--split S]`.
 * `run` prints the run directory on the first line of stdout, then progress, then the metrics
 * laid out like the paper's Table 4.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertJobSpec, compileFile, type JobSpec } from '@persemon/language';
import { isBackendRequest, type BackendRequest } from '../backend/select.js';
import { UsageError, UserError } from '../errors.js';
import { formatEmotionTable, formatPersonalityTable } from '../eval/table.js';
import { evaluateJob, runJob, type JobOptions, type Report } from '../run/job.js';
import { createRunDir, openRunDir } from '../run/run-dir.js';
import type { Output } from './output.js';
import { Progress } from './progress.js';

export interface RunArgs {
    file: string;
    experiment?: string;
    out?: string;
    maxSteps?: number;
    backend?: string;
}

export async function run(args: RunArgs, out: Output): Promise<void> {
    const spec = await loadSpec(args.file, args.experiment);
    const dir = createRunDir(spec, args.out ? path.resolve(args.out) : spec.output);
    out.line(dir.root);
    await train(dir.root, { maxSteps: args.maxSteps, backend: backendOf(args.backend) }, out);
}

export async function resume(runDir: string, out: Output): Promise<void> {
    const dir = openRunDir(runDir);
    if (fs.existsSync(dir.reportFile) && !fs.existsSync(path.join(dir.checkpointsDir, 'latest'))) {
        throw new UserError(`${runDir}: has a report but no checkpoint to resume from`);
    }
    out.line(dir.root);
    await train(dir.root, {}, out);
}

export async function evaluate(runDir: string, split: string | undefined, out: Output): Promise<void> {
    const dir = openRunDir(runDir);
    const report = await evaluateJob(dir, { split, listeners: [new Progress().onEvent.bind(new Progress())] });
    out.line(formatReport(report));
}

/** Reads a .persemon document (compiling it) or a JobSpec .json (checking it against the schema). */
export async function loadSpec(file: string, experiment?: string): Promise<JobSpec> {
    if (!fs.existsSync(file)) throw new UserError(`${file}: file not found`);
    if (!file.endsWith('.json')) return compileFile(file, experiment);
    let value: unknown;
    try {
        value = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
        throw new UserError(`${file}: not valid JSON (${(e as Error).message})`);
    }
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
        if (r.personality) parts.push(formatPersonalityTable(`Apparent personality on ${split} (step ${report.step})`, r.personality));
        if (r.emotion) parts.push(formatEmotionTable(`Emotion on ${split} (step ${report.step})`, r.emotion));
    }
    return parts.join('\n\n');
}
