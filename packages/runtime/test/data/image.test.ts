/** Bilinear resize, area shrink, crops and SphereFace normalisation against hand-worked values. */
import * as assert from 'node:assert/strict';
import { areaResize, cropPixels, normalise, resizeBilinear, toFaceCrop } from '../../src/data/image.js';

/** Channel `c` of an H x W x 3 result as rows, for readable comparisons. */
function plane(values: Float32Array, height: number, width: number, c: number): number[][] {
    return Array.from({ length: height }, (_, y) => Array.from({ length: width }, (_, x) => values[(y * width + x) * 3 + c]));
}

describe('image', () => {
    it('upsamples 2x2 to 4x4 with half-pixel centres', () => {
        // R = [[0, 100], [200, 40]]; G and B are constants that must survive untouched.
        const data = Uint8Array.from([0, 7, 9, 100, 7, 9, 200, 7, 9, 40, 7, 9]);
        const out = resizeBilinear({ data, width: 2, height: 2, channels: 3 }, { height: 4, width: 4 });
        // Source positions per output column/row: (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to [0, 1].
        // Row 1 (fy = 0.25), column 1 (fx = 0.25): top 25, bottom 200 - 160 / 4 = 160, so 25 + 135 / 4 = 58.75.
        assert.deepEqual(plane(out, 4, 4, 0), [
            [0, 25, 75, 100],
            [50, 58.75, 76.25, 85],
            [150, 126.25, 78.75, 55],
            [200, 160, 80, 40]
        ]);
        assert.deepEqual(plane(out, 4, 4, 1).flat(), new Array(16).fill(7));
        assert.deepEqual(plane(out, 4, 4, 2).flat(), new Array(16).fill(9));
    });

    it('halves a row by averaging pixel pairs and ignores alpha', () => {
        // RGBA 4x1; output x = (i + 0.5) * 2 - 0.5 = 0.5 and 2.5: the mean of pixels 0,1 and of 2,3.
        const data = Uint8Array.from([10, 0, 255, 1, 20, 50, 255, 2, 30, 100, 0, 3, 50, 200, 0, 4]);
        const out = resizeBilinear({ data, width: 4, height: 1, channels: 4 }, { height: 1, width: 2 });
        assert.deepEqual(Array.from(out), [15, 25, 255, 40, 150, 0]);
    });

    it('keeps an image of the same size unchanged', () => {
        const data = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) % 256);
        const out = resizeBilinear({ data, width: 5, height: 3, channels: 3 }, { height: 3, width: 5 });
        assert.deepEqual(Array.from(out), Array.from(data));
    });

    it('normalises as SphereFace does: (p - 127.5) / 128', () => {
        assert.deepEqual(Array.from(normalise(Float32Array.from([0, 127.5, 255, 191.5]))), [-0.99609375, 0, 0.99609375, 0.5]);
        const crop = toFaceCrop({ data: Uint8Array.from([255, 0, 128, 99]), width: 1, height: 1, channels: 4 }, { height: 2, width: 1 });
        assert.equal(crop.height, 2);
        assert.equal(crop.width, 1);
        assert.deepEqual(Array.from(crop.data), [0.99609375, -0.99609375, 0.00390625, 0.99609375, -0.99609375, 0.00390625]);
    });

    it('refuses pixels that do not match their stated size', () => {
        assert.throws(() => resizeBilinear({ data: new Uint8Array(11), width: 2, height: 2, channels: 3 }, { height: 1, width: 1 }), /2x2x3 has 11 bytes/);
    });

    it('shrinks by averaging the area under each output pixel, fractions weighted by coverage', () => {
        // 3x1 to 2x1: output 0 covers source [0, 1.5) = pixel 0 and half of pixel 1, output 1 the rest.
        const row = areaResize({ data: Uint8Array.from([30, 0, 0, 60, 0, 0, 90, 0, 0]), width: 3, height: 1, channels: 3 }, { width: 2, height: 1 });
        assert.deepEqual(Array.from(row.data), [40, 0, 0, 80, 0, 0]); // (30 + 30) / 1.5 and (30 + 90) / 1.5
        // 4x4 RGBA to 2x2: each output is the mean of a 2x2 block; alpha is dropped.
        const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160];
        const data = Uint8Array.from(values.flatMap((v) => [v, 255 - v, 7, 0]));
        const out = areaResize({ data, width: 4, height: 4, channels: 4 }, { width: 2, height: 2 });
        assert.equal(out.channels, 3);
        // Block means: (10+20+50+60)/4 = 35, (30+40+70+80)/4 = 55, (90+100+130+140)/4 = 115, (110+120+150+160)/4 = 135.
        assert.deepEqual(Array.from(out.data), [35, 220, 7, 55, 200, 7, 115, 140, 7, 135, 120, 7]);
        assert.throws(() => areaResize({ data, width: 4, height: 4, channels: 4 }, { width: 5, height: 2 }), /cannot shrink 4x4 to 5x2/);
    });

    it('crops a rectangle as RGB and refuses one outside the image', () => {
        const data = Uint8Array.from({ length: 4 * 3 * 4 }, (_, i) => i);
        const crop = cropPixels({ data, width: 4, height: 3, channels: 4 }, { x: 1, y: 1, width: 2, height: 2 });
        // Pixel (x, y) starts at byte (y * 4 + x) * 4: (1,1) 20, (2,1) 24, (1,2) 36, (2,2) 40.
        assert.deepEqual(Array.from(crop.data), [20, 21, 22, 24, 25, 26, 36, 37, 38, 40, 41, 42]);
        assert.throws(() => cropPixels({ data, width: 4, height: 3, channels: 4 }, { x: 3, y: 0, width: 2, height: 1 }), /crop 2x1\+3\+0 is not inside an image of 4x3/);
    });
});
