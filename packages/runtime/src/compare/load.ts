/**
 * The runs `persemon compare` reads: each argument a sweep directory (its points' runs, in the
 * sweep's order) or a run directory. A run without report.json (not finished, failed) is left out
 * and said so; anything that is neither kind of directory is an error naming it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import { readJsonFile } from '../run/run-dir.js';
import type { ComparedRun } from './table.js';

export interface LoadedRuns {
    runs: ComparedRun[];
    /** Run directories left out, and why. */
    skipped: Array<{ dir: string; reason: string }>;
}

export function loadComparedRuns(paths: readonly string[]): LoadedRuns {
    const loaded: LoadedRuns = { runs: [], skipped: [] };
    for (const given of paths) {
        const dir = path.resolve(given);
        if (!fs.existsSync(dir)) throw new UserError(`${given}: does not exist`);
        if (fs.existsSync(path.join(dir, 'sweep.json'))) {
            for (const point of sweepPoints(path.join(dir, 'sweep.json'))) addRun(loaded, path.join(dir, 'runs', point), point);
        } else if (fs.existsSync(path.join(dir, 'spec.json'))) {
            addRun(loaded, dir, path.basename(dir));
        } else {
            throw new UserError(`${given}: neither a sweep directory (no sweep.json) nor a run directory (no spec.json)`);
        }
    }
    return loaded;
}

function sweepPoints(file: string): string[] {
    const sweep = readJsonFile(file) as { points?: Array<{ name?: unknown }> };
    if (!Array.isArray(sweep.points) || !sweep.points.every(p => typeof p?.name === 'string')) {
        throw new UserError(`${file}: points: must list the sweep's points, each with a name`);
    }
    return sweep.points.map(p => p.name as string);
}

function addRun(loaded: LoadedRuns, dir: string, name: string): void {
    if (!fs.existsSync(path.join(dir, 'spec.json'))) {
        loaded.skipped.push({ dir, reason: 'not started' });
        return;
    }
    if (!fs.existsSync(path.join(dir, 'report.json'))) {
        loaded.skipped.push({ dir, reason: 'no report.json (not finished)' });
        return;
    }
    const spec = readJsonFile(path.join(dir, 'spec.json'));
    const report = readJsonFile(path.join(dir, 'report.json'));
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new UserError(`${path.join(dir, 'spec.json')}: not a JobSpec object`);
    if (typeof report !== 'object' || report === null || typeof (report as { splits?: unknown }).splits !== 'object') {
        throw new UserError(`${path.join(dir, 'report.json')}: splits: missing (not a run's report)`);
    }
    loaded.runs.push({ name, dir, spec: spec as Record<string, unknown>, report: report as ComparedRun['report'] });
}
