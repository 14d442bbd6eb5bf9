/**
 * A run opened for analysis: its JobSpec, the weights of one checkpoint (the latest intact one unless
 * another is named) in a model built from that JobSpec, and its datasets. As `persemon predict` does,
 * every weight comes from the checkpoint: FEM's init file is not needed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobSpec } from '@persemon/language';
import { selectBackend } from '../backend/select.js';
import { openDataSource } from '../data/open.js';
import type { DataSource } from '../data/source.js';
import { UserError } from '../errors.js';
import { PersEmonModel } from '../model/persemon-model.js';
import { decodeWeights } from '../model/weights.js';
import { checkpointName, latestCheckpoint } from '../run/checkpoint.js';
import { openRunDir, type RunDir } from '../run/run-dir.js';

export interface AnalysedRun {
    dir: RunDir;
    spec: JobSpec;
    /** The checkpoint folder the weights came from, and its step. */
    checkpoint: string;
    step: number;
    model: PersEmonModel;
    /** By dataset name, in the JobSpec's order. */
    sources: Map<string, DataSource>;
}

export interface OpenOptions {
    /** A checkpoint of the run: its step number, its folder name (`step-0000100`) or a path to its folder. */
    checkpoint?: string;
    cacheDir?: string;
}

export async function openRun(runDir: string, options: OpenOptions = {}): Promise<AnalysedRun> {
    const dir = openRunDir(runDir);
    const checkpoint = chooseCheckpoint(dir, options.checkpoint);
    const spec = dir.spec;
    await selectBackend(spec.backend);
    const file = path.join(checkpoint.path, 'weights.bin');
    const model = new PersEmonModel(spec);
    try {
        if (!fs.existsSync(file)) throw new UserError(`${checkpoint.path}: has no weights.bin`);
        try {
            model.setWeights(decodeWeights(fs.readFileSync(file), file).tensors, file);
        } catch (error) {
            // A checkpoint that does not fit its own spec.json is bad data; the message names the file.
            throw error instanceof UserError ? error : new UserError(error instanceof Error ? error.message : String(error));
        }
        const sources = new Map<string, DataSource>();
        for (const dataset of spec.datasets) sources.set(dataset.name, await openDataSource(dataset, { seed: spec.seed, cacheDir: options.cacheDir }));
        return { dir, spec, checkpoint: checkpoint.path, step: checkpoint.step, model, sources };
    } catch (error) {
        model.dispose();
        throw error;
    }
}

export function closeRun(run: AnalysedRun): void {
    run.model.dispose();
}

function chooseCheckpoint(dir: RunDir, wanted: string | undefined): { step: number; path: string } {
    if (wanted === undefined) {
        const latest = latestCheckpoint(dir.checkpointsDir);
        if (!latest) throw new UserError(`${dir.root}: has no checkpoint to analyse (train it with persemon run first)`);
        return latest;
    }
    const step = /^\d+$/.test(wanted);
    const name = step ? checkpointName(Number(wanted)) : path.basename(path.resolve(wanted));
    // A bare name is a folder of this run's checkpoints/; anything with a slash is a path.
    const bare = step || (!wanted.includes(path.sep) && !wanted.includes('/'));
    const folder = bare ? path.join(dir.checkpointsDir, name) : path.resolve(wanted);
    const match = /^step-(\d{7,})$/.exec(name);
    if (!match || !fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
        const have = fs.existsSync(dir.checkpointsDir) ? fs.readdirSync(dir.checkpointsDir).filter((n) => /^step-\d{7,}$/.test(n)) : [];
        throw new UserError(`--checkpoint ${wanted}: no such checkpoint of ${dir.root} (it has: ${have.length > 0 ? have.join(', ') : 'none'})`);
    }
    return { step: Number(match[1]), path: folder };
}
