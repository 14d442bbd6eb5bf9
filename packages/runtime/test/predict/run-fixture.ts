/**
 * A run directory to predict with, made in a second: a small PersEmoN's JobSpec and a checkpoint
 * of its untrained weights. Where faces are found and how a file is read does not depend on the
 * weights, and the predictions' ranges and fusion are checked whatever they are.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { compileFile } from '@persemon/language';
import { selectBackend } from '../../src/backend/select.js';
import type { DetectorKind } from '../../src/data/faces/detector.js';
import { PersEmonModel } from '../../src/model/persemon-model.js';
import { encodeWeights } from '../../src/model/weights.js';
import { saveCheckpoint } from '../../src/run/checkpoint.js';
import { createRunDir } from '../../src/run/run-dir.js';
import { tinyExperiment } from '../../../../test/helpers/experiment.js';

const EXPERIMENT = tinyExperiment({
    name: 'Portraits', seed: 4, people: 4, clips: 1, frames: 4, input: 32, coherence: false, iterations: 100,
    optimizer: null, evaluate: null, checkpoint: null
});

/** Creates the run under `dir`, its faces found by `detector`, and returns its path. */
export async function untrainedRun(dir: string, detector: DetectorKind): Promise<string> {
    mkdirSync(dir, { recursive: true });
    const doc = path.join(dir, 'portraits.persemon');
    writeFileSync(doc, EXPERIMENT);
    const spec = await compileFile(doc);
    // As if the run had trained on photographs with this detector (synthetic data has faces off).
    for (const dataset of spec.datasets) dataset.faces = { enabled: true, detector, align: { height: 32, width: 32 }, confidence: 0.5 };
    await selectBackend('wasm');
    const run = createRunDir(spec, path.join(dir, 'runs'));
    const model = new PersEmonModel(spec);
    try {
        saveCheckpoint(run.checkpointsDir, 1, { 'weights.bin': encodeWeights(model.getWeights(), { step: 1 }) });
    } finally {
        model.dispose();
    }
    return run.root;
}
