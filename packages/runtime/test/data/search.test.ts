/**
 * The tiled search for faces, with a stand-in detector whose reach is known exactly: it sees what
 * it is given shrunk to 100 px, and "finds" each white square at least 10 px across there. White
 * squares drawn at known places then say which pyramid level must find which face, and where.
 */
import { strict as assert } from 'node:assert';
import type { DetectedFace, FaceDetector } from '../../src/data/faces/detector.js';
import { searchFaces, tilesOf } from '../../src/data/faces/search.js';
import { areaResize, type Pixels } from '../../src/data/image.js';

const INPUT = 100;
const MIN_SIDE = 10;

/** A black RGB image with white squares [x, y, side]. */
function picture(width: number, height: number, squares: Array<[number, number, number]>): Pixels {
    const data = new Uint8Array(width * height * 3);
    for (const [x, y, side] of squares) {
        for (let row = y; row < y + side; row++) data.fill(255, (row * width + x) * 3, (row * width + x + side) * 3);
    }
    return { data, width, height, channels: 3 };
}

/** Bounding boxes of the white regions (4-connected) of an RGB image. */
function whiteBoxes(image: Pixels): Array<{ x: number; y: number; width: number; height: number }> {
    const { width, height } = image;
    const seen = new Uint8Array(width * height);
    const boxes = [];
    for (let start = 0; start < width * height; start++) {
        if (seen[start] || image.data[start * image.channels] < 128) continue;
        let [x0, y0, x1, y1] = [width, height, -1, -1];
        const stack = [start];
        seen[start] = 1;
        while (stack.length > 0) {
            const p = stack.pop()!;
            const x = p % width;
            const y = (p - x) / width;
            [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
            for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1]) {
                if (q >= 0 && !seen[q] && image.data[q * image.channels] >= 128) {
                    seen[q] = 1;
                    stack.push(q);
                }
            }
        }
        boxes.push({ x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 });
    }
    return boxes;
}

/** Finds the white squares that are at least MIN_SIDE across once shrunk to INPUT, in the given image's pixels. */
function squareDetector(): FaceDetector & { looks: () => number } {
    let looks = 0;
    return {
        options: { detector: 'tiny', confidence: 0.5, inputSize: INPUT },
        looks: () => looks,
        async detect(image: Pixels): Promise<DetectedFace[]> {
            looks++;
            const scale = Math.min(1, INPUT / Math.max(image.width, image.height));
            const view = scale < 1 ? areaResize(image, { width: Math.round(image.width * scale), height: Math.round(image.height * scale) }) : image;
            return whiteBoxes(view)
                .filter((b) => Math.min(b.width, b.height) >= MIN_SIDE)
                .map((b) => {
                    const box = { x: b.x / scale, y: b.y / scale, width: b.width / scale, height: b.height / scale };
                    const p = (fx: number, fy: number) => ({ x: box.x + fx * box.width, y: box.y + fy * box.height });
                    return { box, score: 0.9, landmarks68: [], landmarks5: [p(0.3, 0.4), p(0.7, 0.4), p(0.5, 0.6), p(0.35, 0.8), p(0.65, 0.8)] as DetectedFace['landmarks5'] };
                });
        },
    };
}

/**
 * The faces' boxes are the squares [x, y, side], left to right, within two pixels of what the
 * detector saw last: the face is looked at again in a square about 3 sides wide, shrunk to 100 px,
 * where the shrink greys each edge of the square by up to a pixel.
 */
function assertBoxes(faces: DetectedFace[], squares: number[][]): void {
    const got = faces.map((f) => [f.box.x, f.box.y, f.box.width, f.box.height]).sort((a, b) => a[0] - b[0]);
    assert.equal(got.length, squares.length, JSON.stringify(got));
    got.forEach((box, i) => {
        const pixel = Math.max(1, (2 * 3 * squares[i][2]) / INPUT);
        const want = [squares[i][0], squares[i][1], squares[i][2], squares[i][2]];
        assert.ok(box.every((v, k) => Math.abs(v - want[k]) <= pixel), `${JSON.stringify(box)} vs ${JSON.stringify(want)}`);
    });
}

describe('searching a photo for faces in tiles', () => {
    it('tiles a view with squares of the detector input that overlap by a quarter at least', () => {
        // 728 = 416 + 312: two tiles across, sharing 104 px; 546 = 416 + 130: two down, sharing 286.
        assert.deepEqual(tilesOf({ width: 728, height: 546 }, 416), [
            { x: 0, y: 0, width: 416, height: 416 }, { x: 312, y: 0, width: 416, height: 416 },
            { x: 0, y: 130, width: 416, height: 416 }, { x: 312, y: 130, width: 416, height: 416 },
        ]);
        // Narrower than a tile: one tile of its own width.
        assert.deepEqual(tilesOf({ width: 300, height: 900 }, 416).map((t) => [t.x, t.y, t.width, t.height]), [[0, 0, 300, 416], [0, 242, 300, 416], [0, 484, 300, 416]]);
    });

    it('looks once at a picture the size of the detector input', async () => {
        const detector = squareDetector();
        const { faces, looks } = await searchFaces(detector, picture(100, 80, [[30, 20, 40]]));
        assertBoxes(faces, [[30, 20, 40]]);
        assert.deepEqual([looks, detector.looks()], [1, 1]);
    });

    it('finds a face too small for the whole picture in the finest tiles, and gives its full-resolution box', async () => {
        // 2000x1500 shrinks to 100 wide (80 px: 4 there), to 175 at level 1 (7) and to 325 at level 2 (13, found).
        const detector = squareDetector();
        const { faces, looks } = await searchFaces(detector, picture(2000, 1500, [[1500, 200, 80]]));
        assertBoxes(faces, [[1500, 200, 80]]);
        // The whole picture, 4 tiles at level 1 (175x131), 12 at level 2 (325x244), and one look again at the face.
        assert.equal(looks, 1 + 4 + 12 + 1);
        assert.equal(detector.looks(), looks);
    });

    it('searches one level below the first that finds a face, for the smaller faces of a group', async () => {
        // 160 px is found at level 1 (14 px there), 80 px only at level 2 (13 px).
        const image = picture(2000, 1500, [[200, 900, 160], [1500, 200, 80]]);
        assertBoxes((await searchFaces(squareDetector(), image)).faces, [[200, 900, 160], [1500, 200, 80]]);
        assertBoxes((await searchFaces(squareDetector(), image, { further: 0 })).faces, [[200, 900, 160]]);
    });

    it('reports a face seen whole by two overlapping tiles once, and one cut by a tile edge whole', async () => {
        // Level 2 (scale 0.1625, 325x244) has tiles from x 0, 75, 150 and 225 of its view, each 100 wide.
        // 950..1030 is 154..167 there, whole in the tiles from 75 and 150; 530..640 is 86..104, of
        // which the tile from 0 sees 14 px up to its edge and the tile from 75 all.
        const image = picture(2000, 1500, [[950, 700, 80], [530, 700, 110]]);
        const { faces } = await searchFaces(squareDetector(), image);
        assertBoxes(faces, [[530, 700, 110], [950, 700, 80]]);
    });
});
