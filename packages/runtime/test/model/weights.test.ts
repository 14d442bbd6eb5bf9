import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { readFemInit } from '../../src/model/fem.js';
import { PersEmonModel } from '../../src/model/persemon-model.js';
import { decodeWeights, encodeWeights, readWeightsFile, writeWeightsFile } from '../../src/model/weights.js';
import { describeOnEngines } from '../helpers/engines.js';
import { maxDifference, tinyModel, tinyOptions, weightsOf } from '../helpers/fixtures.js';

describeOnEngines('weights files', () => {
    let dir: string;
    before(async () => {
        dir = await mkdtemp(join(tmpdir(), 'persemon-weights-'));
    });
    after(() => rm(dir, { recursive: true, force: true }));

    it('lays out magic, manifest length, JSON manifest and little-endian float32 values', () => {
        const bytes = Buffer.from(encodeWeights([
            { name: 'a', shape: [2], values: Float32Array.of(1.5, -2) },
            { name: 'b/c', shape: [1, 1], values: Float32Array.of(0.25) }
        ], { step: 3 }));
        assert.equal(bytes.toString('ascii', 0, 8), 'PEMNWTS1');
        const m = bytes.readUInt32LE(8);
        assert.equal((12 + m) % 4, 0);
        const manifest = JSON.parse(bytes.toString('utf8', 12, 12 + m));
        assert.deepEqual(manifest, {
            tensors: [{ name: 'a', shape: [2], dtype: 'float32' }, { name: 'b/c', shape: [1, 1], dtype: 'float32' }],
            meta: { step: 3 }
        });
        assert.equal(bytes.length, 12 + m + 12);
        assert.deepEqual([0, 1, 2].map((i) => bytes.readFloatLE(12 + m + 4 * i)), [1.5, -2, 0.25]);
        const back = decodeWeights(bytes);
        assert.deepEqual(back.meta, { step: 3 });
        assert.deepEqual(back.tensors.map((t) => [t.name, t.shape, [...t.values]]), [['a', [2], [1.5, -2]], ['b/c', [1, 1], [0.25]]]);
    });

    it('refuses a file that is not one, naming it', async () => {
        const path = join(dir, 'bad.weights');
        await writeFile(path, 'not weights at all');
        await assert.rejects(readWeightsFile(path), (e: Error) => e.message.startsWith(`${path}: not a PersEmoN weights file`));
        const good = Buffer.from(encodeWeights([{ name: 'a', shape: [2], values: Float32Array.of(1, 2) }]));
        assert.throws(() => decodeWeights(good.subarray(0, good.length - 4), 'x.weights'), /x.weights: truncated data in tensor 'a'/);
    });

    it('round-trips a model through a file', async () => {
        const a = tinyModel({ seed: 1 });
        const b = tinyModel({ seed: 2 });
        assert.ok(maxDifference(weightsOf(a), weightsOf(b)) > 0);
        const path = join(dir, 'model.weights');
        await writeWeightsFile(path, a.getWeights());
        b.setWeights((await readWeightsFile(path)).tensors, path);
        assert.equal(maxDifference(weightsOf(a), weightsOf(b)), 0);
        const images = new Float32Array(2 * 16 * 16 * 3).fill(0.3);
        assert.deepEqual(a.predictEmotion({ images }), b.predictEmotion({ images }));
        a.dispose();
        b.dispose();
    });

    it('initialises FEM from a weights file named in the JobSpec, leaving the other modules seeded', async () => {
        const source = tinyModel({ seed: 11 });
        const path = join(dir, 'fem.weights');
        await writeWeightsFile(path, source.getWeights().filter((w) => w.name.startsWith('fem/')));
        const options = tinyOptions({ seed: 12 });
        const model = await PersEmonModel.create({ ...options, model: { ...options.model, fem: { ...options.model.fem, init: path } } });
        const seeded = tinyModel({ seed: 12 });
        assert.equal(maxDifference(weightsOf(source, 'fem'), weightsOf(model, 'fem')), 0);
        assert.equal(maxDifference(weightsOf(seeded, 'pam'), weightsOf(model, 'pam')), 0);
        for (const m of [source, model, seeded]) m.dispose();
    });

    it('reads FEM\'s init file, and says how to convert SphereFace\'s weights when it is missing or is not one', async () => {
        const path = join(dir, 'init.weights');
        await writeWeightsFile(path, [{ name: 'fem/x/weight', shape: [1], values: Float32Array.of(2) }], { residualBias: 'trainable' });
        assert.deepEqual((await readFemInit(path)).meta, { residualBias: 'trainable' });
        const missing = join(dir, 'weights', 'sphereface_20.weights');
        await assert.rejects(readFemInit(missing), (e: Error) => e.message.startsWith(`${missing}: FEM's init weights file does not exist;`)
            && e.message.endsWith(`persemon weights import <downloaded file> --out ${missing}`));
        const caffemodel = join(dir, 'sphereface_model.caffemodel');
        await writeFile(caffemodel, Buffer.from([0x0a, 0x10, 0x53, 0x70]));
        await assert.rejects(readFemInit(caffemodel), (e: Error) => e.message.startsWith(`${caffemodel}: not a PersEmoN weights file`)
            && e.message.endsWith(`persemon weights import ${caffemodel} --out ${join(dir, 'sphereface_model.weights')} and name that file in fem { init }`));
    });

    it('says which tensor is missing or misshapen', async () => {
        const backend = tf.getBackend();
        const model = tinyModel();
        const fem = model.getWeights().filter((w) => w.name.startsWith('fem/'));
        assert.throws(() => model.loadFem(fem.filter((w) => w.name !== 'fem/fc5/bias'), 'f.weights'), /f.weights: no tensor named fem\/fc5\/bias/);
        const wrong = fem.map((w) => (w.name === 'fem/fc5/bias' ? { ...w, shape: [2, 256] } : w));
        assert.throws(() => model.loadFem(wrong, 'f.weights'), /f.weights: tensor fem\/fc5\/bias has shape \[2,256\], this model needs \[512\]/);
        const path = join(dir, 'other.weights');
        await writeWeightsFile(path, fem);
        const options = tinyOptions({ size: 32 });
        await assert.rejects(PersEmonModel.create({ ...options, model: { ...options.model, fem: { ...options.model.fem, init: path } } }),
            /other.weights: tensor fem\/fc5\/weight has shape \[512,512\], this model needs \[2048,512\]/);
        model.dispose();
        assert.equal(tf.getBackend(), backend, 'a failed create leaves the engine as it was');
    });
});
