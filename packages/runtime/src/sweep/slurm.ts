/**
 * Runs a sweep's points as one Slurm job array: an sbatch script whose task i runs point i (a fresh
 * `persemon run` of specs/<point>.json into runs/<point>/, or a `persemon resume` of a point that
 * had started), `%P` tasks at a time; submitted with `sbatch --parsable`, then followed with
 * `squeue` (which tasks still wait or run) and `scontrol show job` (how each one ended: JobState and
 * ExitCode). The sweep directory must be on a file system the nodes share, as on any cluster.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SlurmSpec } from '@persemon/language';
import { UserError } from '../errors.js';
import { lastError, type PointOutcome, type PointTask } from './local.js';
import { observePoint } from './point-state.js';

export interface SlurmTask extends PointTask {
    /** The point's index in the sweep: its array task id. */
    index: number;
}

export interface ScriptOptions {
    sweep: string;
    /** Every point's name, by index (the script maps a task id to its point). */
    points: string[];
    sweepRoot: string;
    logsDir: string;
    slurm: SlurmSpec;
    maxSteps?: number;
    command: string[];
    /** The folder the tasks start in (where the command's relative paths, if any, resolve). */
    workdir: string;
}

/** A word for bash, single-quoted where it needs to be. */
export function shellQuote(word: string): string {
    return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The array spec: `0,2-3%2`, runs of consecutive indices joined. */
export function arraySpec(indices: readonly number[], parallel?: number): string {
    const sorted = [...indices].sort((a, b) => a - b);
    const parts: string[] = [];
    for (let i = 0; i < sorted.length; i++) {
        let j = i;
        while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
        parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
        i = j;
    }
    return parts.join(',') + (parallel ? `%${parallel}` : '');
}

export function sbatchScript(tasks: readonly SlurmTask[], o: ScriptOptions): string {
    const directives = [
        `--job-name=persemon-${o.sweep}`,
        `--array=${arraySpec(tasks.map(t => t.index), o.slurm.parallel)}`,
        `--output=${path.join(o.logsDir, 'slurm-%A_%a.out')}`,
        `--chdir=${o.workdir}`,
        ...(o.slurm.partition ? [`--partition=${o.slurm.partition}`] : []),
        ...(o.slurm.time ? [`--time=${o.slurm.time}`] : []),
        ...(o.slurm.cpus ? [`--cpus-per-task=${o.slurm.cpus}`] : []),
        ...(o.slurm.mem ? [`--mem=${o.slurm.mem}`] : []),
        ...(o.slurm.gres ? [`--gres=${o.slurm.gres}`] : [])
    ];
    const cap = o.maxSteps === undefined ? '' : ` --max-steps ${o.maxSteps}`;
    const persemon = o.command.map(shellQuote).join(' ');
    return [
        '#!/bin/bash',
        `# persemon sweep ${o.sweep}: array task i runs point i of sweep.json, one JobSpec each (specs/<point>.json).`,
        ...directives.map(d => `#SBATCH ${d}`),
        'set -euo pipefail',
        `SWEEP=${shellQuote(o.sweepRoot)}`,
        `POINTS=(${o.points.map(shellQuote).join(' ')})`,
        'POINT="${POINTS[$SLURM_ARRAY_TASK_ID]}"',
        'RUN="$SWEEP/runs/$POINT"',
        '# A point that started before (cancelled, preempted, failed) continues from its last checkpoint.',
        'if [ -f "$RUN/spec.json" ]; then',
        `    exec ${persemon} resume "$RUN"${cap}`,
        'else',
        `    exec ${persemon} run "$SWEEP/specs/$POINT.json" --run-dir "$RUN"${cap}`,
        'fi',
        ''
    ].join('\n');
}

/** Runs a Slurm command; a missing one or a refusal is the user's to fix, said with Slurm's words. */
function slurm(command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(command, args, { encoding: 'utf8' });
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new UserError(`${command}: not found: --to slurm needs Slurm's commands (sbatch, squeue, scontrol, scancel) on PATH`);
    }
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Submits the script; the job id (`sbatch --parsable` prints `ID` or `ID;CLUSTER`). */
export function submit(script: string): string {
    const r = slurm('sbatch', ['--parsable', script]);
    if (r.status !== 0) throw new UserError(`${script}: sbatch refused it: ${r.stderr.trim() || `exit ${r.status}`}`);
    const id = r.stdout.trim().split(';')[0];
    if (!/^\d+$/.test(id)) throw new UserError(`${script}: sbatch answered '${r.stdout.trim()}', not a job id`);
    return id;
}

/** The array's tasks still queued or running, by task id, with their state (PENDING, RUNNING, ...). */
export function queuedTasks(jobId: string): Map<number, string> {
    const r = slurm('squeue', ['-h', '-r', '-j', jobId, '-o', '%i|%T']);
    const tasks = new Map<number, string>();
    // A job that has left the controller's memory is an "invalid job id": nothing is queued.
    if (r.status !== 0) return tasks;
    for (const line of r.stdout.split('\n')) {
        const match = /^\d+_(\d+)\|(\S+)$/.exec(line.trim());
        if (match) tasks.set(Number(match[1]), match[2]);
    }
    return tasks;
}

/** How an array task ended, from `scontrol show job`: its JobState and ExitCode (`1:0`: code 1, signal 0). */
export function taskEnd(jobId: string, index: number): { state: string; exitCode: string } | undefined {
    const r = slurm('scontrol', ['-o', 'show', 'job', `${jobId}_${index}`]);
    if (r.status !== 0) return undefined;
    const state = /\bJobState=(\S+)/.exec(r.stdout)?.[1];
    const exitCode = /\bExitCode=(\S+)/.exec(r.stdout)?.[1];
    return state ? { state, exitCode: exitCode ?? '?' } : undefined;
}

export function cancel(jobId: string): void {
    slurm('scancel', [jobId]);
}

export interface FollowOptions {
    pollMs: number;
    failFast: boolean;
    logsDir: string;
    started(task: SlurmTask): void;
    finished(task: SlurmTask, outcome: PointOutcome & { state?: string }, log: string): void;
    /** Set by the caller (Ctrl-C): stop following; the job goes on. */
    control?: { stop: boolean };
}

/**
 * Follows the array until every task has left the queue, reporting each as it starts and ends.
 * Returns false when the caller asked to stop following first.
 */
export async function follow(jobId: string, tasks: readonly SlurmTask[], o: FollowOptions): Promise<boolean> {
    const open = new Map(tasks.map(t => [t.index, t]));
    const running = new Set<number>();
    let cancelled = false;
    while (open.size > 0) {
        if (o.control?.stop) return false;
        const queued = queuedTasks(jobId);
        for (const [index, task] of [...open]) {
            const state = queued.get(index);
            if (state !== undefined) {
                if (state === 'RUNNING' && !running.has(index)) {
                    running.add(index);
                    o.started(task);
                }
                continue;
            }
            open.delete(index);
            const end = taskEnd(jobId, index);
            const log = path.join(o.logsDir, `slurm-${jobId}_${index}.out`);
            const outcome = outcomeOf(task, end, log);
            o.finished(task, outcome, log);
            if (outcome.status === 'failed' && o.failFast && !cancelled) {
                cancelled = true;
                cancel(jobId);
            }
        }
        if (open.size > 0) await new Promise(r => setTimeout(r, o.pollMs));
    }
    return true;
}

function outcomeOf(task: SlurmTask, end: { state: string; exitCode: string } | undefined, log: string): PointOutcome & { state?: string } {
    const observed = observePoint(task.runDir);
    const [code, signal] = (end?.exitCode ?? '').split(':').map(Number);
    const exit = { code: Number.isFinite(code) ? code : null, signal: Number.isFinite(signal) && signal !== 0 ? `signal ${signal}` : null, state: end?.state };
    if (observed.status === 'done') return { status: 'done', ...exit };
    if (end?.state.startsWith('CANCELLED')) return { status: 'interrupted', ...exit };
    const error = observed.error ?? (fs.existsSync(log) ? lastError(log) : undefined);
    return { status: 'failed', ...exit, error: error ?? (end ? `JobState=${end.state} ExitCode=${end.exitCode}` : 'left the queue without a trace (scontrol knows it no more)') };
}
