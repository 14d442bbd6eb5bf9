/**
 * Everything a run needs to continue exactly where it stopped, as one object saved and loaded whole:
 * the model's weights, both optimisers' state, the sampler with its random state, and the step.
 * A checkpoint holds it as weights.bin, optimizer.bin and state.json.
 */
import * as path from 'node:path';
import type { BatchSampler, SamplerState } from '../data/sampling.js';
import { UserError } from '../errors.js';
import type { PersEmonModel } from '../model/persemon-model.js';
import { decodeWeights, encodeWeights } from '../model/weights.js';
import type { Optimizers } from '../train/step.js';
import { saveCheckpoint, type CheckpointRef, type LoadedCheckpoint } from './checkpoint.js';

export class RunState {
    /** Completed iterations; the state is the one after iteration `step`. */
    step = 0;

    constructor(readonly model: PersEmonModel, readonly optimizers: Optimizers, readonly sampler: BatchSampler,
                private readonly specHash: string) {}

    save(checkpointsDir: string): CheckpointRef {
        const { step, optimizers } = this;
        return saveCheckpoint(checkpointsDir, step, {
            'weights.bin': encodeWeights(this.model.getWeights(), { step }),
            'optimizer.bin': encodeWeights([...optimizers.network.getState(), ...(optimizers.discriminator?.getState() ?? [])], { step }),
            'state.json': JSON.stringify({ step, sampler: this.sampler.state(), spec_hash: this.specHash })
        });
    }

    load(checkpoint: LoadedCheckpoint): void {
        const stateFile = path.join(checkpoint.path, 'state.json');
        let state: { step: number; sampler: SamplerState };
        try {
            state = JSON.parse(checkpointFile(checkpoint, 'state.json').toString('utf8')) as typeof state;
        } catch (error) {
            throw error instanceof UserError ? error : new UserError(`${stateFile}: not valid JSON (${(error as Error).message})`);
        }
        loadWeights(this.model, checkpoint);
        const optimizerState = decodeWeights(checkpointFile(checkpoint, 'optimizer.bin'), path.join(checkpoint.path, 'optimizer.bin')).tensors;
        this.optimizers.network.setState(optimizerState);
        this.optimizers.discriminator?.setState(optimizerState);
        this.sampler.restore(state.sampler);
        this.step = state.step;
    }

    dispose(): void {
        this.optimizers.network.dispose();
        this.optimizers.discriminator?.dispose();
    }
}

/** Only the model's weights, for scoring a checkpoint again. */
export function loadWeights(model: PersEmonModel, checkpoint: LoadedCheckpoint): void {
    const file = path.join(checkpoint.path, 'weights.bin');
    model.setWeights(decodeWeights(checkpointFile(checkpoint, 'weights.bin'), file).tensors, file);
}

function checkpointFile(checkpoint: LoadedCheckpoint, name: string): Buffer {
    const bytes = checkpoint.files.get(name);
    if (!bytes) throw new UserError(`${path.join(checkpoint.path, name)}: missing from the checkpoint`);
    return bytes;
}
