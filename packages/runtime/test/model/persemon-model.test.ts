import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { PersEmonModel } from '../../src/model/persemon-model.js';
import { describeOnEngines } from '../helpers/engines.js';
import { maxDifference, tinyModel, tinyOptions, weightsOf } from '../helpers/fixtures.js';

describeOnEngines('PersEmonModel', () => {

    it('counts trainable parameters per module', () => {
        const options = tinyOptions();
        const model = new PersEmonModel({ ...options, model: { ...options.model, fem: { ...options.model.fem, depth: 20, input: { height: 112, width: 96 } } } });
        // FEM: SphereFace-20 at 112x96, 22,666,944 (fem.test.ts works it out). PAM: 512·5 + 5 = 2,565.
        // EAM: 512·2 + 2 = 1,026. RAM (hidden 16): 2·16 + 16 + 16·5 + 5 = 133. Discriminator: 1,026.
        assert.deepEqual(model.parameterCounts(), {
            fem: 22_666_944, pam: 2565, eam: 1026, ram: 133, coherence: 1026, total: 22_671_694
        });
        model.dispose();
        const frozen = tinyModel({ freeze: true, off: ['ram', 'coherence'] });
        assert.deepEqual(frozen.parameterCounts(), { fem: 0, pam: 2565, eam: 1026, ram: 0, coherence: 0, total: 3591 });
        assert.ok(frozen.fem.params.every((p) => !p.variable.trainable));
        frozen.dispose();
    });

    it('builds EAM for RAM even when the emotion branch is off', () => {
        const model = tinyModel({ off: ['eam'] });
        assert.ok(model.eam && model.ram);
        model.dispose();
        const none = tinyModel({ off: ['eam', 'ram', 'pam', 'coherence'] });
        assert.equal(none.eam, null);
        assert.deepEqual(none.networkParams().length, none.fem.params.length);
        none.dispose();
    });

    it("keeps each module's initial values whatever the other modules are", () => {
        const full = tinyModel({ seed: 4 });
        const lean = tinyModel({ seed: 4, off: ['pam', 'coherence'] });
        assert.equal(maxDifference(weightsOf(full, 'fem'), weightsOf(lean, 'fem')), 0);
        assert.equal(maxDifference(weightsOf(full, 'ram'), weightsOf(lean, 'ram')), 0);
        full.dispose();
        lean.dispose();
    });

    it('predicts per frame and per video, in any chunk size, without leaking tensors', () => {
        const model = tinyModel({ segments: 3 });
        const images = Float32Array.from({ length: 6 * 16 * 16 * 3 }, (_, i) => Math.sin(i));
        const before = tf.memory().numTensors;
        const emotion = model.predictEmotion({ images });
        const personality = model.predictPersonality({ images });
        const features = model.extractFeatures(images, 4);
        assert.equal(tf.memory().numTensors, before);
        assert.equal(emotion.length, 12);
        assert.ok(emotion.every((v) => v > -1 && v < 1));
        assert.equal(personality.pam!.length, 10);
        assert.equal(personality.ram!.length, 10);
        assert.equal(features.length, 6 * 512);
        const close = (a: Float32Array, b: Float32Array) => a.every((v, i) => Math.abs(v - b[i]) < 1e-5);
        assert.ok(close(model.predictEmotion({ images }, 1), emotion));
        assert.ok(close(model.predictPersonality({ features }, 3, 1).pam!, personality.pam!));
        // A still image is a video of one segment.
        assert.equal(model.predictPersonality({ images: images.subarray(0, 768) }, 1).ram!.length, 5);
        assert.throws(() => model.predictPersonality({ images }, 4), /6 frames are not whole videos of 4 segments/);
        model.dispose();
    });
});
