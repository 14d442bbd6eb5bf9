/**
 * The run directory (a DESIGN.md contract):
 *   spec.json, events.jsonl, checkpoints/step-NNNNNNN/ + checkpoints/latest, predictions/, report.json
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertJobSpec, type JobSpec } from '@persemon/language';
import { UserError } from '../errors.js';

export interface RunDir {
    root: string;
    spec: JobSpec;
    specFile: string;
    eventsFile: string;
    checkpointsDir: string;
    predictionsDir: string;
    reportFile: string;
}

function layout(root: string, spec: JobSpec): RunDir {
    return {
        root,
        spec,
        specFile: path.join(root, 'spec.json'),
        eventsFile: path.join(root, 'events.jsonl'),
        checkpointsDir: path.join(root, 'checkpoints'),
        predictionsDir: path.join(root, 'predictions'),
        reportFile: path.join(root, 'report.json')
    };
}

/** `<experiment>-<yyyymmdd-hhmmss>`, local time; a suffix keeps two runs in one second apart. */
export function runDirName(experiment: string, now: Date): string {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${experiment}-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}

export function createRunDir(spec: JobSpec, outDir: string, now = new Date()): RunDir {
    fs.mkdirSync(outDir, { recursive: true });
    const base = runDirName(spec.experiment, now);
    let root = path.join(outDir, base);
    for (let i = 2; fs.existsSync(root); i++) root = path.join(outDir, `${base}-${i}`);
    fs.mkdirSync(root);
    const dir = layout(root, spec);
    fs.mkdirSync(dir.checkpointsDir);
    writeFileAtomic(dir.specFile, JSON.stringify(spec, null, 2) + '\n');
    return dir;
}

export function openRunDir(root: string): RunDir {
    const specFile = path.join(root, 'spec.json');
    if (!fs.existsSync(specFile)) throw new UserError(`${root}: not a run directory (no spec.json)`);
    let spec: unknown;
    try {
        spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
    } catch (e) {
        throw new UserError(`${specFile}: not valid JSON (${(e as Error).message})`);
    }
    assertJobSpec(spec, specFile);
    return layout(path.resolve(root), spec);
}

/** Same JobSpec, same hash: the start event records it so a resumed run can prove it ran the same job. */
export function specHash(spec: JobSpec): string {
    return crypto.createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}

/** Writes to a temporary name in the same folder, then renames: readers see the old file or the new one. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSynced(tmp, data);
    fs.renameSync(tmp, file);
}

/** Writes and fsyncs, so a rename that follows never exposes a file whose bytes are not on disk. */
export function writeFileSynced(file: string, data: string | Uint8Array): void {
    const fd = fs.openSync(file, 'w');
    try {
        if (typeof data === 'string') fs.writeSync(fd, data);
        else fs.writeSync(fd, data);
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
}
