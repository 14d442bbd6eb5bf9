/**
 * The SweepSpec: the plain-JSON form of a sweep, as the JobSpec is of an experiment. It holds the
 * compiled JobSpec of each experiment the sweep runs, its axes (a grid axis varies one setting; a
 * zipped axis varies several together, row by row) and the Slurm settings, and lists its points:
 * every experiment crossed with every combination of the axes' values.
 */
import * as path from 'node:path';
import type { JobSpec } from '../job-spec.js';
import { assertJobSpec, JobSpecError } from './schema.js';
import { applySettings, type Setting, type SettingProblem } from './sweep-settings.js';

/** One axis of the grid: one path with its values, or several paths whose values go together (`zip`). */
export interface SweepAxis {
    paths: string[];
    /** One row per value of the axis: as many entries as paths. */
    values: unknown[][];
}

/** What an sbatch script asks of the cluster; every field optional (the cluster's defaults hold). */
export interface SlurmSpec {
    partition?: string;
    /** Slurm's time format: `MM`, `HH:MM:SS`, `D-HH`. */
    time?: string;
    /** CPUs per task. */
    cpus?: number;
    /** Memory per node, Slurm's format: `4G`, `500M`. */
    mem?: string;
    /** Generic resources, e.g. `gpu:1`. */
    gres?: string;
    /** At most this many tasks of the array at once (`%P`). */
    parallel?: number;
}

/** One run of a sweep: an experiment with the settings of one combination. */
export interface SweepPoint {
    /** Unique in the sweep and safe as a folder name: `03-Paper-seed=2`. */
    name: string;
    experiment: string;
    settings: Setting[];
}

export interface SweepSpec {
    version: 1;
    sweep: string;
    /** Absolute path of the document the sweep was compiled from, or null. */
    source: string | null;
    /** The JobSpec of each experiment the sweep runs over, by name, in the sweep's order. */
    experiments: Record<string, JobSpec>;
    axes: SweepAxis[];
    slurm: SlurmSpec;
    points: SweepPoint[];
}

export { countSweepPoints } from './sweep-runs.js';

/** A SweepSpec with its points: experiments outermost, the last axis varying fastest. */
export function sweepSpec(parts: Omit<SweepSpec, 'version' | 'points'>): SweepSpec {
    return { version: 1, ...parts, points: sweepPoints(Object.keys(parts.experiments), parts.axes) };
}

export function sweepPoints(experiments: readonly string[], axes: readonly SweepAxis[]): SweepPoint[] {
    let combinations: Setting[][] = [[]];
    for (const axis of axes) {
        combinations = combinations.flatMap(settings => axis.values.map(row => [...settings, ...axis.paths.map((path, i) => ({ path, value: row[i] }))]));
    }
    const total = experiments.length * combinations.length;
    const width = String(Math.max(0, total - 1)).length;
    const points: SweepPoint[] = [];
    for (const experiment of experiments) {
        for (const settings of combinations) {
            const index = String(points.length).padStart(width, '0');
            points.push({ name: pointName(index, experiment, settings), experiment, settings });
        }
    }
    return points;
}

/** `03-Paper-seed=2-loss.lambda3=0.1`: the index keeps it unique, the rest says what it is; at most 120 characters. */
function pointName(index: string, experiment: string, settings: readonly Setting[]): string {
    const parts = [index, experiment, ...settings.map(s => `${s.path.replace(/^model\./, '').replace(/λ(\d)/g, 'lambda$1')}=${short(s.value)}`)];
    return parts.join('-').replace(/[^A-Za-z0-9._=+-]/g, '_').slice(0, 120);
}

function short(value: unknown): string {
    // A file is named by its own name: sweeps give file names as absolute paths.
    const text = typeof value === 'string' ? (path.isAbsolute(value) ? path.basename(value) : value) : JSON.stringify(value);
    return text.length > 24 ? text.slice(0, 24) : text;
}

/** A point's JobSpec: its experiment's, with `extra` (the command line's --set) and then its own settings. */
export function pointSpec(sweep: SweepSpec, point: SweepPoint, extra: readonly Setting[] = []): { spec: JobSpec; problems: SettingProblem[] } {
    const base = sweep.experiments[point.experiment];
    if (!base) return { spec: base, problems: [{ path: '', message: `the sweep has no experiment '${point.experiment}'` }] };
    return applySettings(base, [...extra, ...point.settings]);
}

export class SweepSpecError extends Error {
    constructor(readonly source: string, readonly problems: string[]) {
        super(`${source}: invalid SweepSpec:\n  ${problems.join('\n  ')}`);
        this.name = 'SweepSpecError';
    }
}

const SLURM_FIELDS: Record<keyof SlurmSpec, 'string' | 'count'> = {
    partition: 'string', time: 'string', cpus: 'count', mem: 'string', gres: 'string', parallel: 'count'
};

/**
 * Throws a SweepSpecError naming each bad field unless `value` is a SweepSpec whose experiments are
 * valid JobSpecs and whose every point, applied to its experiment, is one too.
 */
export function assertSweepSpec(value: unknown, source: string): asserts value is SweepSpec {
    const problems: string[] = [];
    if (!isRecord(value)) throw new SweepSpecError(source, ['(root): must be an object']);
    if (value.version !== 1) problems.push('version: must be 1');
    if (typeof value.sweep !== 'string' || !/^[_a-zA-Zλ][\wλ]*$/.test(value.sweep)) problems.push('sweep: must be a name (letters, digits, _)');
    if (value.source !== null && typeof value.source !== 'string') problems.push('source: must be a string or null');
    if (!isRecord(value.experiments) || Object.keys(value.experiments).length === 0) problems.push('experiments: must name at least one JobSpec');
    else {
        for (const [name, spec] of Object.entries(value.experiments)) {
            try {
                assertJobSpec(spec, `experiments.${name}`);
            } catch (error) {
                if (error instanceof JobSpecError) problems.push(...error.problems.map(p => `experiments.${name}.${p}`));
                else throw error;
            }
        }
    }
    if (!Array.isArray(value.axes)) problems.push('axes: must be an array');
    else value.axes.forEach((axis, i) => {
        if (!isRecord(axis) || !Array.isArray(axis.paths) || !axis.paths.every(p => typeof p === 'string') || !Array.isArray(axis.values)) {
            problems.push(`axes.${i}: must be {"paths": [PATH...], "values": [[VALUE...]...]}`);
        } else if (!axis.values.every(row => Array.isArray(row) && row.length === (axis.paths as string[]).length)) {
            problems.push(`axes.${i}.values: each row must hold one value per path (${axis.paths.length})`);
        }
    });
    if (!isRecord(value.slurm)) problems.push('slurm: must be an object');
    else for (const [key, v] of Object.entries(value.slurm)) {
        const kind = (SLURM_FIELDS as Record<string, string | undefined>)[key];
        if (kind === undefined) problems.push(`slurm: unknown field '${key}' (there is: ${Object.keys(SLURM_FIELDS).join(', ')})`);
        else if (kind === 'string' ? typeof v !== 'string' || v === '' : !Number.isInteger(v) || (v as number) < 1) {
            problems.push(`slurm.${key}: must be ${kind === 'string' ? 'a non-empty string' : 'a whole number >= 1'}`);
        }
    }
    if (!Array.isArray(value.points) || value.points.length === 0) problems.push('points: must list at least one point');
    if (problems.length > 0) throw new SweepSpecError(source, problems);
    const sweep = value as unknown as SweepSpec;
    const names = new Set<string>();
    sweep.points.forEach((point, i) => {
        if (!isRecord(point) || typeof point.name !== 'string' || !/^[A-Za-z0-9._=+-]+$/.test(point.name) || typeof point.experiment !== 'string' || !Array.isArray(point.settings)) {
            problems.push(`points.${i}: must be {"name": a folder name, "experiment": NAME, "settings": [{"path", "value"}...]}`);
            return;
        }
        if (names.has(point.name)) problems.push(`points.${i}.name: '${point.name}' names another point too`);
        names.add(point.name);
        for (const p of pointSpec(sweep, point).problems) problems.push(`points.${i} (${point.name}): ${p.path === '' ? '' : `${p.path}: `}${p.message}`);
    });
    if (problems.length > 0) throw new SweepSpecError(source, problems);
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
