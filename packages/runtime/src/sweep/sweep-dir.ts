/**
 * The sweep directory (a contract: README.md, "Sweeps"):
 *   sweep.json         the sweep, its points, their settings and where each stands
 *   specs/<point>.json the JobSpec of each point (what `persemon run` is given)
 *   runs/<point>/      an ordinary run directory each
 *   logs/              each point's output (local: <point>.log; Slurm: slurm-<job>_<task>.out)
 *   slurm/             the sbatch scripts submitted
 * sweep.json is rewritten whole (atomically) by the one `persemon sweep` that drives the sweep; the
 * run directories are the truth about each point, sweep.json adds what they cannot say (how a
 * process that left no error event ended).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobSpec, Setting, SlurmSpec, SweepAxis, SweepSpec } from '@persemon/language';
import { UserError } from '../errors.js';
import { claimFolder, makeFolder, readJsonFile, writeFileAtomic } from '../run/run-dir.js';
import { runDirName } from '../run-name.js';

export type PointStatus = 'pending' | 'running' | 'done' | 'failed' | 'interrupted';

export interface PointRecord {
    name: string;
    experiment: string;
    settings: Setting[];
    status: PointStatus;
    /** How the last attempt ended when it was not `done`: exit code or signal, Slurm's state. */
    exit?: { code: number | null; signal?: string | null; state?: string };
    /** The last attempt's error, from its error event or its output. */
    error?: string;
    attempts: number;
}

export interface SlurmJobRecord {
    id: string;
    script: string;
    points: string[];
    submitted: string;
}

export interface SweepFile {
    version: 1;
    sweep: string;
    source: string | null;
    created: string;
    axes: SweepAxis[];
    slurm: SlurmSpec;
    /** The command line's --set, applied to every point before its own settings. */
    overrides: Setting[];
    /** --max-steps given to every point, or null. */
    max_steps: number | null;
    /** Where the sweep last ran: `local` or `slurm`. */
    to: 'local' | 'slurm';
    points: PointRecord[];
    slurm_jobs: SlurmJobRecord[];
}

export interface SweepDir {
    root: string;
    file: string;
    data: SweepFile;
}

export const SWEEP_FILE = 'sweep.json';

export function specFile(dir: SweepDir, point: string): string {
    return path.join(dir.root, 'specs', `${point}.json`);
}

export function pointRunDir(dir: SweepDir, point: string): string {
    return path.join(dir.root, 'runs', point);
}

export function logsDir(dir: SweepDir): string {
    return path.join(dir.root, 'logs');
}

/**
 * Creates `<sweep>-<time>` under `outDir` (then `-2`, ... when taken) with sweep.json and specs/:
 * each point's JobSpec given, as `jobs`, in the sweep's order.
 */
export function createSweepDir(sweep: SweepSpec, jobs: JobSpec[], outDir: string, options: Pick<SweepFile, 'overrides' | 'max_steps' | 'to'>, now = new Date()): SweepDir {
    makeFolder(outDir);
    let attempt = 1;
    let root = path.join(outDir, runDirName(sweep.sweep, now));
    while (!claimFolder(root)) root = path.join(outDir, runDirName(sweep.sweep, now, ++attempt));
    for (const sub of ['specs', 'runs', 'logs']) fs.mkdirSync(path.join(root, sub));
    const data: SweepFile = {
        version: 1, sweep: sweep.sweep, source: sweep.source, created: now.toISOString(), axes: sweep.axes, slurm: sweep.slurm,
        ...options,
        points: sweep.points.map(p => ({ name: p.name, experiment: p.experiment, settings: p.settings, status: 'pending', attempts: 0 })),
        slurm_jobs: []
    };
    const dir: SweepDir = { root, file: path.join(root, SWEEP_FILE), data };
    sweep.points.forEach((p, i) => writeFileAtomic(specFile(dir, p.name), JSON.stringify(jobs[i], null, 2) + '\n'));
    saveSweep(dir);
    return dir;
}

export function isSweepDir(dir: string): boolean {
    return fs.existsSync(path.join(dir, SWEEP_FILE));
}

export function openSweepDir(root: string): SweepDir {
    const file = path.join(root, SWEEP_FILE);
    if (!fs.existsSync(file)) throw new UserError(`${root}: not a sweep directory (no ${SWEEP_FILE})`);
    const data = readJsonFile(file) as SweepFile;
    if (data?.version !== 1 || !Array.isArray(data.points) || !Array.isArray(data.slurm_jobs)) {
        throw new UserError(`${file}: not a sweep file of this version (version 1 with points and slurm_jobs)`);
    }
    const dir: SweepDir = { root: path.resolve(root), file, data };
    for (const point of data.points) {
        if (!fs.existsSync(specFile(dir, point.name))) throw new UserError(`${specFile(dir, point.name)}: missing: the JobSpec of point ${point.name}`);
    }
    makeFolder(logsDir(dir));
    return dir;
}

export function saveSweep(dir: SweepDir): void {
    writeFileAtomic(dir.file, JSON.stringify(dir.data, null, 2) + '\n');
}
