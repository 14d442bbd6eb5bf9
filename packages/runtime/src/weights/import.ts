/**
 * `persemon weights import`: SphereFace-20's published weights -> FEM's initial weights file.
 * The file's contents say what it is: a zip archive or torch's magic number is a torch.save
 * state_dict (the PyTorch port's sphere20a_*.pth), anything else is read as a Caffe NetParameter
 * (the authors' sphereface_model.caffemodel).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ResidualBias } from '../model/fem.js';
import { writeWeightsFile } from '../model/weights.js';
import { readCaffemodel } from './caffemodel.js';
import { sphereface20Layers, sphereface20ToFem, type FemWeights } from './sphereface20.js';
import { WeightsImportError } from './source-tensor.js';
import { isTorchSave, readTorchStateDict } from './torch-state-dict.js';

export interface ImportedWeights extends FemWeights {
    format: 'caffemodel' | 'torch zip' | 'torch legacy';
    /** Source tensors left out because FEM ends at fc5. */
    dropped: string[];
}

export async function importSphereFace(file: string): Promise<ImportedWeights> {
    let bytes: Uint8Array;
    try {
        bytes = await readFile(file);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EISDIR') throw new WeightsImportError(file, code === 'ENOENT' ? 'does not exist' : 'is a folder, not a weights file');
        throw error;
    }
    const meta = { from: path.basename(file) };
    if (isTorchSave(bytes)) {
        const { format, tensors } = readTorchStateDict(bytes, file);
        // The port's residual convolutions are nn.Conv2d with ordinary, trained biases.
        return { ...sphereface20ToFem(tensors, file, 'trainable', { ...meta, format }), format, dropped: dropped(tensors.keys()) };
    }
    const blobs = readCaffemodel(bytes, file);
    const residualBias = caffeResidualBias(blobs, file);
    return { ...sphereface20ToFem(blobs, file, residualBias, { ...meta, format: 'caffemodel' }), format: 'caffemodel', dropped: dropped(blobs.keys()) };
}

/** Imports `file` and writes FEM's weights file to `out`. */
export async function importSphereFaceTo(file: string, out: string): Promise<ImportedWeights> {
    const imported = await importSphereFace(file);
    await writeWeightsFile(out, imported.tensors, imported.meta);
    return imported;
}

/**
 * SphereFace's prototxt gives the residual convolutions' biases lr_mult 0: fixed (at their filler's
 * 0). FEM holds them all one way, so a net that mixes the two is refused.
 */
function caffeResidualBias(blobs: ReadonlyMap<string, { trained: boolean }>, file: string): ResidualBias {
    const present = sphereface20Layers().filter((l) => l.residual).map((l) => `${l.name}.bias`).filter((n) => blobs.has(n));
    const trained = present.filter((n) => blobs.get(n)!.trained);
    if (trained.length === 0) return 'fixed';
    if (trained.length === present.length) return 'trainable';
    throw new WeightsImportError(file, `trains the biases of some residual convolutions (${trained.slice(0, 3).join(', ')}) but not of others; FEM trains all of them or none`);
}

function dropped(names: Iterable<string>): string[] {
    const kept = new Set(sphereface20Layers().flatMap((l) => [`${l.name}.weight`, `${l.name}.bias`]));
    return [...names].filter((n) => !kept.has(n));
}
