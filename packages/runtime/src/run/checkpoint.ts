/**
 * Atomic, checked checkpoints: checkpoints/step-NNNNNNN/ is written under a temporary name and
 * renamed, then `latest` (a one-line file naming it) is replaced atomically. A run killed at any
 * instant leaves either the previous checkpoint or the new one, never half of one. Each checkpoint's
 * manifest.json holds the size and sha256 of its files, so a damaged one (flipped bits, a truncated
 * copy) is noticed when loading, and the previous checkpoint is used instead.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic, writeFileSynced } from './run-dir.js';

export interface CheckpointRef {
    step: number;
    path: string;
}

/** A checkpoint whose files matched its manifest, with their bytes. */
export interface LoadedCheckpoint extends CheckpointRef {
    files: Map<string, Buffer>;
    /** Newer checkpoints that were damaged, and why; the run says so in a warning event. */
    rejected: Array<{ path: string; problem: string }>;
}

export const MANIFEST = 'manifest.json';

interface Manifest {
    step: number;
    files: Record<string, { bytes: number; sha256: string }>;
}

export interface SaveOptions {
    /** How many checkpoints to keep, newest first. */
    keep?: number;
    /** Writes one file durably; tests inject a failing one (a full disk). */
    write?: (file: string, data: string | Uint8Array) => void;
}

export function checkpointName(step: number): string {
    return `step-${String(step).padStart(7, '0')}`;
}

/** Writes the files of one checkpoint; keeps the newest `keep` checkpoints. */
export function saveCheckpoint(dir: string, step: number, files: Record<string, string | Uint8Array>,
                               { keep = 3, write = writeFileSynced }: SaveOptions = {}): CheckpointRef {
    const name = checkpointName(step);
    const final = path.join(dir, name);
    const tmp = path.join(dir, `.${name}.tmp-${process.pid}`);
    const manifest: Manifest = { step, files: {} };
    for (const [file, data] of Object.entries(files)) {
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
        manifest.files[file] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
    }
    const manifestText = JSON.stringify(manifest, null, 2) + '\n';
    try {
        fs.rmSync(tmp, { recursive: true, force: true });
        fs.mkdirSync(tmp, { recursive: true });
        for (const [file, data] of Object.entries(files)) write(path.join(tmp, file), data);
        write(path.join(tmp, MANIFEST), manifestText);
        fs.rmSync(final, { recursive: true, force: true });
        fs.renameSync(tmp, final);
        writeFileAtomic(path.join(dir, 'latest'), name + '\n');
    } catch (error) {
        // A half-written checkpoint only takes space: remove it, so a full disk does not fill up further.
        fs.rmSync(tmp, { recursive: true, force: true });
        const needed = Object.values(manifest.files).reduce((sum, f) => sum + f.bytes, 0) + manifestText.length;
        throw writeError(error, dir, name, needed);
    }
    prune(dir, keep);
    return { step, path: final };
}

function writeError(error: unknown, dir: string, name: string, needed: number): unknown {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOSPC' && code !== 'EDQUOT') return error;
    return new UserError(`${dir}: no space left to write checkpoint ${name}: it needs ${formatBytes(needed)}, `
        + `${formatBytes(freeBytes(dir))} are free there. Free some space, then resume the run`);
}

function freeBytes(dir: string): number {
    const stats = fs.statfsSync(dir);
    return stats.bavail * stats.bsize;
}

export function formatBytes(bytes: number): string {
    if (bytes < 1024) return `${bytes} bytes`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * The newest checkpoint whose files are intact, starting from the one `latest` names, then the
 * others newest first; null when the run has none. Throws when every checkpoint is damaged.
 */
export function loadCheckpoint(dir: string): LoadedCheckpoint | null {
    const rejected: LoadedCheckpoint['rejected'] = [];
    const names = checkpointNames(dir).reverse();
    const named = latestName(dir);
    if (named !== null && !names.includes(named)) rejected.push({ path: path.join(dir, 'latest'), problem: `names '${named}', which is not a checkpoint here` });
    for (const name of named !== null && names.includes(named) ? [named, ...names.filter(n => n !== named)] : names) {
        const folder = path.join(dir, name);
        const checked = verify(folder);
        if (typeof checked === 'string') {
            rejected.push({ path: folder, problem: checked });
            continue;
        }
        return { step: Number(name.slice('step-'.length)), path: folder, files: checked, rejected };
    }
    if (rejected.length > 0) {
        throw new UserError(`${dir}: no intact checkpoint to continue from:\n${rejected.map(r => `  ${r.path}: ${r.problem}`).join('\n')}`);
    }
    return null;
}

/** The intact checkpoint `loadCheckpoint` would use, without its bytes. */
export function latestCheckpoint(dir: string): CheckpointRef | null {
    const loaded = loadCheckpoint(dir);
    return loaded && { step: loaded.step, path: loaded.path };
}

/** What `latest` names; null when there is no `latest`. */
function latestName(dir: string): string | null {
    const latest = path.join(dir, 'latest');
    return fs.existsSync(latest) ? fs.readFileSync(latest, 'utf8').trim() : null;
}

/** The checkpoint folders, oldest first. */
function checkpointNames(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter(n => /^step-\d{7,}$/.test(n)).sort();
}

/** The files of a checkpoint, or what is wrong with them. */
function verify(folder: string): Map<string, Buffer> | string {
    const files = new Map<string, Buffer>();
    const manifestFile = path.join(folder, MANIFEST);
    if (!fs.existsSync(manifestFile)) {
        // Written before checkpoints carried a manifest: nothing to check against.
        for (const name of fs.readdirSync(folder)) files.set(name, fs.readFileSync(path.join(folder, name)));
        return files;
    }
    let manifest: Manifest;
    try {
        manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
    } catch {
        return `${MANIFEST} is not valid JSON`;
    }
    if (typeof manifest.files !== 'object' || manifest.files === null) return `${MANIFEST} lists no files`;
    for (const [name, expected] of Object.entries(manifest.files)) {
        const file = path.join(folder, name);
        if (!fs.existsSync(file)) return `${name} is missing`;
        const bytes = fs.readFileSync(file);
        if (bytes.length !== expected.bytes) return `${name} has ${bytes.length} bytes, ${MANIFEST} says ${expected.bytes}`;
        if (sha256(bytes) !== expected.sha256) return `${name} does not match its sha256 in ${MANIFEST} (damaged)`;
        files.set(name, bytes);
    }
    return files;
}

function sha256(bytes: Uint8Array): string {
    return crypto.createHash('sha256').update(bytes).digest('hex');
}

function prune(dir: string, keep: number): void {
    const names = checkpointNames(dir);
    for (const old of names.slice(0, Math.max(0, names.length - keep))) {
        fs.rmSync(path.join(dir, old), { recursive: true, force: true });
    }
}

/**
 * Removes what writers killed mid-write left behind (kill -9, a full disk): temporary checkpoint
 * folders and `*.tmp-PID` files. Only for the holder of the run's lock, when no other writer can be at work.
 */
export function removeStaleTemporaries(folders: readonly string[]): string[] {
    const removed: string[] = [];
    for (const folder of folders) {
        if (!fs.existsSync(folder)) continue;
        for (const name of fs.readdirSync(folder)) {
            if (!/\.tmp-\d+$/.test(name)) continue;
            fs.rmSync(path.join(folder, name), { recursive: true, force: true });
            removed.push(path.join(folder, name));
        }
    }
    return removed;
}
