/**
 * A sweep directory as the editor reads it (README.md, "Sweeps": `<sweep>-<yyyymmdd-hhmmss>/` with
 * sweep.json, specs/<point>.json and runs/<point>/). Only what the Runs view and the commands need
 * is read from sweep.json: the sweep's name, its axes and each point's name, experiment, settings
 * and last recorded status; the points' run directories say the rest.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseJsonFile } from '../json-file.js';

export const SWEEP_FILE = 'sweep.json';

/** What `persemon sweep` recorded of a point; `status` is its word when no process runs it. */
export interface SweepPointRecord {
    name: string;
    experiment: string;
    settings: Array<{ path: string; value: unknown }>;
    status: 'pending' | 'running' | 'done' | 'failed' | 'interrupted';
    error?: string;
}

export interface SweepRecord {
    /** The sweep directory, absolute. */
    root: string;
    sweep: string;
    /** The settings that vary, in the sweep's order (a zip's paths together). */
    axes: Array<{ paths: string[]; values: unknown[][] }>;
    points: SweepPointRecord[];
}

const STATUSES = new Set(['pending', 'running', 'done', 'failed', 'interrupted']);

/** sweep.json's text checked for what the editor uses; errors name the file and the field. */
export function parseSweepFile(text: string, root: string): SweepRecord {
    const file = path.join(root, SWEEP_FILE);
    const data = parseJsonFile(text, file);
    if (!isObject(data)) throw new Error(`${file}: not a sweep file (an object with sweep and points)`);
    if (typeof data.sweep !== 'string') throw new Error(`${file}: sweep: must be the sweep's name`);
    if (!Array.isArray(data.points)) throw new Error(`${file}: points: must list the sweep's points`);
    const points = data.points.map((p: unknown, i: number): SweepPointRecord => {
        if (!isObject(p) || typeof p.name !== 'string' || !/^[^/\\]+$/.test(p.name) || p.name === '.' || p.name === '..') throw new Error(`${file}: points[${i}].name: must be a point's name (a folder name under runs/)`);
        if (typeof p.experiment !== 'string') throw new Error(`${file}: points[${i}].experiment: must name an experiment`);
        const status = typeof p.status === 'string' && STATUSES.has(p.status) ? p.status as SweepPointRecord['status'] : 'pending';
        const settings = Array.isArray(p.settings)
            ? p.settings.filter((s: unknown): s is { path: string; value: unknown } => isObject(s) && typeof s.path === 'string')
            : [];
        return { name: p.name, experiment: p.experiment, settings, status, ...(typeof p.error === 'string' ? { error: p.error } : {}) };
    });
    const axes = Array.isArray(data.axes)
        ? data.axes.filter((a: unknown): a is SweepRecord['axes'][number] => isObject(a) && Array.isArray(a.paths) && Array.isArray(a.values))
        : [];
    return { root, sweep: data.sweep, axes, points };
}

export function readSweepDir(root: string): SweepRecord {
    const dir = path.resolve(root);
    return parseSweepFile(fs.readFileSync(path.join(dir, SWEEP_FILE), 'utf8'), dir);
}

export function pointRunDir(root: string, point: string): string {
    return path.join(root, 'runs', point);
}

/** The sweep directory a run directory belongs to (`<root>/runs/<point>` beside `<root>/sweep.json`), if any. */
export function sweepRootOf(runDir: string, exists: (file: string) => boolean = fs.existsSync): string | undefined {
    const runs = path.dirname(path.resolve(runDir));
    if (path.basename(runs) !== 'runs') return undefined;
    const root = path.dirname(runs);
    return exists(path.join(root, SWEEP_FILE)) ? root : undefined;
}

/** A point's settings in one line: `seed=1, model.coherence.enabled=false`. */
export function describeSettings(point: SweepPointRecord): string {
    return point.settings.map(s => `${s.path}=${typeof s.value === 'string' ? s.value : JSON.stringify(s.value)}`).join(', ');
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
