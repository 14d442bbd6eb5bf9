/** Checks a JobSpec must pass before a run directory is made or a step is trained. */
import type { DatasetKind, JobSpec } from '@persemon/language';
import { UserError } from '../errors.js';

/**
 * Refuses a JobSpec whose training batches would hold no image: it would "train" without a gradient
 * and report success. `file` names the JobSpec in the message.
 */
export function assertTrainable(spec: JobSpec, file: string): void {
    const has = (kind: DatasetKind) => spec.datasets.some(d => d.kind === kind);
    const personality = !spec.model.pam.enabled && !spec.model.ram.enabled ? 'model.pam and model.ram are off'
        : !has('personality') ? 'no personality dataset'
        : spec.sampling.personalityVideos === 0 ? 'sampling.personalityVideos is 0' : null;
    const emotion = !spec.model.eam.enabled ? 'model.eam is off'
        : !has('emotion') ? 'no emotion dataset'
        : spec.sampling.emotionFrames === 0 ? 'sampling.emotionFrames is 0' : null;
    if (personality !== null && emotion !== null) {
        throw new UserError(`${file}: sampling: a training batch would be empty (personality videos: ${personality}; `
            + `emotion frames: ${emotion}), so nothing would train`);
    }
}
