import { strict as assert } from 'node:assert';
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { findFfmpeg } from '../../src/data/ffmpeg.js';
import { decodeFrames, probeVideo, selectExpression, VideoError } from '../../src/data/video.js';
import { ffmpeg, mean, rampClip, rampValue, tempDir } from './fixtures.js';

async function decodeAll(file: string, indices: number[]) {
    const out: Array<{ index: number; value: number; width: number; height: number }> = [];
    for await (const { index, image } of decodeFrames(file, indices)) out.push({ index, value: mean(image.data), width: image.width, height: image.height });
    return out;
}

describe('video decoding with ffmpeg', function () {
    let tmp: ReturnType<typeof tempDir>;
    let ramp: string;
    let avi: string;
    before(function () {
        tmp = tempDir('video');
        ramp = rampClip(path.join(tmp.dir, 'ramp.mp4'), 30);
        avi = rampClip(path.join(tmp.dir, 'ramp.avi'), 12, 32);
    });
    after(() => tmp.remove());

    it('finds an executable ffmpeg (the system one first, else the packaged one)', function () {
        const found = findFfmpeg();
        accessSync(found.path, constants.X_OK);
        assert.ok(found.origin === 'system' || found.path.includes('@ffmpeg-installer'));
    });

    it('probes frame count, rate and size', async function () {
        assert.deepEqual(await probeVideo(ramp), { frameCount: 30, fps: 25, width: 16, height: 16, damage: null });
        const info = await probeVideo(avi);
        assert.equal(info.frameCount, 12);
        assert.equal(info.width, 32);
    });

    it('decodes exactly the frames asked for, in one pass, whatever the order', async function () {
        const frames = await decodeAll(ramp, [29, 3, 10, 11, 12, 3, 0]);
        assert.deepEqual(frames.map((f) => f.index), [0, 3, 10, 11, 12, 29]);
        for (const f of frames) {
            assert.equal(f.width, 16);
            assert.ok(Math.abs(f.value - rampValue(f.index)) < 1.5, `frame ${f.index}: ${f.value} vs ${rampValue(f.index)}`);
        }
        const fromAvi = await decodeAll(avi, [11, 5]);
        assert.deepEqual(fromAvi.map((f) => f.index), [5, 11]);
        for (const f of fromAvi) assert.ok(Math.abs(f.value - rampValue(f.index)) < 2.5, `avi frame ${f.index}: ${f.value}`);
    });

    it('yields nothing for frames past the end', async function () {
        assert.deepEqual((await decodeAll(ramp, [28, 40, 100])).map((f) => f.index), [28]);
        assert.deepEqual(await decodeAll(ramp, []), []);
    });

    it('selects runs of frames with between()', function () {
        assert.equal(selectExpression([0, 1, 2, 5, 7, 8]), 'between(n,0,2)+eq(n,5)+between(n,7,8)');
    });

    it('names the file and the reason for a truncated mp4 (moov atom lost)', async function () {
        const whole = readFileSync(ramp);
        const cut = path.join(tmp.dir, 'cut.mp4');
        writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
        await assert.rejects(probeVideo(cut), (e: unknown) => e instanceof VideoError && e.file === cut && /moov atom not found/.test(e.message));
    });

    it('reports damage and still reads the frames before a cut in a faststart mp4', async function () {
        const whole = path.join(tmp.dir, 'faststart.mp4');
        ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=25', '-frames:v', '60', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-movflags', '+faststart', whole);
        const cut = path.join(tmp.dir, 'faststart-cut.mp4');
        const bytes = readFileSync(whole);
        writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
        const info = await probeVideo(cut);
        assert.ok(info.frameCount > 0 && info.frameCount < 60, `readable frames ${info.frameCount}`);
        assert.match(info.damage ?? '', /partial file|invalid data|corrupt/i);
        // The last packet before the cut may itself be partial, so it need not decode.
        const frames = await decodeAll(cut, [0, 1, 59]);
        assert.deepEqual(frames.map((f) => f.index), [0, 1]);
    });

    it('refuses a file that is not a video, naming it', async function () {
        const junk = path.join(tmp.dir, 'junk.mp4');
        writeFileSync(junk, 'not a video at all');
        await assert.rejects(probeVideo(junk), (e: unknown) => e instanceof VideoError && e.message.startsWith(junk) && /Invalid data/.test(e.message));
        await assert.rejects(probeVideo(path.join(tmp.dir, 'absent.mp4')), /absent\.mp4: ffmpeg cannot read it: No such file/);
    });
});
