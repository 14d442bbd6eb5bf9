/**
 * `persemon predict` on image files it must refuse, as a user would meet them: a tiny PNG that
 * would decode to 900 megapixels, a photo cut short by a failed download, a text file named .jpg.
 * Each exits 1 with one line naming the file and what is wrong, before any face detection.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASTRONAUT, largePng, magick, tempDir } from '../packages/runtime/test/data/fixtures.js';
import { untrainedRun } from '../packages/runtime/test/predict/run-fixture.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'packages/runtime/src/cli/main.ts');

describe('persemon predict refuses images it cannot use, naming the file', function () {
    this.timeout(300_000);
    let tmp: ReturnType<typeof tempDir>;
    let runDir: string;

    const predict = (file: string) =>
        spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', cli, 'predict', runDir, file, '--json'], {
            cwd: root, encoding: 'utf8', timeout: 240_000, env: { ...process.env, XDG_CACHE_HOME: path.join(tmp.dir, 'cache') },
        });

    const refused = (file: string, message: string) => {
        const r = predict(file);
        assert.equal(r.status, 1, r.stderr);
        assert.equal(r.stdout, '');
        assert.equal(r.stderr, `persemon: ${file}: ${message}\n`);
    };

    before(async function () {
        tmp = tempDir('predict-images');
        runDir = await untrainedRun(tmp.dir, 'tiny');
    });
    after(() => tmp.remove());

    it('refuses a 30000x30000 PNG of a few hundred KB from its header', function () {
        const file = largePng(path.join(tmp.dir, 'bomb.png'), 30000, 30000);
        assert.ok(fs.statSync(file).size < 1_000_000);
        refused(file, 'is 30000x30000 pixels (900 megapixels), over the limit of 64 megapixels an image may have; scale it down first (e.g. convert FILE -resize 25% SMALLER.jpg)');
    });

    it('says a truncated JPEG is truncated, not that it shows no face', function () {
        const whole = path.join(tmp.dir, 'whole.jpg');
        magick(ASTRONAUT, '-quality', '90', whole);
        const file = path.join(tmp.dir, 'cut.jpg');
        // A quarter of the file: the rows with the face never arrived.
        fs.writeFileSync(file, fs.readFileSync(whole).subarray(0, fs.statSync(whole).size >> 2));
        refused(file, 'cannot be decoded as an image: the file is truncated (the JPEG data ends before its end-of-image marker)');
    });

    it('says a file named like an image that holds none is no image', function () {
        const file = path.join(tmp.dir, 'notes.jpg');
        fs.writeFileSync(file, 'not a picture\n');
        refused(file, 'is not a JPEG, PNG, WebP, GIF, BMP or AVIF image');
    });
});
