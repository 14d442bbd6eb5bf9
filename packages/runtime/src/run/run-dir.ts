/**
 * The run directory (a contract: README.md, "The CLI"):
 *   spec.json, events.jsonl, checkpoints/step-NNNNNNN/ + checkpoints/latest, predictions/, report.json
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertJobSpec, type JobSpec } from '@persemon/language';
import { asUserError, UserError } from '../errors.js';
import { runDirName } from '../run-name.js';

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

/**
 * Creates `<experiment>-<time>` under `outDir`; when another run (this process or another) took that
 * name, `-2`, `-3`, ... Each try is one mkdir, which either creates the folder or fails: no window
 * between a check and the creation where a second run could take the same name.
 */
export function createRunDir(spec: JobSpec, outDir: string, now = new Date()): RunDir {
    makeFolder(outDir);
    let attempt = 1;
    let root = path.join(outDir, runDirName(spec.experiment, now));
    while (!claimFolder(root)) root = path.join(outDir, runDirName(spec.experiment, now, ++attempt));
    const dir = layout(root, spec);
    fs.mkdirSync(dir.checkpointsDir);
    writeFileAtomic(dir.specFile, JSON.stringify(spec, null, 2) + '\n');
    return dir;
}

/** True when this call created `dir`, false when it already existed. */
export function claimFolder(dir: string): boolean {
    try {
        fs.mkdirSync(dir);
        return true;
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw folderError(error, dir);
    }
}

/** mkdir -p with an error that says why: Node reports a read-only file system as ENOENT. */
export function makeFolder(dir: string): void {
    try {
        fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
        throw folderError(error, dir);
    }
}

function folderError(error: unknown, dir: string): unknown {
    let existing = path.dirname(path.resolve(dir));
    while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
    if (!fs.statSync(existing).isDirectory()) return new UserError(`${dir}: cannot create this folder: ${existing} is a file, not a folder`);
    try {
        fs.accessSync(existing, fs.constants.W_OK);
    } catch (denied) {
        const code = (denied as NodeJS.ErrnoException).code;
        const why = code === 'EROFS' ? 'is on a read-only file system' : 'is not writable';
        return new UserError(`${dir}: cannot create this folder: ${existing} ${why}`);
    }
    return asUserError(error, dir);
}

export function openRunDir(root: string): RunDir {
    const specFile = path.join(root, 'spec.json');
    if (!fs.existsSync(root)) throw new UserError(`${root}: no such run directory`);
    if (!fs.existsSync(specFile)) throw new UserError(`${root}: not a run directory (no spec.json)`);
    const spec = readJsonFile(specFile);
    assertJobSpec(spec, specFile);
    return layout(path.resolve(root), spec);
}

/** Parses a JSON file; a byte-order mark (editors on Windows write one) is not part of the JSON. */
export function readJsonFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch (error) {
        throw asUserError(error, file);
    }
    try {
        return JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
        throw new UserError(`${file}: not valid JSON (${(e as Error).message})`);
    }
}

/** Same JobSpec, same hash: the start event records it so a resumed run can prove it ran the same job. */
export function specHash(spec: JobSpec): string {
    return crypto.createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}

/** Writes to a temporary name in the same folder, then renames: readers see the old file or the new one. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
    const tmp = `${file}.tmp-${process.pid}`;
    try {
        writeFileSynced(tmp, data);
        fs.renameSync(tmp, file);
    } catch (error) {
        // A full disk must not leave a partial temporary file behind to fill it further.
        fs.rmSync(tmp, { force: true });
        throw error;
    }
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
