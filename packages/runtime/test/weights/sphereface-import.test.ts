/**
 * `persemon weights import` against PyTorch: sphereface20_reference.py builds SphereFace-20 in PyTorch
 * (written independently of the runtime) with random weights, saves it as torch.save's zip and legacy
 * state_dicts and as Caffe models written with Python's protobuf, and computes its fc5 features on
 * aligned faces. The imported FEM must give the same features. The Python side needs torch, numpy
 * and protobuf from the venv that scripts/torch-venv.sh creates; without it the suite fails.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import * as tf from '@tensorflow/tfjs-core';
import { weights } from '../../src/cli/weights.js';
import { alignmentTransform, warpSimilarity } from '../../src/data/faces/align.js';
import type { FivePoints } from '../../src/data/faces/landmarks.js';
import { PickleError } from '../../src/data/pickle.js';
import { Fem } from '../../src/model/fem.js';
import { readWeightsFile, type NamedArray } from '../../src/model/weights.js';
import { Random } from '../../src/util/random.js';
import { importSphereFace, type ImportedWeights } from '../../src/weights/import.js';
import { WeightsImportError } from '../../src/weights/source-tensor.js';
import { describeOnEngines } from '../helpers/engines.js';
import { ASTRONAUT, tempDir } from '../data/fixtures.js';

const REFERENCE = fileURLToPath(new URL('./sphereface20_reference.py', import.meta.url));
const VENV = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'persemon', 'torch-venv');
const SIZE = { height: 112, width: 96 };
const FEM20 = { family: 'sphereface' as const, depth: 20 as const, input: SIZE, init: null, freeze: false, features: 512 };
/** The astronaut portrait's eye centres, nose tip and mouth corners, as the SSD detector and its 68 landmarks find them. */
const ASTRONAUT_POINTS: FivePoints = [{ x: 202.3, y: 101 }, { x: 244.5, y: 103.2 }, { x: 222.7, y: 128.8 }, { x: 201.4, y: 141.1 }, { x: 243.7, y: 142.4 }];

/** The venv's python, or a failure saying how to create it. */
function torchPython(): string {
    const python = path.join(VENV, 'bin', 'python');
    if (!existsSync(python)) throw new Error(`${python} is missing: run scripts/torch-venv.sh (scripts/install-test-deps.sh runs it) to create the PyTorch venv these tests compare against`);
    return python;
}

/** Aligned 112x96 RGB faces: the astronaut portrait aligned by its five points, and the same face moved a little. */
async function alignedFaces(): Promise<Uint8Array> {
    const image = await loadImage(readFileSync(ASTRONAUT));
    const canvas = createCanvas(image.width, image.height);
    canvas.getContext('2d').drawImage(image, 0, 0);
    const pixels = { data: canvas.getContext('2d').getImageData(0, 0, image.width, image.height).data, width: image.width, height: image.height, channels: 4 as const };
    const moved = ASTRONAUT_POINTS.map((p) => ({ x: p.x + 3, y: p.y - 2 })) as FivePoints;
    const faces = [ASTRONAUT_POINTS, moved].map((points) => warpSimilarity(pixels, alignmentTransform(points, SIZE), SIZE));
    const out = new Uint8Array(faces.length * SIZE.height * SIZE.width * 3);
    faces.forEach((face, i) => out.set(face, i * face.length));
    return out;
}

/** FEM's fc5 features of RGB faces normalised as SphereFace's (pixel - 127.5) / 128. */
function femFeatures(imported: Pick<ImportedWeights, 'tensors' | 'meta'>, faces: Uint8Array, source: string): { features: Float32Array; fem: Fem } {
    const fem = new Fem(FEM20, new Random(1));
    fem.load(imported, source);
    const input = Float32Array.from(faces, (p) => (p - 127.5) / 128);
    const features = tf.tidy(() => fem.apply(tf.tensor4d(input, [faces.length / (SIZE.height * SIZE.width * 3), SIZE.height, SIZE.width, 3])).dataSync() as Float32Array);
    return { features, fem };
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
    assert.equal(a.length, b.length);
    let max = 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
    return max;
}

function sameTensors(a: readonly NamedArray[], b: readonly NamedArray[]): void {
    assert.deepEqual(a.map((t) => [t.name, t.shape]), b.map((t) => [t.name, t.shape]));
    a.forEach((t, i) => assert.equal(maxDifference(t.values, b[i].values), 0, t.name));
}

function disposeFem(fem: Fem): void {
    tf.dispose(fem.params.map((p) => p.variable));
}

describeOnEngines('weights import: SphereFace-20 from PyTorch and Caffe files, against PyTorch', function () {
    this.timeout(20 * 60_000);
    let tmp: ReturnType<typeof tempDir>;
    let faces: Uint8Array;
    const file = (name: string) => path.join(tmp.dir, name);
    const reference = (name: string) => new Float64Array(new Uint8Array(readFileSync(file(name))).buffer);

    before(async function () {
        const python = torchPython();
        tmp = tempDir('sphereface');
        faces = await alignedFaces();
        writeFileSync(file('images.u8'), faces);
        execFileSync(python, [REFERENCE, tmp.dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    });
    after(() => tmp?.remove());

    it('imports the zip state_dict: FEM gives PyTorch\'s fc5 features within 1e-4, its residual biases trained', async function () {
        const imported = await importSphereFace(file('sphere20a_zip.pth'));
        assert.equal(imported.format, 'torch zip');
        assert.equal(imported.meta.residualBias, 'trainable');
        assert.deepEqual(imported.dropped, ['fc6.weight']);
        const { features, fem } = femFeatures(imported, faces, 'sphere20a_zip.pth');
        const expected = reference('features_torch.f64');
        assert.ok(expected.some((v) => Math.abs(v) > 0.5), 'features on the scale of 1, so 1e-4 is tight');
        assert.ok(maxDifference(features, expected) < 1e-4, `max |FEM - PyTorch| = ${maxDifference(features, expected)}`);
        assert.equal(fem.params.find((p) => p.name === 'fem/conv3_4/bias')!.variable.trainable, true);
        disposeFem(fem);
    });

    it('imports the legacy state_dict to the very same tensors', async function () {
        const legacy = await importSphereFace(file('sphere20a_legacy.pth'));
        assert.equal(legacy.format, 'torch legacy');
        sameTensors(legacy.tensors, (await importSphereFace(file('sphere20a_zip.pth'))).tensors);
    });

    it('imports the caffemodel: FEM gives the Caffe net\'s fc5 features within 1e-4, its residual biases fixed at 0', async function () {
        const imported = await importSphereFace(file('sphereface.caffemodel'));
        assert.equal(imported.meta.residualBias, 'fixed');
        assert.ok(imported.tensors.filter((t) => /conv\d_([2-9]|1\d)\/bias$/.test(t.name)).every((t) => t.values.every((v) => v === 0)));
        const { features, fem } = femFeatures(imported, faces, 'sphereface.caffemodel');
        const expected = reference('features_caffe.f64');
        assert.ok(maxDifference(features, expected) < 1e-4, `max |FEM - PyTorch| = ${maxDifference(features, expected)}`);
        assert.ok(maxDifference(expected, reference('features_torch.f64')) > 0.01, 'the residual biases matter: the two references differ');
        assert.equal(fem.params.find((p) => p.name === 'fem/conv3_4/bias')!.variable.trainable, false);
        disposeFem(fem);
    });

    it('imports a pre-2015 caffemodel (V1 layers, 4-D legacy dims, double data, blobs_lr) to the same tensors', async function () {
        const v1 = await importSphereFace(file('sphereface_v1.caffemodel'));
        assert.equal(v1.meta.residualBias, 'fixed');
        sameTensors(v1.tensors, (await importSphereFace(file('sphereface.caffemodel'))).tensors);
    });

    it('names the missing, unexpected or misshapen tensor, and refuses a state_dict that would run code', async function () {
        const refused = async (name: string, pattern: RegExp) =>
            assert.rejects(importSphereFace(file(name)), (e: unknown) => e instanceof WeightsImportError && pattern.test(e.message));
        await refused('bad_missing.pth', /bad_missing\.pth: is not SphereFace-20: relu3_4\.weight is missing$/);
        await refused('bad_extra.pth', /bad_extra\.pth: is not SphereFace-20: conv5_1\.weight is not a tensor of SphereFace-20$/);
        await refused('bad_shape.caffemodel', /bad_shape\.caffemodel: is not SphereFace-20: conv2_2\.weight has shape \[128,128,1,1\], SphereFace-20 at 112x96 needs \[128,128,3,3\]$/);
        await refused('images.u8', /images\.u8: is neither a torch\.save file nor a Caffe/);
        await refused('absent.pth', /absent\.pth: does not exist/);
        await assert.rejects(importSphereFace(file('evil.pth')), (e: unknown) => e instanceof PickleError && /evil\.pth: refuses to import posix\.system/.test(e.message));
    });

    it('persemon weights import writes the weights file that fem { init } reads, and prints its path', async function () {
        const lines: string[] = [];
        const notes: string[] = [];
        const out = file('sphereface_20.weights');
        await weights(['import', file('sphere20a_legacy.pth'), '--out', out], { line: (t) => lines.push(t), info: (t) => notes.push(t) });
        assert.deepEqual(lines, [out]);
        assert.match(notes[0], /SphereFace-20 from a torch legacy, 62 tensors; residual convolution biases trainable; left out \(FEM ends at fc5\): fc6\.weight/);
        const written = await readWeightsFile(out);
        assert.equal(written.meta.residualBias, 'trainable');
        sameTensors(written.tensors, (await importSphereFace(file('sphere20a_zip.pth'))).tensors);
        await weights(['import', file('sphereface.caffemodel')], { line: (t) => lines.push(t), info: () => {} });
        assert.equal(lines[1], file('sphereface.weights'));
    });
});
