import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REASONS } from '../../src/data/faces/crops.js';
import { DatasetError } from '../../src/data/file-source.js';
import { folderKind, openFolderSource, parseCsv } from '../../src/data/folder.js';
import { cropLevel, datasetSpec, ffmpeg, findProblem, largePng, rampClip, rampValue, snapshot, tempDir, writeLines } from './fixtures.js';

describe('folder / CSV loader', function () {
    this.timeout(30000);
    let tmp: ReturnType<typeof tempDir>;
    let root: string;
    const options = () => ({ cacheDir: path.join(tmp.dir, 'cache') });

    before(function () {
        tmp = tempDir('folder');
        root = path.join(tmp.dir, 'mine');
        mkdirSync(path.join(root, 'img'), { recursive: true });
        const image = (name: string, grey: string) => ffmpeg('-f', 'lavfi', '-i', `color=c=0x${grey}:s=40x30`, '-frames:v', '1', path.join(root, 'img', name));
        image('a.png', '202020');
        image('b.jpg', '808080');
        image('with, comma.png', 'e0e0e0');
        image('out.png', '000000');
        const png = readFileSync(path.join(root, 'img', 'a.png'));
        writeFileSync(path.join(root, 'img', 'trunc.png'), png.subarray(0, 40));
        writeFileSync(path.join(root, 'img', 'broken.jpg'), 'this is no jpeg');
        rampClip(path.join(root, 'clips', 'v.mp4'), 4);
        writeLines(path.join(root, 'labels.csv'), [
            'Path,extraversion,agreeableness,conscientiousness,neuroticism,openness,arousal,valence,split,person',
            'img/a.png,0.1,0.2,0.3,0.4,0.5,0.5,-0.5,train,alice',
            'img/b.jpg,0.5,0.5,0.5,0.5,0.5,,,test,bob',
            '"img/with, comma.png",0.2,0.2,0.2,0.2,0.2,0.1,0.1,,carol',
            'img/broken.jpg,0.3,0.3,0.3,0.3,0.3,,,,',
            'img/trunc.png,0.3,0.3,0.3,0.3,0.3,,,,',
            'img/missing.png,0.3,0.3,0.3,0.3,0.3,,,,',
            'img/out.png,1.5,0.3,0.3,0.3,0.3,,,,',
            'img/unlabelled.png,,,,,,,,,',
            'clips/v.mp4,0.6,0.6,0.6,0.6,0.6,0.2,0.3,train,dave',
            'notes.txt,0.3,0.3,0.3,0.3,0.3,,,,',
        ]);
        writeLines(path.join(root, 'emotion.csv'), ['file,frame,arousal,valence', 'clips/v.mp4,0,0.1,0.2', 'clips/v.mp4,2,-0.3,0.4', 'clips/v.mp4,9,0,0', 'clips/v.mp4,1,3,0']);
    });
    after(() => tmp.remove());

    it('reads images and videos with whichever labels the CSV has', async function () {
        const before = snapshot(root);
        const source = await openFolderSource(datasetSpec({ format: 'folder', kind: 'personality', path: root }), options());
        assert.deepEqual(source.splits(), ['train', 'test']);
        const train = source.videos('train');
        assert.deepEqual(train.map((v) => [v.id, v.person, v.frameCount]), [
            [path.join('img', 'a.png'), 'alice', 1],
            [path.join('img', 'with, comma.png'), 'carol', 1],
            [path.join('img', 'trunc.png'), path.join('img', 'trunc'), 1],
            [path.join('clips', 'v.mp4'), 'dave', 4],
        ]);
        assert.deepEqual(train[0].traits, [0.1, 0.2, 0.3, 0.4, 0.5]);
        assert.deepEqual(train[0].emotion, [[0.5, -0.5]]);
        assert.deepEqual(train[3].emotion, [[0.2, 0.3], [0.2, 0.3], [0.2, 0.3], [0.2, 0.3]], 'a video row labels all its frames');
        assert.equal(source.videos('test')[0].emotion, undefined);

        const problems = source.problems();
        assert.ok(findProblem(problems, 'broken.jpg', 'is not a JPEG, PNG, WebP, GIF, BMP or AVIF image (labels.csv line 5)'), JSON.stringify(problems, null, 1));
        assert.ok(findProblem(problems, 'missing.png', 'cannot be read'));
        assert.ok(findProblem(problems, 'out.png', 'a trait is not a number in [0, 1] (labels.csv line 8)'));
        assert.ok(findProblem(problems, 'unlabelled.png', 'cannot be read'));
        assert.ok(findProblem(problems, 'notes.txt', 'is neither an image'));
        assert.deepEqual(snapshot(root), before);
    });

    it('decodes images with canvas, and names an image that fails to decode', async function () {
        const source = await openFolderSource(datasetSpec({ format: 'folder', kind: 'personality', path: root }), options());
        const [a, comma, trunc] = source.videos('train');
        const size = { width: 8, height: 8 };
        assert.ok(Math.abs(cropLevel((await source.frames(a, [0], size))[0]) - 0x20) < 3);
        assert.ok(Math.abs(cropLevel((await source.frames(comma, [0], size))[0]) - 0xe0) < 3);
        assert.deepEqual(await source.frames(trunc, [0], size), [null]);
        assert.ok(findProblem(source.problems(), 'trunc.png', 'cannot be decoded as an image'));
        // Three images were left out while loading (broken.jpg, missing.png and the absent
        // unlabelled.png), and one frame failed to decode since.
        assert.equal(source.counts().reasons[REASONS.unreadableImage], 4);
    });

    it('takes per-frame labels from a frame column, from a CSV named by the path', async function () {
        const csv = path.join(root, 'emotion.csv');
        assert.equal(await folderKind(csv), 'emotion');
        const source = await openFolderSource(datasetSpec({ format: 'folder', kind: 'emotion', path: csv }), options());
        const [video] = source.videos('train');
        assert.deepEqual(video.emotion, [[0.1, 0.2], null, [-0.3, 0.4], null]);
        assert.ok(findProblem(source.problems(), 'emotion.csv', 'line 4: frame "9" is not one of the file\'s 4 frames'));
        assert.ok(findProblem(source.problems(), 'emotion.csv', 'line 5: arousal and valence must be numbers in [-1, 1]'));
    });

    it('refuses an image over the pixel limit when loading, naming it and its size', async function () {
        const dir = path.join(tmp.dir, 'large');
        mkdirSync(dir, { recursive: true });
        ffmpeg('-f', 'lavfi', '-i', 'color=c=gray:s=40x30', '-frames:v', '1', path.join(dir, 'small.png'));
        largePng(path.join(dir, 'huge.png'), 10000, 10000);
        writeLines(path.join(dir, 'labels.csv'), ['path,arousal,valence', 'small.png,0.1,0.2', 'huge.png,0.3,0.4']);
        const source = await openFolderSource(datasetSpec({ format: 'folder', kind: 'emotion', path: dir }), options());
        assert.deepEqual(source.videos('train').map((v) => v.id), ['small.png']);
        assert.deepEqual(source.problems(), [{
            file: path.join(dir, 'huge.png'),
            problem: 'is 10000x10000 pixels (100 megapixels), over the limit of 64 megapixels an image may have; scale it down first (e.g. convert FILE -resize 25% SMALLER.jpg) (labels.csv line 3)',
        }]);
        assert.deepEqual(source.counts().reasons, { 'image too large': 1 });
    });

    it('labels every frame of a video from 50,000 frame rows, each where its row says', async function () {
        const dir = path.join(tmp.dir, 'long');
        const frames = 50_000;
        mkdirSync(dir, { recursive: true });
        ffmpeg('-f', 'lavfi', '-i', 'color=c=gray:s=16x16:r=25', '-frames:v', String(frames), '-c:v', 'libx264', '-preset', 'ultrafast', path.join(dir, 'long.mp4'));
        // Rows in a scrambled order (frame = 7919 * i mod 50,000; 7919 is prime to 50,000), values from the frame number.
        const value = (f: number): [number, number] => [((f % 201) - 100) / 100, ((f % 199) - 99) / 100];
        const lines = ['path,frame,arousal,valence'];
        for (let i = 0; i < frames; i++) {
            const f = (7919 * i) % frames;
            lines.push(`long.mp4,${f},${value(f).join(',')}`);
        }
        writeLines(path.join(dir, 'labels.csv'), lines);
        const source = await openFolderSource(datasetSpec({ format: 'folder', kind: 'emotion', path: dir }), options());
        const [video] = source.videos('train');
        assert.equal(video.frameCount, frames);
        assert.deepEqual(video.emotion, Array.from({ length: frames }, (_, f) => value(f)));
        assert.deepEqual(source.problems(), []);
    });

    it('reads a video whose name holds a line break, quoted in the CSV', async function () {
        const dir = path.join(tmp.dir, 'newline');
        rampClip(path.join(dir, 'two\nlines.mp4'), 3);
        writeLines(path.join(dir, 'labels.csv'), ['path,arousal,valence', '"two\nlines.mp4",0.5,0.25']);
        const source = await openFolderSource(datasetSpec({ format: 'folder', kind: 'emotion', path: dir }), options());
        const [video] = source.videos('train');
        assert.deepEqual([video.id, video.frameCount], ['two\nlines.mp4', 3], JSON.stringify(source.problems()));
        const crops = await source.frames(video, [2], { width: 4, height: 4 });
        assert.ok(Math.abs(cropLevel(crops[0]) - rampValue(2)) < 1.5);
    });

    it('says which columns a kind needs', async function () {
        await assert.rejects(
            openFolderSource(datasetSpec({ format: 'folder', kind: 'personality', path: path.join(root, 'emotion.csv') }), options()),
            (e: unknown) => e instanceof DatasetError && /needs the columns extraversion, agreeableness, conscientiousness, neuroticism, openness/.test(e.message)
        );
    });

    it('parses RFC 4180 CSV: quotes, doubled quotes, line breaks in fields, CRLF, BOM', function () {
        const { header, rows } = parseCsv('\uFEFFPath,Note\r\n"a,b.png","say ""hi""\nthere"\r\n\r\nc.png,plain\n', 'x.csv');
        assert.deepEqual(header, ['path', 'note']);
        assert.deepEqual(rows.map((r) => [r.line, r.cells.get('path'), r.cells.get('note')]), [[2, 'a,b.png', 'say "hi"\nthere'], [5, 'c.png', 'plain']]);
        assert.throws(() => parseCsv('path\n"open', 'y.csv'), /y\.csv: line 2: a quoted field is not closed/);
    });
});
