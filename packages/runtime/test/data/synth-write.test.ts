/**
 * `persemon synth`'s writer: the real formats' layouts, annotations that python3 reads back
 * (pickles) and that match the clips they label, clips ffmpeg decodes at the stated size and
 * length, the same bytes from the same seed, and faces the detector finds in the decoded frames.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { loadFaceDetector, type DetectorKind } from '../../src/data/faces/detector.js';
import { listFiles } from '../../src/data/file-source.js';
import { drained, SYNTH_FRAME_SIZE, SynthError, writeSynthetic } from '../../src/data/synthetic/write.js';
import { decodeFrames, probeVideo } from '../../src/data/video.js';
import { snapshot, tempDir } from './fixtures.js';

const TRAITS = ['extraversion', 'agreeableness', 'conscientiousness', 'neuroticism', 'openness'];

/** python3's view of ChaLearn pickles: {file: {trait: {clip: score}}}. */
function pythonPickles(files: string[]): Record<string, Record<string, Record<string, number>>> {
    const code =
        'import json, pickle, sys\n' +
        "print(json.dumps({f: pickle.load(open(f, 'rb'), encoding='latin1') for f in sys.argv[1:]}))\n";
    return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code, ...files], { encoding: 'utf8' }));
}

describe('synthetic data written in the real formats', function () {
    this.timeout(180000);
    let tmp: ReturnType<typeof tempDir>;
    let chalearn: string;
    let affwild: string;

    before(async () => {
        tmp = tempDir('synth');
        chalearn = path.join(tmp.dir, 'chalearn');
        affwild = path.join(tmp.dir, 'affwild');
        await writeSynthetic({ format: 'chalearn', out: chalearn, videos: 5, frames: 6, seed: 4 });
        await writeSynthetic({ format: 'affwild', out: affwild, videos: 4, frames: 7, seed: 4 });
    });
    after(() => tmp.remove());

    it('lays ChaLearn out as First Impressions v2: split folders, YouTube-like clip names, three pickles', async () => {
        const files = (await listFiles(chalearn)).map((f) => path.relative(chalearn, f));
        const pickles = ['annotation_test.pkl', 'annotation_training.pkl', 'annotation_validation.pkl'];
        assert.deepEqual(files.filter((f) => f.endsWith('.pkl')), pickles);
        const clips = files.filter((f) => f.endsWith('.mp4'));
        assert.equal(clips.length, 5);
        assert.deepEqual(clips.length + pickles.length, files.length, 'nothing else is written');
        for (const clip of clips) assert.match(clip, /^(training80_01|validation80_01|test80_01)\/[A-Za-z0-9_-]{11}\.\d{3}\.mp4$/);

        const read = pythonPickles(pickles.map((p) => path.join(chalearn, p)));
        const folderOf: Record<string, string> = { 'annotation_training.pkl': 'training80_01', 'annotation_validation.pkl': 'validation80_01', 'annotation_test.pkl': 'test80_01' };
        for (const [file, traits] of Object.entries(read)) {
            assert.deepEqual(Object.keys(traits).sort(), [...TRAITS, 'interview'].sort(), file);
            const folder = folderOf[path.basename(file)];
            const inFolder = clips.filter((c) => c.startsWith(`${folder}/`)).map((c) => path.basename(c)).sort();
            for (const [trait, scores] of Object.entries(traits)) {
                assert.deepEqual(Object.keys(scores).sort(), inFolder, `${file} ${trait}: labels exactly the clips of ${folder}/`);
                for (const v of Object.values(scores)) assert.ok(typeof v === 'number' && v >= 0 && v <= 1, `${file} ${trait}: ${v}`);
            }
        }
        // 5 people: one held out for each of validation and test.
        assert.deepEqual(['training80_01', 'validation80_01', 'test80_01'].map((f) => readdirSync(path.join(chalearn, f)).length), [3, 1, 1]);
    });

    it('lays Aff-Wild out as videos/<split>/ and one arousal and one valence value a line per frame', async () => {
        const files = (await listFiles(affwild)).map((f) => path.relative(affwild, f));
        const videos = files.filter((f) => f.startsWith('videos/'));
        assert.deepEqual(videos.map((v) => path.dirname(v)).filter((d, i, all) => all.indexOf(d) === i).sort(), ['videos/test', 'videos/train']);
        assert.equal(videos.length, 4);
        for (const video of videos) {
            const [, split, name] = video.split('/');
            const id = name.replace(/\.mp4$/, '');
            for (const dimension of ['arousal', 'valence']) {
                const lines = readFileSync(path.join(affwild, 'annotations', split, dimension, `${id}.txt`), 'utf8').split('\n');
                assert.equal(lines.pop(), '', 'ends with a newline');
                assert.equal(lines.length, 7, `${dimension}/${id}.txt: a line per frame`);
                for (const line of lines) assert.ok(/^-?\d\.\d+$/.test(line) && Math.abs(Number(line)) <= 1, `${dimension}/${id}.txt: '${line}'`);
            }
        }
        assert.equal(files.length, videos.length * 3, 'a video and its two annotation files, nothing else');
    });

    it('encodes clips ffmpeg reads back at the stated size and length', async () => {
        for (const [root, frames] of [[chalearn, 6], [affwild, 7]] as const) {
            for (const file of (await listFiles(root)).filter((f) => f.endsWith('.mp4'))) {
                const info = await probeVideo(file);
                assert.deepEqual([info.frameCount, info.width, info.height, info.damage], [frames, SYNTH_FRAME_SIZE.width, SYNTH_FRAME_SIZE.height, null], file);
                assert.ok(Math.abs(info.fps - 30) < 0.01, `${file}: ${info.fps} fps`);
            }
        }
    });

    it('writes the same bytes from the same seed, other data from another', async () => {
        const again = path.join(tmp.dir, 'again');
        const other = path.join(tmp.dir, 'other');
        await writeSynthetic({ format: 'chalearn', out: again, videos: 5, frames: 6, seed: 4 });
        await writeSynthetic({ format: 'chalearn', out: other, videos: 5, frames: 6, seed: 5 });
        const hashes = (root: string) => new Map([...snapshot(root)].map(([file, hash]) => [path.relative(root, file), hash.split(' ')[0]]));
        assert.deepEqual(hashes(again), hashes(chalearn));
        const test = (root: string) => readFileSync(path.join(root, 'annotation_training.pkl'));
        assert.notDeepEqual(test(other), test(chalearn));
    });

    it('waits for a full pipe without piling up listeners on it, however many times it fills', async () => {
        // A slow consumer makes every write report a full buffer, as ffmpeg's stdin does mid-clip.
        const pipe = new Writable({ highWaterMark: 1, write: (_chunk, _encoding, done) => setImmediate(done) });
        const before = { drain: pipe.listenerCount('drain'), close: pipe.listenerCount('close') };
        let waits = 0;
        for (let i = 0; i < 30; i++) {
            if (!pipe.write(Buffer.alloc(64))) {
                await drained(pipe);
                waits++;
            }
        }
        assert.equal(waits, 30, 'every write filled the pipe');
        assert.deepEqual({ drain: pipe.listenerCount('drain'), close: pipe.listenerCount('close') }, before);
    });

    it('refuses a folder that already holds something, naming it', async () => {
        const full = path.join(tmp.dir, 'full');
        mkdirSync(full);
        writeFileSync(path.join(full, 'notes.txt'), 'mine');
        await assert.rejects(writeSynthetic({ format: 'affwild', out: full, videos: 1, frames: 1, seed: 1 }), (e: unknown) => e instanceof SynthError && e.file === full && /not empty/.test(e.message));
        assert.deepEqual(readdirSync(full), ['notes.txt'], 'nothing written beside it');
    });

    for (const [detector, perClip] of [['tiny', 3], ['ssd', 1]] as const) {
        it(`draws faces the ${detector} detector finds in the decoded frames, one a frame, inside it`, async function () {
            const found = await loadFaceDetector({ detector: detector as DetectorKind, confidence: 0.5 });
            let frames = 0;
            let faces = 0;
            for (const file of [...(await listFiles(chalearn)), ...(await listFiles(affwild))].filter((f) => f.endsWith('.mp4'))) {
                for await (const { image } of decodeFrames(file, [0, 3, 5].slice(0, perClip))) {
                    frames++;
                    const detected = await found.detect(image);
                    if (detected.length === 0) continue;
                    faces++;
                    assert.equal(detected.length, 1, `${file}: one face`);
                    const { x, y, width, height } = detected[0].box;
                    assert.ok(x > -5 && y > -5 && x + width < image.width + 5 && y + height < image.height + 5 && width > image.width / 4, `${file}: box ${JSON.stringify(detected[0].box)}`);
                }
            }
            assert.ok(faces >= frames - 1, `${detector} found faces in ${faces} of ${frames} frames`);
        });
    }
});
