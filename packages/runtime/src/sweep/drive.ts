/**
 * Drives a sweep directory to its end, locally or on Slurm: settles where each point stands (from
 * its run directory and sweep.json's record), runs what is left (pending and interrupted points,
 * failed ones only when asked), keeps sweep.json up to date as points start and end, and reports
 * progress and each failure as it happens.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SlurmSpec } from '@persemon/language';
import { runLocal, type PointOutcome, type PointTask, type SweepControl } from './local.js';
import { observePoint, settledStatus } from './point-state.js';
import type { SweepProgress } from './progress.js';
import { follow, queuedTasks, sbatchScript, submit, type SlurmTask } from './slurm.js';
import { logsDir, pointRunDir, saveSweep, specFile, type PointRecord, type SweepDir } from './sweep-dir.js';

export interface DriveOptions {
    to: 'local' | 'slurm';
    parallel: number;
    failFast: boolean;
    retryFailed: boolean;
    /** The persemon command for children and Slurm tasks: node, its flags, the CLI's script. */
    command: string[];
    /** Slurm settings from the command line, over the sweep's own. */
    slurm: SlurmSpec;
    pollMs: number;
    control: SweepControl;
}

export interface SweepSummary {
    total: number;
    done: string[];
    failed: PointRecord[];
    /** Not finished: interrupted, cancelled, or never started. */
    unfinished: string[];
    /** Points found already finished, and not run again. */
    skipped: number;
}

/** Each point's status as the run directories and sweep.json say when nothing runs them. */
export function settle(dir: SweepDir): void {
    for (const point of dir.data.points) {
        const observed = observePoint(pointRunDir(dir, point.name));
        point.status = settledStatus(point, observed);
        if (observed.status === 'failed' && observed.error) point.error = observed.error;
    }
    saveSweep(dir);
}

export function counts(dir: SweepDir): { total: number; done: number; failed: number; running: number } {
    const by = (s: string) => dir.data.points.filter(p => p.status === s).length;
    return { total: dir.data.points.length, done: by('done'), failed: by('failed'), running: by('running') };
}

export async function driveSweep(dir: SweepDir, options: DriveOptions, progress: SweepProgress): Promise<SweepSummary> {
    settle(dir);
    const skipped = dir.data.points.filter(p => p.status === 'done').length;
    if (skipped > 0) progress.info(`${skipped} of ${dir.data.points.length} points already done: skipped`);
    const retried = dir.data.points.filter(p => p.status === 'failed');
    if (retried.length > 0 && !options.retryFailed) progress.info(`${retried.length} failed point(s) left as they are (retry them with --retry-failed)`);
    const wanted = dir.data.points
        .map((p, index) => ({ p, index }))
        .filter(({ p }) => p.status === 'pending' || p.status === 'interrupted' || (p.status === 'failed' && options.retryFailed));
    const tasks: SlurmTask[] = wanted.map(({ p, index }) => ({ index, name: p.name, runDir: pointRunDir(dir, p.name), specFile: specFile(dir, p.name) }));
    const record = (name: string) => dir.data.points.find(p => p.name === name)!;

    const started = (task: PointTask, resumed: boolean) => {
        const r = record(task.name);
        r.status = 'running';
        r.attempts += 1;
        delete r.exit;
        delete r.error;
        saveSweep(dir);
        progress.note(task.name, resumed ? 'resumed' : 'started');
    };
    const finished = (task: PointTask, outcome: PointOutcome & { state?: string }, log: string) => {
        const r = record(task.name);
        r.status = outcome.status;
        if (outcome.status !== 'done') r.exit = { code: outcome.code, signal: outcome.signal, ...(outcome.state ? { state: outcome.state } : {}) };
        if (outcome.error) r.error = outcome.error;
        saveSweep(dir);
        if (outcome.status === 'failed') {
            const how = [outcome.state && `JobState=${outcome.state}`, outcome.code !== null && `exit code ${outcome.code}`, outcome.signal].filter(Boolean).join(', ');
            progress.failed(task.name, how || 'no exit status', outcome.error, task.runDir, log);
        } else {
            progress.note(task.name, outcome.state?.startsWith('CANCELLED') ? 'cancelled' : outcome.status);
        }
    };

    dir.data.to = options.to;
    saveSweep(dir);
    if (tasks.length > 0) {
        if (options.to === 'local') {
            await runLocal(tasks, {
                parallel: options.parallel, failFast: options.failFast, maxSteps: dir.data.max_steps ?? undefined, command: options.command,
                logsDir: logsDir(dir), started, finished, control: options.control
            });
        } else {
            await driveSlurm(dir, tasks, options, { started, finished }, progress);
        }
    }
    progress.end();
    settle(dir);
    const points = dir.data.points;
    return {
        total: points.length,
        done: points.filter(p => p.status === 'done').map(p => p.name),
        failed: points.filter(p => p.status === 'failed'),
        unfinished: points.filter(p => p.status !== 'done' && p.status !== 'failed').map(p => p.name),
        skipped
    };
}

async function driveSlurm(
    dir: SweepDir, tasks: SlurmTask[], options: DriveOptions,
    on: { started(t: PointTask, resumed: boolean): void; finished(t: PointTask, o: PointOutcome & { state?: string }, log: string): void },
    progress: SweepProgress
): Promise<void> {
    // A job of this sweep still on the cluster (the sweep was left while it ran): follow it, never submit twice.
    const previous = dir.data.slurm_jobs.at(-1);
    let jobId: string;
    let following: SlurmTask[];
    const stillQueued = previous ? queuedTasks(previous.id) : new Map<number, string>();
    if (previous && stillQueued.size > 0) {
        jobId = previous.id;
        following = tasks.filter(t => previous.points.includes(t.name));
        progress.info(`following Slurm job ${jobId}, submitted ${previous.submitted} (${stillQueued.size} task(s) still queued or running)`);
    } else {
        // The command line's settings hold for this sweep from now on: a resume asks for the same resources.
        dir.data.slurm = { ...dir.data.slurm, ...options.slurm };
        const scriptsDir = path.join(dir.root, 'slurm');
        fs.mkdirSync(scriptsDir, { recursive: true });
        const script = path.join(scriptsDir, `array-${dir.data.slurm_jobs.length + 1}.sbatch`);
        fs.writeFileSync(script, sbatchScript(tasks, {
            sweep: dir.data.sweep, points: dir.data.points.map(p => p.name), sweepRoot: dir.root, logsDir: logsDir(dir),
            slurm: dir.data.slurm, maxSteps: dir.data.max_steps ?? undefined, command: options.command, workdir: process.cwd()
        }), { mode: 0o755 });
        jobId = submit(script);
        following = tasks;
        dir.data.slurm_jobs.push({ id: jobId, script, points: tasks.map(t => t.name), submitted: new Date().toISOString() });
        saveSweep(dir);
        progress.info(`submitted Slurm job array ${jobId} (${tasks.length} task(s)): ${script}`);
    }
    const followed = await follow(jobId, following, {
        pollMs: options.pollMs, failFast: options.failFast, logsDir: logsDir(dir), control: options.control,
        started: t => on.started(t, fs.existsSync(path.join(t.runDir, 'events.jsonl'))),
        finished: on.finished
    });
    if (!followed) progress.info(`stopped following; Slurm job ${jobId} goes on (follow it again with: persemon sweep ${dir.root} --to slurm)`);
}
