/** A JobSpec whose batches would be empty is refused before a run directory exists. */
import * as assert from 'node:assert/strict';
import type { JobSpec } from '@persemon/language';
import { assertTrainable } from '../../src/run/preflight.js';

function spec(change: (s: any) => void): JobSpec {
    const s: any = {
        datasets: [{ name: 'personas', kind: 'personality' }, { name: 'moods', kind: 'emotion' }],
        model: { pam: { enabled: true }, ram: { enabled: true }, eam: { enabled: true } },
        sampling: { segments: 2, emotionFrames: 4, personalityVideos: 2 }
    };
    change(s);
    return s as JobSpec;
}

describe('preflight: a batch must hold images', () => {
    it('refuses no emotion frames and no personality videos, naming both fields', () => {
        assert.throws(() => assertTrainable(spec(s => { s.sampling.emotionFrames = 0; s.sampling.personalityVideos = 0; }), 'job.json'), {
            name: 'UserError',
            message: 'job.json: sampling: a training batch would be empty (personality videos: sampling.personalityVideos is 0; '
                + 'emotion frames: sampling.emotionFrames is 0), so nothing would train'
        });
    });

    it('says when the modules that would use a batch are off, or have no dataset', () => {
        assert.throws(() => assertTrainable(spec(s => { s.model.pam.enabled = false; s.model.ram.enabled = false; s.sampling.emotionFrames = 0; }), 'x.json'),
            { message: /personality videos: model.pam and model.ram are off; emotion frames: sampling.emotionFrames is 0/ });
        assert.throws(() => assertTrainable(spec(s => { s.datasets = [{ name: 'moods', kind: 'emotion' }]; s.model.eam.enabled = false; }), 'x.json'),
            { message: /personality videos: no personality dataset; emotion frames: model.eam is off/ });
    });

    it('accepts a batch of one kind only', () => {
        assertTrainable(spec(s => { s.sampling.emotionFrames = 0; }), 'x.json');
        assertTrainable(spec(s => { s.sampling.personalityVideos = 0; }), 'x.json');
    });
});
