import { strict as assert } from 'node:assert';
import { copyFileSync, cpSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { openChalearnSource } from '../../src/data/chalearn.js';
import { DatasetError } from '../../src/data/file-source.js';
import { buildChalearn, CHALEARN_SCORES, datasetSpec, findProblem, mean, python, rampValue, snapshot, tempDir } from './fixtures.js';

describe('ChaLearn First Impressions loader', function () {
    this.timeout(30000);
    let tmp: ReturnType<typeof tempDir>;
    let root: string;
    const options = () => ({ cacheDir: path.join(tmp.dir, 'cache') });
    const spec = (over = {}) => datasetSpec({ format: 'chalearn', kind: 'personality', path: root, ...over });

    before(function () {
        tmp = tempDir('chalearn');
        root = path.join(tmp.dir, 'chalearn');
        buildChalearn(root);
    });
    after(() => tmp.remove());

    it('matches clips in nested folders to the pickles\' labels, traits in TRAITS order', async function () {
        const before = snapshot(root);
        const source = await openChalearnSource(spec(), options());
        assert.deepEqual(source.splits(), ['train', 'validation']);
        const train = source.videos('train');
        assert.deepEqual(train.map((v) => v.id), ['AAAA.001.mp4', 'AAAA.002.mp4', 'BBBB.001.mp4']);
        for (const video of [...train, ...source.videos('validation')]) {
            assert.deepEqual(video.traits, CHALEARN_SCORES[video.id as keyof typeof CHALEARN_SCORES]);
        }
        assert.deepEqual(train.map((v) => [v.person, v.frameCount]), [['AAAA', 6], ['AAAA', 5], ['BBBB', 4]]);
        assert.equal(source.videos('validation')[0].person, 'CCCC');
        assert.equal(source.unlabelled('test'), 1, 'the clip in test80_01 has no annotation_test.pkl');
        assert.deepEqual(snapshot(root), before, 'the loader modified nothing it read');
    });

    it('reports every flaw, naming its file, and goes on with the good clips', async function () {
        const source = await openChalearnSource(spec(), options());
        const problems = source.problems();
        assert.ok(findProblem(problems, 'annotation_test.pkl', 'missing annotation'), JSON.stringify(problems, null, 1));
        assert.ok(findProblem(problems, 'annotation_training.pkl', 'labels GONE.001.mp4, which is not under the dataset folder'));
        assert.ok(findProblem(problems, 'annotation_training.pkl', 'agreeableness score 1.3 of BAD.001.mp4 is not in [0, 1]'));
        assert.ok(findProblem(problems, 'extra.001.mp4', 'has no labels'));
        assert.ok(problems.some((p) => p.file.endsWith('EEEE.001.mp4') && /moov atom not found|no readable video stream/.test(p.problem)));
        const counts = source.counts();
        assert.equal(counts.items, 4);
        assert.deepEqual(counts.reasons, { 'label out of range': 1, 'no labels': 2, 'unreadable video': 1 });
        assert.equal(counts.skipped, 4);
    });

    it('decodes the frames asked for through the source', async function () {
        const before = snapshot(root);
        const source = await openChalearnSource(spec(), options());
        const video = source.videos('train')[0];
        const crops = await source.frames(video, [5, 0, 2], { width: 8, height: 8 });
        [5, 0, 2].forEach((n, i) => {
            const crop = crops[i];
            assert.ok(crop);
            assert.ok(Math.abs(mean(crop.data) * 128 + 127.5 - rampValue(n)) < 1.5, `frame ${n}`);
        });
        assert.equal(source.counts().read, 3);
        assert.deepEqual(snapshot(root), before);
    });

    it('refuses a hostile annotation pickle, naming the global, and still loads the other splits', async function () {
        const hostile = path.join(tmp.dir, 'hostile');
        cpSync(root, hostile, { recursive: true });
        const pickle = path.join(hostile, 'annotations', 'annotation_validation.pkl');
        python(
            `import os, pickle, sys\nclass P:\n    def __reduce__(self):\n        return (os.system, ('touch ' + sys.argv[1] + '/pwned',))\n` +
                `open(sys.argv[1] + '/annotations/annotation_validation.pkl', 'wb').write(pickle.dumps({'extraversion': P()}, protocol=2))`,
            hostile
        );
        const source = await openChalearnSource(spec({ path: hostile }), options());
        assert.ok(findProblem(source.problems(), 'annotation_validation.pkl', 'refuses to import posix.system'));
        assert.equal(existsSync(path.join(hostile, 'pwned')), false);
        assert.deepEqual(source.splits(), ['train']);
        assert.equal(source.videos('train').length, 3);
    });

    it('holds out people, not clips, when asked for a validation fraction', async function () {
        const tree = path.join(tmp.dir, 'no-validation');
        cpSync(root, tree, { recursive: true, filter: (src) => !src.includes('annotation_validation') && !src.includes('validation80') });
        const source = await openChalearnSource(spec({ path: tree, validation: 0.5 }), options());
        const train = source.videos('train').map((v) => v.person);
        const validation = source.videos('validation').map((v) => v.person);
        assert.equal(train.length + validation.length, 3);
        assert.equal(new Set(validation).size, 1);
        assert.ok(!train.some((p) => validation.includes(p)), 'no person on both sides');
    });

    it('says when one YouTube id has clips in several splits', async function () {
        const tree = path.join(tmp.dir, 'shared');
        cpSync(root, tree, { recursive: true });
        copyFileSync(path.join(tree, 'validation80_01', 'CCCC.001.mp4'), path.join(tree, 'validation80_01', 'AAAA.003.mp4'));
        python(
            `import pickle, sys\nd = {t: {'AAAA.003.mp4': 0.5} for t in ['extraversion', 'neuroticism', 'agreeableness', 'conscientiousness', 'openness']}\n` +
                `open(sys.argv[1] + '/annotations/annotation_validation.pkl', 'wb').write(pickle.dumps(d, protocol=2))`,
            tree
        );
        const source = await openChalearnSource(spec({ path: tree }), options());
        assert.ok(findProblem(source.problems(), 'shared', '1 YouTube id(s) have clips in more than one split (e.g. AAAA: train, validation)'));
    });

    it('fails with the folder named when there is no dataset, or the kind is wrong', async function () {
        await assert.rejects(openChalearnSource(spec({ path: path.join(tmp.dir, 'absent') }), options()), (e: unknown) => e instanceof DatasetError && /absent: does not exist/.test(e.message));
        await assert.rejects(openChalearnSource(spec({ kind: 'emotion' }), options()), /gives personality labels, not emotion/);
    });
});
