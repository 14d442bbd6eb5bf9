import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FacesSpec } from '@persemon/language';
import { alignmentTransform, applySimilarity, templateFor, warpSimilarity } from '../../src/data/faces/align.js';
import { CropCache, FileFacts, type CachedCrop } from '../../src/data/faces/cache.js';
import { FaceCropper, REASONS } from '../../src/data/faces/crops.js';
import { loadFaceDetector, type DetectedFace, type FaceDetector } from '../../src/data/faces/detector.js';
import { readImage } from '../../src/data/image-file.js';
import type { Pixels } from '../../src/data/image.js';
import { ASTRONAUT, faceClip, magick, mean, rampClip, tempDir } from './fixtures.js';

const SSD: FacesSpec = { enabled: true, detector: 'ssd', align: { height: 112, width: 96 }, confidence: 0.5 };

/** The real detector, counting its calls: the cache must spare them. */
function counting(detector: FaceDetector): { detector: FaceDetector; calls: () => number } {
    let calls = 0;
    return {
        detector: { options: detector.options, detect: (image: Pixels) => (calls++, detector.detect(image)) },
        calls: () => calls,
    };
}

function allFilesUnder(dir: string): string[] {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

describe('faces: detection, alignment, cache', function () {
    this.timeout(60000);
    let tmp: ReturnType<typeof tempDir>;
    let astronaut: Pixels;
    let ssd: FaceDetector;
    let faces: DetectedFace[];

    before(async function () {
        tmp = tempDir('faces');
        astronaut = await readImage(ASTRONAUT);
        ssd = await loadFaceDetector({ detector: 'ssd', confidence: 0.5 });
        faces = await ssd.detect(astronaut);
    });
    after(() => tmp.remove());

    it('finds the one face of the astronaut portrait, with its 68 landmarks inside the box', function () {
        assert.equal(astronaut.width, 512);
        assert.equal(faces.length, 1);
        const [face] = faces;
        assert.ok(face.score > 0.9, `score ${face.score}`);
        // Eileen Collins' face sits left of centre in the upper half of the NASA portrait.
        const { x, y, width, height } = face.box;
        assert.ok(x > 120 && x + width < 320 && y > 30 && y + height < 230, JSON.stringify(face.box));
        assert.equal(face.landmarks68.length, 68);
        const margin = 0.15 * width;
        for (const p of face.landmarks68) {
            assert.ok(p.x > x - margin && p.x < x + width + margin && p.y > y - margin && p.y < y + height + margin, `landmark ${p.x},${p.y}`);
        }
        const [leftEye, rightEye, nose, mouthLeft, mouthRight] = face.landmarks5;
        assert.ok(leftEye.x < nose.x && nose.x < rightEye.x && leftEye.y < nose.y && nose.y < mouthLeft.y && mouthLeft.x < mouthRight.x);
    });

    it('aligns the face so a second detection finds the eyes on the template points', async function () {
        const size = { width: 96, height: 112 };
        const t = alignmentTransform(faces[0].landmarks5, size);
        const moved = faces[0].landmarks5.map((p) => applySimilarity(t, p));
        const template = templateFor(size);
        for (let i = 0; i < 2; i++) assert.ok(Math.hypot(moved[i].x - template[i].x, moved[i].y - template[i].y) < 3, `eye ${i} after the transform`);
        // The warp itself: render the aligned face into a larger canvas (detectors need context),
        // detect again, and find the eyes where the template puts them.
        const pad = 96;
        const canvas = { width: size.width + 2 * pad, height: size.height + 2 * pad };
        const pixels = warpSimilarity(astronaut, { ...t, tx: t.tx + pad, ty: t.ty + pad }, canvas);
        const again = await ssd.detect({ data: pixels, ...canvas, channels: 3 });
        assert.equal(again.length, 1);
        for (let i = 0; i < 2; i++) {
            const eye = again[0].landmarks5[i];
            const d = Math.hypot(eye.x - pad - template[i].x, eye.y - pad - template[i].y);
            assert.ok(d < 4, `re-detected eye ${i} is ${d.toFixed(1)} px from the template`);
        }
    });

    it('finds the same face with the tiny detector', async function () {
        const tiny = await loadFaceDetector({ detector: 'tiny', confidence: 0.5 });
        const found = await tiny.detect(astronaut);
        assert.equal(found.length, 1);
        const eye = found[0].landmarks5[0];
        const ssdEye = faces[0].landmarks5[0];
        assert.ok(Math.hypot(eye.x - ssdEye.x, eye.y - ssdEye.y) < 6);
    });

    it('caches crops atomically, keyed by content and settings; a bad entry is a miss', async function () {
        const cache = new CropCache(path.join(tmp.dir, 'cache-a'));
        const key = cache.keyOf('f'.repeat(64), 3, { mode: 'align', width: 4, height: 2 });
        assert.notEqual(key, cache.keyOf('f'.repeat(64), 4, { mode: 'align', width: 4, height: 2 }));
        assert.notEqual(key, cache.keyOf('f'.repeat(64), 3, { mode: 'align', width: 4, height: 2, pick: 'left' }));
        assert.equal(key, cache.keyOf('f'.repeat(64), 3, { height: 2, width: 4, mode: 'align' }), 'settings order does not matter');
        assert.equal(await cache.get(key), undefined);
        const entry: CachedCrop = {
            pixels: new Uint8Array(24).map((_, i) => i * 10),
            width: 4,
            height: 2,
            face: { box: { x: 1, y: 2, width: 3, height: 4 }, score: 0.9, landmarks: [{ x: 1, y: 1 }, { x: 2, y: 1 }, { x: 1.5, y: 2 }, { x: 1, y: 3 }, { x: 2, y: 3 }] },
            reason: null,
        };
        await cache.put(key, entry);
        assert.deepEqual(await cache.get(key), entry);
        const noFace: CachedCrop = { pixels: null, width: 4, height: 2, face: null, reason: 'no face' };
        const other = cache.keyOf('e'.repeat(64), 0, {});
        await cache.put(other, noFace);
        assert.deepEqual(await cache.get(other), noFace);
        assert.ok(allFilesUnder(cache.dir).every((f) => f.endsWith('.crop')), 'no temporary files are left');
        const file = path.join(cache.dir, 'crops', key.slice(0, 2), `${key}.crop`);
        writeFileSync(file, readFileSync(file).subarray(0, 20));
        assert.equal(await cache.get(key), undefined);
    });

    it('hashes file contents (as sha256sum does) and notices a changed file', async function () {
        const facts = new FileFacts(path.join(tmp.dir, 'facts'));
        const file = path.join(tmp.dir, 'some.bin');
        writeFileSync(file, 'first');
        const expected = (f: string) => execFileSync('sha256sum', [f], { encoding: 'utf8' }).split(' ')[0];
        assert.equal(await facts.contentHash(file), expected(file));
        writeFileSync(file, 'second, longer');
        assert.equal(await facts.contentHash(file), expected(file));
        // A new FileFacts on the same folder remembers from disk.
        assert.equal(await new FileFacts(path.join(tmp.dir, 'facts')).contentHash(file), expected(file));
    });

    it('decodes, detects, aligns and caches a clip; the second pass never detects', async function () {
        const clip = faceClip(path.join(tmp.dir, 'face.mp4'), 4);
        const counter = counting(ssd);
        const dir = path.join(tmp.dir, 'cache-clip');
        const make = () => new FaceCropper({ faces: SSD, cache: new CropCache(dir), facts: new FileFacts(dir), detector: async () => counter.detector });
        const target = { media: { kind: 'video' as const, file: clip }, pick: 'largest' as const };
        const size = { width: 96, height: 112 };

        let started = performance.now();
        const first = await make().crops(target, [0, 3, 3], size);
        const firstMs = performance.now() - started;
        assert.equal(counter.calls(), 2, 'one detection per distinct frame');
        assert.deepEqual(first.problems, []);
        for (const { crop, reason } of first.outcomes) {
            assert.equal(reason, null);
            assert.ok(crop && crop.width === 96 && crop.height === 112 && crop.data.length === 96 * 112 * 3);
            const values = [...crop.data];
            assert.ok(Math.min(...values) >= -127.5 / 128 && Math.max(...values) <= 127.5 / 128, 'normalised as (p - 127.5) / 128');
        }

        started = performance.now();
        const second = await make().crops(target, [3, 0], size);
        const secondMs = performance.now() - started;
        assert.equal(counter.calls(), 2, 'the second pass detected nothing');
        assert.deepEqual(second.outcomes[0].crop?.data, first.outcomes[1].crop?.data);
        assert.deepEqual(second.outcomes[1].crop?.data, first.outcomes[0].crop?.data);
        console.log(`      (clip of 2 frames: first pass ${firstMs.toFixed(0)} ms, cached pass ${secondMs.toFixed(0)} ms)`);

        // Another size is another crop.
        await make().crops(target, [0], { width: 64, height: 64 });
        assert.equal(counter.calls(), 3);
    });

    it('counts a frame without a face, and remembers it', async function () {
        const clip = rampClip(path.join(tmp.dir, 'grey.mp4'), 5, 64);
        const counter = counting(ssd);
        const dir = path.join(tmp.dir, 'cache-grey');
        const make = () => new FaceCropper({ faces: SSD, cache: new CropCache(dir), facts: new FileFacts(dir), detector: async () => counter.detector });
        const target = { media: { kind: 'video' as const, file: clip }, pick: 'largest' as const };
        const first = await make().crops(target, [1, 2, 9], { width: 96, height: 112 });
        assert.deepEqual(first.outcomes.map((o) => o.reason), [REASONS.noFace, REASONS.noFace, REASONS.notDecoded]);
        assert.match(first.problems[0].problem, /frames 9 could not be decoded/);
        const second = await make().crops(target, [1, 2], { width: 96, height: 112 });
        assert.deepEqual(second.outcomes.map((o) => o.reason), [REASONS.noFace, REASONS.noFace]);
        assert.equal(counter.calls(), 2);
    });

    it('finds the small face of a large photo in a dataset by searching it in tiles, aligned as on the portrait', async function () {
        // ImageMagick's 4000x3000 photo: the portrait at 600 px in the top right corner, a face a thirtieth of the width.
        const file = path.join(tmp.dir, 'wide-shot.jpg');
        magick('-size', '4000x3000', 'gradient:#6a7f96-#d8c8a8', '(', ASTRONAUT, '-resize', '600x600', ')', '-geometry', '+3200+150', '-composite', '-quality', '92', file);
        const tiny = await loadFaceDetector({ detector: 'tiny', confidence: 0.5 });
        const faces = { ...SSD, detector: 'tiny' as const };
        const cropper = (dir: string) => new FaceCropper({ faces, cache: new CropCache(dir), facts: new FileFacts(dir), detector: async () => tiny });
        const size = { width: 96, height: 112 };
        const [photo] = (await cropper(path.join(tmp.dir, 'cache-photo')).crops({ media: { kind: 'image', file }, pick: 'largest' }, [0], size)).outcomes;
        assert.equal(photo.reason, null);
        const [portrait] = (await cropper(path.join(tmp.dir, 'cache-portrait')).crops({ media: { kind: 'image', file: ASTRONAUT }, pick: 'largest' }, [0], size)).outcomes;
        // The same face on the same template: the two crops differ by little more than the JPEG and the scaling.
        const a = photo.crop!.data;
        const b = portrait.crop!.data;
        let d = 0;
        for (let i = 0; i < a.length; i++) d += Math.abs(a[i] - b[i]) * 128;
        assert.ok(d / a.length < 20, `mean difference ${(d / a.length).toFixed(1)} levels`);
    });

    it('resizes frames without detecting when faces are off', async function () {
        const clip = rampClip(path.join(tmp.dir, 'ramp.mp4'), 10, 32);
        const dir = path.join(tmp.dir, 'cache-off');
        const cropper = new FaceCropper({
            faces: { ...SSD, enabled: false },
            cache: new CropCache(dir),
            facts: new FileFacts(dir),
            detector: async () => assert.fail('no detector is needed when faces are off'),
        });
        const { outcomes } = await cropper.crops({ media: { kind: 'video', file: clip }, pick: 'largest' }, [7], { width: 8, height: 8 });
        const crop = outcomes[0].crop;
        assert.ok(crop);
        assert.ok(Math.abs(mean(crop.data) * 128 + 127.5 - (6 * 7 * 255) / 219) < 1.5);
    });
});
