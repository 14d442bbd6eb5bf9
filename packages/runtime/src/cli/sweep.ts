/**
 * `persemon sweep FILE [--sweep NAME] [--parallel N] [--to local|slurm] [--fail-fast] [--retry-failed]`
 * with run's `--set`, `--max-steps`, `--backend`, `--out`: creates a sweep directory (its path on the
 * first line of stdout) and runs every point, here as child processes or on Slurm as a job array.
 * `persemon sweep SWEEP_DIR` continues a sweep: finished points are skipped, interrupted ones resumed
 * from their checkpoints, failed ones retried with --retry-failed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
    absoluteFileSettings, assertSweepSpec, compileSweepFile, pointSpec, resolveSettingPath, type JobSpec, type Setting, type SlurmSpec, type SweepSpec
} from '@persemon/language';
import { UsageError, UserError } from '../errors.js';
import { readJsonFile } from '../run/run-dir.js';
import { driveSweep, counts, type SweepSummary } from '../sweep/drive.js';
import type { SweepControl } from '../sweep/local.js';
import { SweepProgress } from '../sweep/progress.js';
import { createSweepDir, isSweepDir, openSweepDir, type SweepDir } from '../sweep/sweep-dir.js';
import { stderr, type Output } from './output.js';
import { SET_OPTION, settingsOf, withFileErrors } from './run.js';
import { flag, stringValue, wholeValue, type ParsedArgs, type Verb } from './verb.js';

export const sweepVerb: Verb = {
    name: 'sweep',
    // The points compute, each in its own `persemon run`, which prepares the GPU engine's environment itself.
    actions: [{
        args: 'FILE|SWEEP_DIR',
        summary: 'run every point of a sweep, here or on Slurm; prints the sweep directory\nfirst; given a sweep directory, continues it',
        description: 'Runs a sweep declared in a .persemon document (or a compiled SweepSpec .json): each experiment\n'
            + 'it names crossed with every combination of its settings, in a new sweep directory\n'
            + '(<sweep>-<yyyymmdd-hhmmss>/ under --out, default runs/ beside the document) holding sweep.json,\n'
            + 'specs/<point>.json and runs/<point>/. Prints that directory first, then progress on stderr:\n'
            + 'done, failed and running of N, and each failure when it happens with its run directory and error.\n'
            + 'Locally, points run as child `persemon run` processes, --parallel at a time; with --to slurm, as\n'
            + 'one job array submitted with sbatch and followed with squeue and scontrol (the sweep directory\n'
            + 'must be on a file system the nodes share).\n'
            + 'Given a SWEEP_DIR instead, continues that sweep: finished points are skipped, interrupted or\n'
            + 'cancelled ones resume from their last checkpoint, failed ones run again only with --retry-failed.',
        options: {
            sweep: { type: 'string', value: 'NAME', help: 'the sweep to run (needed when the file declares several)' },
            parallel: { type: 'string', value: 'N', help: 'points at once (default 1; on Slurm the array\'s %P, default the sweep\'s)' },
            to: { type: 'string', value: 'local|slurm', help: 'where the points run (default local; a SWEEP_DIR: where it ran last)' },
            'fail-fast': { type: 'boolean', help: 'at the first failure, start nothing more and stop the running points\n(locally after their current step, with a checkpoint; on Slurm with scancel)' },
            'retry-failed': { type: 'boolean', help: 'with a SWEEP_DIR: run failed points again too' },
            set: SET_OPTION,
            'max-steps': { type: 'string', value: 'N', help: 'stop each point after N iterations (a SWEEP_DIR keeps its own unless given)' },
            backend: { type: 'string', value: 'B', help: 'every point\'s compute engine (as --set backend=B)' },
            out: { type: 'string', value: 'DIR', help: 'where to create the sweep directory (default: runs/ beside the document)' },
            partition: { type: 'string', value: 'P', help: 'Slurm partition, over the sweep\'s' },
            time: { type: 'string', value: 'T', help: 'Slurm time limit per point (e.g. 2:00:00), over the sweep\'s' },
            cpus: { type: 'string', value: 'N', help: 'Slurm CPUs per point, over the sweep\'s' },
            mem: { type: 'string', value: 'M', help: 'Slurm memory per point (e.g. 8G), over the sweep\'s' },
            gres: { type: 'string', value: 'G', help: 'Slurm generic resources per point (e.g. gpu:1), over the sweep\'s' },
            poll: { type: 'string', value: 'S', help: 'seconds between squeue polls on Slurm (default 5)' },
        },
        exit: { 0: 'when every point is done', 1: 'when a point failed or was left unfinished, or on a bad document, SweepSpec or sweep directory' },
        run: async (args, out) => {
            if (args.positionals.length !== 1) throw new UsageError('sweep needs exactly one FILE (.persemon or SweepSpec .json) or SWEEP_DIR');
            await sweep(args.positionals[0], args, out);
        },
    }],
};

async function sweep(target: string, args: ParsedArgs, out: Output): Promise<void> {
    const to = stringValue(args, 'to');
    if (to !== undefined && to !== 'local' && to !== 'slurm') throw new UsageError(`--to must be local or slurm, not '${to}'`);
    const parallel = wholeValue(args, 'parallel', 1);
    const maxSteps = wholeValue(args, 'max-steps', 1);
    const pollSeconds = wholeValue(args, 'poll', 1) ?? 5;
    const slurm = slurmOptions(args, parallel);
    await withFileErrors(async () => {
        let dir: SweepDir;
        if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
            if (!isSweepDir(target)) throw new UserError(`${target}: not a sweep directory (no sweep.json) and not a document`);
            for (const name of ['sweep', 'set', 'backend', 'out'] as const) {
                if (args.values[name] !== undefined) throw new UsageError(`--${name} applies when a sweep is created; ${target} is made already (its specs/ are fixed)`);
            }
            dir = openSweepDir(target);
            if (maxSteps !== undefined) dir.data.max_steps = maxSteps;
        } else {
            if (flag(args, 'retry-failed')) throw new UsageError('--retry-failed applies to a SWEEP_DIR being continued');
            const spec = await loadSweep(target, stringValue(args, 'sweep'));
            const given = [...settingsOf(args), ...backendSetting(stringValue(args, 'backend'))];
            const overrides = absoluteFileSettings(Object.values(spec.experiments)[0], given, process.cwd());
            const jobs = pointJobs(spec, overrides);
            const outDir = stringValue(args, 'out');
            dir = createSweepDir(spec, jobs, outDir ? path.resolve(outDir) : jobs[0].output, { overrides, max_steps: maxSteps ?? null, to: (to as 'local' | 'slurm' | undefined) ?? 'local' });
        }
        out.line(dir.root);
        const control: SweepControl = { stop: false };
        const onSigint = () => {
            if (control.stop) {
                control.quit?.();
                process.exit(130);
            }
            control.stop = true;
            out.info('stopping: no new points; running ones stop after their current step (Ctrl-C again to quit at once)');
        };
        process.on('SIGINT', onSigint);
        let summary: SweepSummary;
        try {
            const progress = new SweepProgress(stderr, () => counts(dir));
            summary = await driveSweep(dir, {
                to: (to as 'local' | 'slurm' | undefined) ?? dir.data.to, parallel: parallel ?? 1, failFast: flag(args, 'fail-fast'),
                retryFailed: flag(args, 'retry-failed'), command: [process.execPath, ...process.execArgv, process.argv[1]], slurm,
                pollMs: pollSeconds * 1000, control
            }, progress);
        } finally {
            process.off('SIGINT', onSigint);
        }
        report(dir, summary, out);
    });
}

/** A .persemon document's sweep, compiled, or a SweepSpec .json, checked. */
async function loadSweep(file: string, name: string | undefined): Promise<SweepSpec> {
    if (!fs.existsSync(file)) throw new UserError(`${file}: file not found`);
    if (!file.endsWith('.json')) return compileSweepFile(file, name);
    const value = readJsonFile(file);
    assertSweepSpec(value, file);
    if (name !== undefined && value.sweep !== name) throw new UserError(`${file}: holds sweep '${value.sweep}', not '${name}'`);
    return value;
}

/**
 * Each point's JobSpec: its experiment's, with the command line's --set and then its own settings.
 * A --set on a path the sweep varies, or one that no point's JobSpec takes, is a bad argument.
 */
function pointJobs(sweep: SweepSpec, overrides: Setting[]): JobSpec[] {
    const varied = new Map<string, string>();
    for (const [name, spec] of Object.entries(sweep.experiments)) {
        for (const axis of sweep.axes) {
            for (const p of axis.paths) {
                const resolved = resolveSettingPath(spec, p);
                if ('path' in resolved) varied.set(resolved.path, `${p} (sweep ${sweep.sweep}, experiment ${name})`);
            }
        }
        for (const o of overrides) {
            const resolved = resolveSettingPath(spec, o.path);
            if ('path' in resolved && varied.has(resolved.path)) throw new UsageError(`--set ${o.path}: the sweep varies it: ${varied.get(resolved.path)}`);
        }
    }
    return sweep.points.map(point => {
        const { spec, problems } = pointSpec(sweep, point, overrides);
        const own = new Set(overrides.map(o => o.path));
        if (problems.some(p => own.has(p.path))) {
            throw new UsageError(`--set refused for point ${point.name}:\n  ${problems.map(p => `${p.path === '' ? '' : `${p.path}: `}${p.message}`).join('\n  ')}`);
        }
        if (problems.length > 0) {
            throw new UserError(`${sweep.source ?? 'sweep'}: point ${point.name} (experiment ${point.experiment}) is not a valid JobSpec:\n  `
                + problems.map(p => `${p.path === '' ? '' : `${p.path}: `}${p.message}`).join('\n  '));
        }
        return spec;
    });
}

function backendSetting(backend: string | undefined): Setting[] {
    return backend === undefined ? [] : [{ path: 'backend', value: backend }];
}

function slurmOptions(args: ParsedArgs, parallel: number | undefined): SlurmSpec {
    const slurm: SlurmSpec = {};
    for (const key of ['partition', 'time', 'mem', 'gres'] as const) {
        const v = stringValue(args, key);
        if (v !== undefined) slurm[key] = v;
    }
    const cpus = wholeValue(args, 'cpus', 1);
    if (cpus !== undefined) slurm.cpus = cpus;
    if (parallel !== undefined) slurm.parallel = parallel;
    return slurm;
}

/** The outcome on stdout; a failed or unfinished point makes the exit status 1. */
function report(dir: SweepDir, summary: SweepSummary, out: Output): void {
    out.line(`${summary.done.length}/${summary.total} points done${summary.skipped > 0 ? ` (${summary.skipped} before this call)` : ''}`
        + `, ${summary.failed.length} failed, ${summary.unfinished.length} not finished`);
    for (const p of summary.failed) out.line(`failed: ${p.name}: ${p.error ?? 'no error recorded'}`);
    if (summary.done.length > 0) out.line(`tables: persemon compare ${dir.root}`);
    if (summary.failed.length > 0 || summary.unfinished.length > 0) {
        out.line(`continue: persemon sweep ${dir.root}${summary.failed.length > 0 ? ' --retry-failed' : ''}`);
        throw new UserError(`${dir.root}: ${summary.failed.length} point(s) failed, ${summary.unfinished.length} not finished`);
    }
}
