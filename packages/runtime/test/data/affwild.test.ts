import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { FacesSpec } from '@persemon/language';
import { openAffwildSource, parsePts } from '../../src/data/affwild.js';
import { AFFWILD_V1, buildAffwild, cropLevel, datasetSpec, findProblem, snapshot, tempDir, twoFaceDetector } from './fixtures.js';

const FACES: FacesSpec = { enabled: true, detector: 'ssd', align: { height: 112, width: 96 }, confidence: 0.5 };

describe('Aff-Wild loader', function () {
    this.timeout(30000);
    let tmp: ReturnType<typeof tempDir>;
    let root: string;
    const spec = (over = {}) => datasetSpec({ format: 'affwild', kind: 'emotion', path: root, ...over });
    const options = () => ({ cacheDir: path.join(tmp.dir, 'cache'), detector: twoFaceDetector() });

    before(function () {
        tmp = tempDir('affwild');
        root = path.join(tmp.dir, 'aff-wild');
        buildAffwild(root);
    });
    after(() => tmp.remove());

    it('reads per-frame arousal and valence of each video, and reports what is wrong per file', async function () {
        const before = snapshot(root);
        const source = await openAffwildSource(spec(), options());
        assert.deepEqual(source.splits(), ['train']);
        const [v1, v2, v4] = source.videos('train');
        assert.deepEqual([v1.id, v2.id, v4.id], ['v1', 'v2', 'v4']);
        assert.equal(v1.person, 'v1');
        assert.equal(v1.frameCount, 10);
        const expected = AFFWILD_V1.arousal.map((a, i) => (i === 3 ? null : [a, AFFWILD_V1.valence[i]]));
        assert.deepEqual(v1.emotion, expected, 'the bad valence line leaves frame 3 unlabelled');
        assert.equal(v2.frameCount, 8);
        assert.deepEqual(v2.emotion, [[0, 1], [0, 1], [0, 1], [0, 1], [0, 1], [0, 1], null, null]);

        const problems = source.problems();
        assert.ok(findProblem(problems, 'valence/v1.txt', 'line 4: not a number in [-1, 1]'), JSON.stringify(problems, null, 1));
        assert.ok(findProblem(problems, 'v2.avi', 'has 8 frames but 6 labels; the frames that have labels are used'));
        assert.ok(findProblem(problems, 'test/arousal/v3.txt', 'missing annotation'));
        assert.ok(findProblem(problems, 'arousal/v9.txt', 'annotates v9, which has no video in videos/train/'));
        assert.equal(source.unlabelled('test'), 1);
        assert.deepEqual(source.counts().reasons, { 'no labels': 1 });
        assert.deepEqual(snapshot(root), before);
    });

    it('uses the annotated box to pick the face where there is one, else the largest', async function () {
        const source = await openAffwildSource(spec({ faces: FACES }), options());
        const v1 = source.videos('train')[0];
        const [boxed, unboxed] = await source.frames(v1, [0, 1], { width: 24, height: 28 });
        assert.ok(cropLevel(boxed) > 200, `frame 0 has a box on the right (white) face: ${cropLevel(boxed)}`);
        assert.ok(cropLevel(unboxed) < 50, `frame 1 has no box: the larger, left (black) face: ${cropLevel(unboxed)}`);
    });

    it('holds out a fraction of train\'s people as validation', async function () {
        const source = await openAffwildSource(spec({ validation: 0.3 }), options());
        assert.deepEqual(source.splits().sort(), ['train', 'validation']);
        assert.equal(source.videos('validation').length, 1);
        assert.equal(source.videos('train').length, 2);
    });

    it('parses .pts boxes', function () {
        assert.deepEqual(parsePts('version: 1\nn_points: 4\n{\n10 20\n30 20\n10 50\n30 50\n}\n'), { x: 10, y: 20, width: 20, height: 30 });
        assert.equal(parsePts('version: 1\n{\n10 20\n}'), undefined);
        assert.equal(parsePts('nonsense'), undefined);
    });
});
