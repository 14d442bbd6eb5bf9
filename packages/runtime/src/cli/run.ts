/**
 * `persemon run FILE [--experiment NAME] [--set PATH=VALUE]... [--out DIR] [--max-steps N] [--backend B]`:
 * prints the run directory on the first line of stdout, then progress, then the metrics laid out like
 * the paper's Table 4. The training, reporting, file-error and --set helpers here serve `resume`,
 * `eval` and `sweep` too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { absoluteFileSettings, applySettings, assertJobSpec, compileFile, describeSettingProblems, parseSetting, type JobSpec, type Setting } from '@persemon/language';
import { BACKEND_REQUESTS, isBackendRequest, type BackendRequest } from '../backend/select.js';
import { asUserError, UsageError, UserError } from '../errors.js';
import { formatEmotionTable, formatPersonalityTable } from '../eval/table.js';
import { runJob, type JobOptions } from '../run/job.js';
import { assertTrainable } from '../run/preflight.js';
import type { Report } from '../run/report.js';
import { createRunDir, openRunDir, readJsonFile } from '../run/run-dir.js';
import { createRunDirAt } from '../sweep/point-run-dir.js';
import type { Output } from './output.js';
import { Progress } from './progress.js';
import { stringValue, stringValues, wholeValue, type OptionSpec, type ParsedArgs, type Verb } from './verb.js';

/** `--set PATH=VALUE`, shared by `run` and `sweep`. */
export const SET_OPTION: OptionSpec = {
    type: 'string', value: 'PATH=VALUE', multiple: true,
    help: 'change a setting of the JobSpec by its dotted path (loss.lambda3=0.2, fem.depth=10,\n'
        + 'datasets.personas.synthetic.people=40); VALUE is JSON where it parses, else text; repeatable'
};

export const runVerb: Verb = {
    name: 'run',
    computes: true,
    actions: [{
        args: 'FILE',
        summary: 'train and evaluate; prints the run directory first',
        description: 'Trains and evaluates an experiment of a .persemon document, or a compiled JobSpec .json,\n'
            + 'in a new run directory (runs/<experiment>-<yyyymmdd-hhmmss>/ beside the document, or under\n'
            + '--out). Prints that directory on the first line, then progress, then the results laid out\n'
            + 'like the paper\'s Table 4. Ctrl-C stops after the current step with a checkpoint (then\n'
            + '`persemon resume`); a second Ctrl-C quits at once.',
        options: {
            experiment: { type: 'string', value: 'NAME', help: 'the experiment to run (needed when the file holds several)' },
            set: SET_OPTION,
            out: { type: 'string', value: 'DIR', help: 'where to create the run directory (default: the experiment\'s output)' },
            'run-dir': { type: 'string', value: 'DIR', help: 'create the run directory exactly at DIR, which must not exist (a sweep\'s runs/<point>/)' },
            'max-steps': { type: 'string', value: 'N', help: 'stop after N iterations (the schedule keeps its milestones)' },
            backend: { type: 'string', value: 'B', help: `the compute engine, in place of the experiment's: ${BACKEND_REQUESTS.join(', ')}` },
        },
        exit: { 0: 'when the run ended or stopped on request', 1: 'on a bad document, JobSpec or dataset, or a failed run' },
        run: async (args, out) => {
            if (args.positionals.length !== 1) throw new UsageError('run needs exactly one FILE (.persemon or JobSpec .json)');
            const maxSteps = wholeValue(args, 'max-steps', 1);
            const where = { out: stringValue(args, 'out'), runDir: stringValue(args, 'run-dir') };
            if (where.out !== undefined && where.runDir !== undefined) throw new UsageError('--out and --run-dir exclude each other');
            const overrides = settingsOf(args);
            await run(args.positionals[0], stringValue(args, 'experiment'), where, { maxSteps, backend: backendOf(stringValue(args, 'backend')), overrides }, out);
        },
    }],
};

async function run(file: string, experiment: string | undefined, where: { out?: string; runDir?: string }, options: JobOptions, out: Output): Promise<void> {
    await withFileErrors(async () => {
        const compiled = await loadSpec(file, experiment);
        // A file named on the command line is relative to the shell's folder, as any CLI argument.
        const spec = withSettings(compiled, absoluteFileSettings(compiled, options.overrides ?? [], process.cwd()));
        assertTrainable(spec, file);
        const dir = where.runDir !== undefined ? createRunDirAt(path.resolve(where.runDir), spec) : createRunDir(spec, where.out ? path.resolve(where.out) : spec.output);
        out.line(dir.root);
        await train(dir.root, options, out);
    });
}

/** The `--set` options as settings; one that is not PATH=VALUE is a bad argument. */
export function settingsOf(args: ParsedArgs): Setting[] {
    return stringValues(args, 'set').map(text => {
        try {
            return parseSetting(text);
        } catch (error) {
            throw new UsageError(`--set ${(error as Error).message}`);
        }
    });
}

/** `spec` with the --set settings applied; a path or value the JobSpec refuses is a bad argument, named. */
export function withSettings(spec: JobSpec, settings: readonly Setting[]): JobSpec {
    if (settings.length === 0) return spec;
    const { spec: changed, problems } = applySettings(spec, settings);
    if (problems.length > 0) throw new UsageError(`--set refused for experiment '${spec.experiment}':\n  ${describeSettingProblems(problems, settings).join('\n  ')}`);
    return changed;
}

/** A missing, misplaced or unwritable path is the user's to fix: say which, without a stack trace. */
export async function withFileErrors(action: () => Promise<void>): Promise<void> {
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

export async function train(root: string, options: JobOptions, out: Output): Promise<void> {
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
