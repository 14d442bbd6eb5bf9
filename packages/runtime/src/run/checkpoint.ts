/**
 * Atomic checkpoints: checkpoints/step-NNNNNNN/ is written under a temporary name and renamed, then
 * `latest` (a one-line file naming it) is replaced atomically. A run killed at any instant leaves
 * either the previous checkpoint or the new one, never half of one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, writeFileSynced } from './run-dir.js';

export interface CheckpointRef {
    step: number;
    path: string;
}

export function checkpointName(step: number): string {
    return `step-${String(step).padStart(7, '0')}`;
}

/** Writes the files of one checkpoint; keeps the newest `keep` checkpoints. */
export function saveCheckpoint(dir: string, step: number, files: Record<string, string | Uint8Array>, keep = 3): CheckpointRef {
    const name = checkpointName(step);
    const final = path.join(dir, name);
    const tmp = path.join(dir, `.${name}.tmp-${process.pid}`);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    for (const [file, data] of Object.entries(files)) writeFileSynced(path.join(tmp, file), data);
    fs.rmSync(final, { recursive: true, force: true });
    fs.renameSync(tmp, final);
    writeFileAtomic(path.join(dir, 'latest'), name + '\n');
    prune(dir, keep);
    return { step, path: final };
}

/** The checkpoint `latest` names, or null when there is none. */
export function latestCheckpoint(dir: string): CheckpointRef | null {
    const latest = path.join(dir, 'latest');
    if (!fs.existsSync(latest)) return null;
    const name = fs.readFileSync(latest, 'utf8').trim();
    const match = /^step-(\d{7,})$/.exec(name);
    if (!match || !fs.existsSync(path.join(dir, name))) {
        throw new Error(`${latest}: names '${name}', which is not a checkpoint in ${dir}`);
    }
    return { step: Number(match[1]), path: path.join(dir, name) };
}

function prune(dir: string, keep: number): void {
    const names = fs.readdirSync(dir).filter(n => /^step-\d+$/.test(n)).sort();
    for (const old of names.slice(0, Math.max(0, names.length - keep))) {
        fs.rmSync(path.join(dir, old), { recursive: true, force: true });
    }
    // Temporary folders left by a killed writer.
    for (const stale of fs.readdirSync(dir).filter(n => n.startsWith('.step-') && !n.endsWith(`-${process.pid}`))) {
        fs.rmSync(path.join(dir, stale), { recursive: true, force: true });
    }
}
