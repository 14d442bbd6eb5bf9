/**
 * ChaLearn clips as real disks hold them: linked in from another disk (one clip, or a whole
 * folder), names with a line break in them, a link to nothing, a link back up the tree.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { openChalearnSource } from '../../src/data/chalearn.js';
import { chalearnPickles, datasetSpec, rampClip, tempDir } from './fixtures.js';

const TRAITS = ['extraversion', 'agreeableness', 'conscientiousness', 'neuroticism', 'openness'];

describe('ChaLearn clips through symbolic links and with line breaks in their names', function () {
    this.timeout(60000);
    let tmp: ReturnType<typeof tempDir>;
    let root: string;
    const clips: Record<string, number> = { 'LINK.001.mp4': 4, 'DIRL.001.mp4': 5, 'NEW\nLINE.001.mp4': 3, 'PLAIN.001.mp4': 2 };

    before(function () {
        tmp = tempDir('chalearn-paths');
        root = path.join(tmp.dir, 'chalearn');
        const elsewhere = path.join(tmp.dir, 'other-disk');
        rampClip(path.join(root, 'training80_01', 'PLAIN.001.mp4'), clips['PLAIN.001.mp4']);
        rampClip(path.join(root, 'training80_01', 'NEW\nLINE.001.mp4'), clips['NEW\nLINE.001.mp4']);
        // A clip stored under another name elsewhere, linked in under its ChaLearn name.
        symlinkSync(rampClip(path.join(elsewhere, 'stored-1.mp4'), clips['LINK.001.mp4']), path.join(root, 'training80_01', 'LINK.001.mp4'));
        // A whole folder linked in, and a link inside it back up to the dataset (a loop to stay out of).
        rampClip(path.join(elsewhere, 'batch2', 'DIRL.001.mp4'), clips['DIRL.001.mp4']);
        symlinkSync(path.join(elsewhere, 'batch2'), path.join(root, 'training80_02'));
        symlinkSync(root, path.join(elsewhere, 'batch2', 'loop'));
        symlinkSync(path.join(elsewhere, 'gone.mp4'), path.join(root, 'training80_01', 'GONE.001.mp4'));
        mkdirSync(root, { recursive: true });
        const scores = (i: number) => TRAITS.map((_, t) => (i + t) / 10);
        const byTrait: Record<string, Record<string, number>> = {};
        TRAITS.forEach((trait, t) => (byTrait[trait] = Object.fromEntries([...Object.keys(clips), 'GONE.001.mp4'].map((c, i) => [c, scores(i)[t]]))));
        chalearnPickles({ [path.join(root, 'annotation_training.pkl')]: byTrait });
    });
    after(() => tmp.remove());

    const open = () => openChalearnSource(datasetSpec({ format: 'chalearn', kind: 'personality', path: root }), { cacheDir: path.join(tmp.dir, 'cache') });

    it('loads a linked clip and the clips of a linked folder, and names a link to nothing', async function () {
        const source = await open();
        const train = source.videos('train');
        const linked = ['LINK.001.mp4', 'DIRL.001.mp4', 'PLAIN.001.mp4'];
        assert.deepEqual(
            train.filter((v) => linked.includes(v.id)).map((v) => [v.id, v.frameCount]).sort(),
            linked.map((c) => [c, clips[c]]).sort(),
            JSON.stringify(source.problems(), null, 1)
        );
        const problems = source.problems().filter((p) => !p.file.endsWith('annotation_test.pkl') && !p.file.endsWith('annotation_validation.pkl') && !p.problem.includes('NEW\nLINE'));
        assert.deepEqual(problems, [
            { file: path.join(root, 'training80_01', 'GONE.001.mp4'), problem: `is a symbolic link to ${path.join(tmp.dir, 'other-disk', 'gone.mp4')}, which does not exist` },
        ]);
        // A clip read through its link decodes.
        const link = train.find((v) => v.id === 'LINK.001.mp4')!;
        const crops = await source.frames(link, [3], { width: 4, height: 4 });
        assert.ok(crops[0]);
    });

    it('loads a clip whose name holds a line break', async function () {
        const source = await open();
        const clip = source.videos('train').find((v) => v.id === 'NEW\nLINE.001.mp4');
        assert.ok(clip, JSON.stringify(source.problems(), null, 1));
        assert.deepEqual([clip.person, clip.frameCount], ['NEW\nLINE', 3]);
        const crops = await source.frames(clip, [2], { width: 4, height: 4 });
        assert.ok(crops[0]);
    });
});
