import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { FacesSpec } from '@persemon/language';
import { openAffwild2Source } from '../../src/data/affwild2.js';
import { REASONS } from '../../src/data/faces/crops.js';
import { cropLevel, datasetSpec, ffmpeg, findProblem, rampClip, snapshot, tempDir, twoFaceDetector, twoToneClip, writeLines } from './fixtures.js';

const FACES: FacesSpec = { enabled: true, detector: 'ssd', align: { height: 112, width: 96 }, confidence: 0.5 };

describe('Aff-Wild2 VA set loader', function () {
    this.timeout(30000);
    let tmp: ReturnType<typeof tempDir>;
    let root: string;
    const spec = (over = {}) => datasetSpec({ format: 'affwild2', kind: 'emotion', path: root, faces: FACES, ...over });

    before(function () {
        tmp = tempDir('affwild2');
        root = path.join(tmp.dir, 'aff-wild2');
        const va = (set: string, name: string) => path.join(root, 'annotations', 'VA_Set', set, `${name}.txt`);
        rampClip(path.join(root, 'batch1', 'vidA.mp4'), 6);
        writeLines(va('Train_Set', 'vidA'), ['valence,arousal', '0.1,0.2', '-5,-5', '0.3,0.4', '2,0.5', '-0.5,-0.6', '0,0']);
        twoToneClip(path.join(root, 'batch2', 'vidB.mp4'), 4);
        for (const side of ['left', 'right']) writeLines(va('Train_Set', `vidB_${side}`), ['valence,arousal', '0.5,0.5', '0.5,0.5', '0.5,0.5', '0.5,0.5']);
        writeLines(va('Train_Set', 'vidE'), ['arousal;valence', '0,0']);
        // cropped_aligned frames: 1-based, frame 2 missing (no face found there by Aff-Wild2's tools).
        mkdirSync(path.join(root, 'cropped_aligned', 'vidC'), { recursive: true });
        for (const [n, grey] of [[1, '404040'], [3, 'c0c0c0']] as const) {
            const jpg = path.join(root, 'cropped_aligned', 'vidC', `${String(n).padStart(5, '0')}.jpg`);
            ffmpeg('-f', 'lavfi', '-i', `color=c=0x${grey}:s=112x112`, '-frames:v', '1', jpg);
        }
        writeLines(va('Validation_Set', 'vidC'), ['valence,arousal', '0.1,-0.1', '0.2,-0.2', '0.3,-0.3']);
        writeLines(va('Validation_Set', 'vidD'), ['valence,arousal', '0,0']);
    });
    after(() => tmp.remove());

    it('reads valence,arousal lines as [arousal, valence] per frame, -5 as no label', async function () {
        const before = snapshot(root);
        const source = await openAffwild2Source(spec(), { cacheDir: path.join(tmp.dir, 'cache') });
        assert.deepEqual(source.videos('train').map((v) => v.id), ['vidA', 'vidB_left', 'vidB_right']);
        const vidA = source.videos('train')[0];
        assert.deepEqual(vidA.emotion, [[0.2, 0.1], null, [0.4, 0.3], null, [-0.6, -0.5], [0, 0]]);
        const [, left, right] = source.videos('train');
        assert.notEqual(left.person, right.person, 'two people in one video');
        assert.deepEqual(source.videos('validation').map((v) => [v.id, v.frameCount]), [['vidC', 3]]);

        const problems = source.problems();
        assert.ok(findProblem(problems, 'vidA.txt', 'line 5: not two numbers in [-1, 1] (or -5)'), JSON.stringify(problems, null, 1));
        assert.ok(findProblem(problems, 'vidE.txt', 'not the header valence,arousal'));
        assert.ok(findProblem(problems, 'vidD.txt', 'no video vidD.* and no cropped_aligned/vidD/ frames'));
        assert.deepEqual(snapshot(root), before);
    });

    it('takes the person on the named side of a two-person video', async function () {
        const source = await openAffwild2Source(spec(), { cacheDir: path.join(tmp.dir, 'cache'), detector: twoFaceDetector() });
        const [, left, right] = source.videos('train');
        const size = { width: 24, height: 28 };
        assert.ok(cropLevel((await source.frames(left, [1], size))[0]) < 50, 'left: the black half');
        assert.ok(cropLevel((await source.frames(right, [1], size))[0]) > 200, 'right: the white half');
    });

    it('uses cropped_aligned frames as they are, without detecting, and counts a missing one', async function () {
        const source = await openAffwild2Source(spec(), {
            cacheDir: path.join(tmp.dir, 'cache'),
            detector: async () => assert.fail('aligned frames need no detector'),
        });
        const vidC = source.videos('validation')[0];
        const crops = await source.frames(vidC, [0, 1, 2], { width: 96, height: 112 });
        assert.equal(crops[1], null);
        assert.ok(Math.abs(cropLevel(crops[0]) - 0x40) < 4 && Math.abs(cropLevel(crops[2]) - 0xc0) < 4, 'each frame is its own file');
        assert.deepEqual(source.counts().reasons, { 'no labels': 1, 'no video': 1, [REASONS.missingFrame]: 1 });
    });
});
