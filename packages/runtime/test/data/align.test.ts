import { strict as assert } from 'node:assert';
import {
    applySimilarity, coverTransform, invertSimilarity, SPHEREFACE_TEMPLATE, templateFor, umeyama, warpSimilarity, type Similarity,
} from '../../src/data/faces/align.js';
import { fivePointsFrom68, type Point } from '../../src/data/faces/landmarks.js';

/** A similarity from scale, angle and translation: the known answer. */
function similarity(scale: number, degrees: number, tx: number, ty: number): Similarity {
    const r = (degrees * Math.PI) / 180;
    return { a: scale * Math.cos(r), b: scale * Math.sin(r), tx, ty };
}

function close(actual: number, expected: number, tolerance: number, what: string): void {
    assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);
}

function sumSquares(t: Similarity, src: readonly Point[], dst: readonly Point[]): number {
    return src.reduce((s, p, i) => {
        const q = applySimilarity(t, p);
        return s + (q.x - dst[i].x) ** 2 + (q.y - dst[i].y) ** 2;
    }, 0);
}

describe('face alignment', function () {
    it('recovers a known similarity from the template points (Umeyama)', function () {
        for (const [scale, degrees, tx, ty] of [[1.7, 20, 12.5, -3], [0.35, -75, 300, 140], [1, 0, 0, 0], [2.2, 179, -40, 60]]) {
            const truth = similarity(scale, degrees, tx, ty);
            const moved = SPHEREFACE_TEMPLATE.map((p) => applySimilarity(truth, p));
            const found = umeyama(SPHEREFACE_TEMPLATE, moved);
            for (const key of ['a', 'b', 'tx', 'ty'] as const) close(found[key], truth[key], 1e-9, `${key} of ${scale}/${degrees}`);
            // And the way back, as alignment uses it: landmarks -> template.
            const back = umeyama(moved, SPHEREFACE_TEMPLATE);
            const inverse = invertSimilarity(truth);
            for (const key of ['a', 'b', 'tx', 'ty'] as const) close(back[key], inverse[key], 1e-9, `inverse ${key}`);
        }
    });

    it('is the least-squares fit for noisy points: no small change of it does better', function () {
        const truth = similarity(1.3, 12, 5, 7);
        const noise = [[0.8, -0.5], [-1.1, 0.3], [0.2, 0.9], [0.6, -1.2], [-0.4, 0.7]];
        const dst = SPHEREFACE_TEMPLATE.map((p, i) => {
            const q = applySimilarity(truth, p);
            return { x: q.x + noise[i][0], y: q.y + noise[i][1] };
        });
        const fit = umeyama(SPHEREFACE_TEMPLATE, dst);
        const best = sumSquares(fit, SPHEREFACE_TEMPLATE, dst);
        for (const key of ['a', 'b', 'tx', 'ty'] as const) {
            for (const step of [1e-3, -1e-3]) {
                assert.ok(sumSquares({ ...fit, [key]: fit[key] + step }, SPHEREFACE_TEMPLATE, dst) > best, `${key} ${step}`);
            }
        }
    });

    it('scales the 96x112 template to the crop size', function () {
        assert.deepEqual(templateFor({ width: 96, height: 112 }), SPHEREFACE_TEMPLATE);
        const big = templateFor({ width: 192, height: 224 });
        close(big[0].x, 2 * 30.2946, 1e-12, 'x');
        close(big[4].y, 2 * 92.2041, 1e-12, 'y');
    });

    it('warps with bilinear sampling: a linear image maps to the linear function of the inverse point', function () {
        // Pixel (i, j) of the source holds i + 3j + 10 (at most 214) in red, so sampling at any (x, y)
        // inside gives x + 3y + 10 (in index coordinates) exactly, and the warp can be checked pixel by pixel.
        const w = 64;
        const h = 48;
        const data = new Uint8Array(w * h * 3);
        for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) data[(j * w + i) * 3] = i + 3 * j + 10;
        const t = similarity(1.25, 10, -5, 4);
        const size = { width: 40, height: 30 };
        const out = warpSimilarity({ data, width: w, height: h, channels: 3 }, t, size);
        const inv = invertSimilarity(t);
        let checked = 0;
        for (let v = 0; v < size.height; v++) {
            for (let u = 0; u < size.width; u++) {
                const p = applySimilarity(inv, { x: u + 0.5, y: v + 0.5 });
                const x = p.x - 0.5;
                const y = p.y - 0.5;
                if (x < 0 || y < 0 || x > w - 1 || y > h - 1) continue;
                const expected = x + 3 * y + 10;
                close(out[(v * size.width + u) * 3], expected, 0.5 + 1e-9, `pixel ${u},${v}`);
                checked++;
            }
        }
        assert.ok(checked > 600, `checked ${checked} pixels`);
    });

    it('copies pixels exactly under an integer translation and fills outside with black', function () {
        const w = 8;
        const data = new Uint8Array(w * w * 4).map((_, i) => (i * 37) % 251);
        const out = warpSimilarity({ data, width: w, height: w, channels: 4 }, { a: 1, b: 0, tx: -2, ty: -3 }, { width: 8, height: 8 });
        for (let v = 0; v < 8; v++) {
            for (let u = 0; u < 8; u++) {
                for (let k = 0; k < 3; k++) {
                    const inside = u + 2 < w && v + 3 < w;
                    assert.equal(out[(v * 8 + u) * 3 + k], inside ? data[((v + 3) * w + u + 2) * 4 + k] : 0, `${u},${v},${k}`);
                }
            }
        }
    });

    it('covers a crop with an already aligned frame, keeping its proportions', function () {
        const t = coverTransform({ width: 112, height: 112 }, { width: 96, height: 112 });
        assert.deepEqual(t, { a: 1, b: 0, tx: -8, ty: 0 });
        const half = coverTransform({ width: 224, height: 224 }, { width: 96, height: 112 });
        assert.deepEqual(half, { a: 0.5, b: 0, tx: -8, ty: 0 });
    });

    it('takes the five points from the 68: eye centres, nose tip, mouth corners', function () {
        const points = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 100 + i }));
        const five = fivePointsFrom68(points);
        assert.deepEqual(five, [
            { x: 38.5, y: 138.5 }, // mean of 36..41
            { x: 44.5, y: 144.5 }, // mean of 42..47
            { x: 30, y: 130 },
            { x: 48, y: 148 },
            { x: 54, y: 154 },
        ]);
        assert.throws(() => fivePointsFrom68(points.slice(1)), /68 landmarks/);
    });
});
