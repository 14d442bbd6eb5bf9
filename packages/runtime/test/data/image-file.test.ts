/**
 * Still images: sizes read from headers, pixels decoded, truncated and oversized files refused.
 * Every file is written at test time by ImageMagick (and exiftool, python3's zlib), and the
 * expected sizes and pixels are what ImageMagick's identify and convert say.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkImageFile, MAX_IMAGE_PIXELS, readImage } from '../../src/data/image-file.js';
import { readImageHeader, type ImageFormat } from '../../src/data/image-header.js';
import { ASTRONAUT, exiftool, largePng, magick, magickRgb, tempDir } from './fixtures.js';

/** Mean absolute difference of RGB(A) pixels against ImageMagick's RGB, per channel value. */
function difference(got: { data: ArrayLike<number>; width: number; height: number }, want: ReturnType<typeof magickRgb>): number {
    assert.deepEqual([got.width, got.height], [want.width, want.height], 'size');
    const stride = got.data.length / (got.width * got.height);
    let sum = 0;
    for (let p = 0, q = 0; q < want.data.length; p += stride, q += 3) {
        for (let k = 0; k < 3; k++) sum += Math.abs(got.data[p + k] - want.data[q + k]);
    }
    return sum / want.data.length;
}

/** ImageMagick's arguments for each variant of the astronaut, cropped to an odd, non-square size. */
const VARIANTS: Array<{ name: string; format: ImageFormat; args: string[] }> = [
    { name: 'rgb.png', format: 'png', args: [] },
    { name: 'grey.png', format: 'png', args: ['-colorspace', 'Gray'] },
    { name: 'palette.png', format: 'png', args: ['-colors', '64', 'PNG8:'] },
    { name: 'deep.png', format: 'png', args: ['-depth', '16', 'PNG48:'] },
    { name: 'alpha.png', format: 'png', args: ['-alpha', 'set', '-channel', 'A', '-fx', 'i/w', '+channel', 'PNG32:'] },
    { name: 'baseline.jpg', format: 'jpeg', args: ['-quality', '92'] },
    { name: 'progressive.jpg', format: 'jpeg', args: ['-interlace', 'JPEG'] },
    { name: 'grey.jpg', format: 'jpeg', args: ['-colorspace', 'Gray'] },
    { name: 'cmyk.jpg', format: 'jpeg', args: ['-colorspace', 'CMYK'] },
    { name: 'lossy.webp', format: 'webp', args: ['-quality', '90'] },
    { name: 'lossless.webp', format: 'webp', args: ['-define', 'webp:lossless=true'] },
    { name: 'alpha.webp', format: 'webp', args: ['-alpha', 'set', '-channel', 'A', '-fx', 'j/h', '+channel'] },
    { name: 'image.gif', format: 'gif', args: [] },
    { name: 'image.bmp', format: 'bmp', args: [] },
    { name: 'image.avif', format: 'avif', args: ['-quality', '80'] },
];

describe('image files: header sizes, decoding, truncation and the size limit', function () {
    this.timeout(120_000);
    let tmp: ReturnType<typeof tempDir>;
    const files = new Map<string, string>();

    before(function () {
        tmp = tempDir('images');
        for (const { name, args } of VARIANTS) {
            const file = path.join(tmp.dir, name);
            const last = args.at(-1) ?? '';
            const prefix = last.endsWith(':') ? last : '';
            magick(ASTRONAUT, '-crop', '301x187+97+41', '+repage', ...(prefix ? args.slice(0, -1) : args), `${prefix}${file}`);
            files.set(name, file);
        }
    });
    after(() => tmp.remove());

    it('reads each format\'s size from its header, as identify reports it', function () {
        for (const { name, format } of VARIANTS) {
            const file = files.get(name)!;
            const [width, height] = magick(file, '-format', '%w %h', 'info:').toString().trim().split(' ').map(Number);
            assert.deepEqual(readImageHeader(file), { format, width, height }, name);
        }
    });

    it('decodes every variant to the pixels ImageMagick decodes, transparency over white', async function () {
        for (const { name } of VARIANTS) {
            const file = files.get(name)!;
            const got = await readImage(file);
            // Lossless formats agree exactly but for a PNG's gAMA, which Skia applies as a pure power
            // curve and ImageMagick as sRGB (a level or two in the shadows); lossy ones decode alike.
            const d = difference(got, magickRgb(file));
            assert.ok(d < 3, `${name}: mean difference ${d.toFixed(2)} from ImageMagick's pixels`);
        }
    });

    it('turns a JPEG upright by each of the eight EXIF orientations, as convert -auto-orient does', async function () {
        const upright = path.join(tmp.dir, 'upright.jpg');
        magick(ASTRONAUT, '-crop', '301x187+97+41', '+repage', upright);
        for (let orientation = 1; orientation <= 8; orientation++) {
            const file = path.join(tmp.dir, `orientation-${orientation}.jpg`);
            writeFileSync(file, readFileSync(upright));
            exiftool(`-Orientation=${orientation}`, '-n', file);
            const got = await readImage(file);
            assert.deepEqual([got.width, got.height], orientation >= 5 ? [187, 301] : [301, 187], `orientation ${orientation}`);
            assert.ok(difference(got, magickRgb(file)) < 0.5, `orientation ${orientation}`);
        }
    });

    it('refuses a truncated file of each format, saying it is truncated and naming it', async function () {
        for (const { name } of VARIANTS) {
            const whole = readFileSync(files.get(name)!);
            const file = path.join(tmp.dir, `cut-${name}`);
            writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
            await assert.rejects(readImage(file), (error: Error) => {
                assert.ok(error.message.startsWith(`${file}: cannot be decoded as an image: the file is truncated`), `${name}: ${error.message}`);
                return true;
            });
        }
    });

    it('refuses an image over the pixel limit from its header, naming the file and its size', async function () {
        assert.equal(MAX_IMAGE_PIXELS, 64_000_000);
        const file = largePng(path.join(tmp.dir, 'huge.png'), 10000, 10000);
        assert.ok(readFileSync(file).length < 2_000_000, 'a small file');
        await assert.rejects(readImage(file), (error: Error) => {
            assert.equal(error.message, `${file}: is 10000x10000 pixels (100 megapixels), over the limit of 64 megapixels an image may have; scale it down first (e.g. convert FILE -resize 25% SMALLER.jpg)`);
            return true;
        });
        // At the limit passes (decoding it would cost some 800 MB, so only its header is read).
        assert.deepEqual(checkImageFile(largePng(path.join(tmp.dir, 'limit.png'), 8000, 8000)), { format: 'png', width: 8000, height: 8000 });
    });

    it('names a file that is no image it reads, and one that does not exist', async function () {
        const tiff = path.join(tmp.dir, 'image.tif');
        magick(ASTRONAUT, tiff);
        await assert.rejects(readImage(tiff), { message: `${tiff}: is not a JPEG, PNG, WebP, GIF, BMP or AVIF image` });
        const missing = path.join(tmp.dir, 'missing.png');
        await assert.rejects(readImage(missing), (error: Error) => error.message.startsWith(`${missing}: cannot be read: ENOENT`));
    });
});
