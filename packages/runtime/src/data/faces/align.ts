/**
 * Face alignment as SphereFace does it: the similarity transform (rotation, uniform scale,
 * translation) that best maps a face's five landmarks onto a fixed template, in the least-squares
 * sense, then the image warped by it with bilinear sampling.
 *
 * Coordinates are continuous, with pixel (i, j) covering [i, i+1) x [j, j+1), the way the
 * landmarks are reported; image.ts's resize uses the same half-pixel centres.
 */
import type { Size } from '@persemon/language';
import type { Pixels } from '../image.js';
import type { FivePoints, Point } from './landmarks.js';

/** SphereFace's template for a 96 x 112 (width x height) crop, in FivePoints order. */
export const SPHEREFACE_TEMPLATE: Readonly<FivePoints> = [
    { x: 30.2946, y: 51.6963 },
    { x: 65.5318, y: 51.5014 },
    { x: 48.0252, y: 71.7366 },
    { x: 33.5493, y: 92.3655 },
    { x: 62.7299, y: 92.2041 },
];
export const SPHEREFACE_TEMPLATE_SIZE: Readonly<Size> = { width: 96, height: 112 };

/** The template scaled to a crop of `size`. */
export function templateFor(size: Size): FivePoints {
    const sx = size.width / SPHEREFACE_TEMPLATE_SIZE.width;
    const sy = size.height / SPHEREFACE_TEMPLATE_SIZE.height;
    return SPHEREFACE_TEMPLATE.map((p) => ({ x: p.x * sx, y: p.y * sy })) as FivePoints;
}

/** (x, y) -> (a·x − b·y + tx, b·x + a·y + ty): scale √(a²+b²), angle atan2(b, a). */
export interface Similarity {
    a: number;
    b: number;
    tx: number;
    ty: number;
}

export function applySimilarity(t: Similarity, p: Point): Point {
    return { x: t.a * p.x - t.b * p.y + t.tx, y: t.b * p.x + t.a * p.y + t.ty };
}

export function invertSimilarity(t: Similarity): Similarity {
    const d = t.a * t.a + t.b * t.b;
    if (d === 0) throw new RangeError('a similarity of scale 0 has no inverse');
    const a = t.a / d;
    const b = -t.b / d;
    return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/**
 * Umeyama's least-squares similarity from `src` to `dst` (no reflection). In 2-D it has a closed
 * form: with centred points as complex numbers z (src) and w (dst), a + ib = Σ w·conj(z) / Σ |z|²,
 * the same minimiser of Σ |w − (a + ib)·z|² that Umeyama's SVD gives.
 */
export function umeyama(src: readonly Point[], dst: readonly Point[]): Similarity {
    if (src.length !== dst.length || src.length < 2) throw new RangeError('umeyama needs two equal lists of at least 2 points');
    const n = src.length;
    let sx = 0, sy = 0, dx = 0, dy = 0;
    for (let i = 0; i < n; i++) {
        sx += src[i].x; sy += src[i].y; dx += dst[i].x; dy += dst[i].y;
    }
    sx /= n; sy /= n; dx /= n; dy /= n;
    let re = 0, im = 0, norm = 0;
    for (let i = 0; i < n; i++) {
        const zx = src[i].x - sx, zy = src[i].y - sy;
        const wx = dst[i].x - dx, wy = dst[i].y - dy;
        re += wx * zx + wy * zy;
        im += wy * zx - wx * zy;
        norm += zx * zx + zy * zy;
    }
    if (norm === 0) throw new RangeError('umeyama: the source points all coincide');
    const a = re / norm;
    const b = im / norm;
    return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

/**
 * The crop of `size` whose pixel at p shows the image at inverse(toCrop)(p): bilinear sampling,
 * black outside the image (OpenCV's constant border). RGB bytes, row-major.
 */
export function warpSimilarity(image: Pixels, toCrop: Similarity, size: Size): Uint8Array {
    const { width: sw, height: sh, channels: c, data } = image;
    if (data.length !== sw * sh * c) throw new RangeError(`image of ${sw}x${sh}x${c} has ${data.length} bytes`);
    const inv = invertSimilarity(toCrop);
    const out = new Uint8Array(size.width * size.height * 3);
    for (let v = 0; v < size.height; v++) {
        for (let u = 0; u < size.width; u++) {
            // Centre of the crop's pixel, mapped into the image, then into index space (centres at .5).
            const x = inv.a * (u + 0.5) - inv.b * (v + 0.5) + inv.tx - 0.5;
            const y = inv.b * (u + 0.5) + inv.a * (v + 0.5) + inv.ty - 0.5;
            const x0 = Math.floor(x), y0 = Math.floor(y);
            const fx = x - x0, fy = y - y0;
            const o = (v * size.width + u) * 3;
            for (let k = 0; k < 3; k++) {
                const p00 = sample(data, sw, sh, c, x0, y0, k);
                const p10 = sample(data, sw, sh, c, x0 + 1, y0, k);
                const p01 = sample(data, sw, sh, c, x0, y0 + 1, k);
                const p11 = sample(data, sw, sh, c, x0 + 1, y0 + 1, k);
                const top = p00 + (p10 - p00) * fx;
                const bottom = p01 + (p11 - p01) * fx;
                out[o + k] = Math.round(top + (bottom - top) * fy);
            }
        }
    }
    return out;
}

function sample(data: Pixels['data'], w: number, h: number, c: number, x: number, y: number, k: number): number {
    return x < 0 || y < 0 || x >= w || y >= h ? 0 : data[(y * w + x) * c + k];
}

/** The similarity that puts five landmarks on the template scaled to `size`. */
export function alignmentTransform(landmarks: FivePoints, size: Size): Similarity {
    return umeyama(landmarks, templateFor(size));
}

/**
 * For frames that already are aligned faces (Aff-Wild2's cropped_aligned): scale to cover `size`
 * and centre, cropping the overflow, so the face keeps its proportions.
 */
export function coverTransform(from: { width: number; height: number }, size: Size): Similarity {
    const s = Math.max(size.width / from.width, size.height / from.height);
    return { a: s, b: 0, tx: (size.width - from.width * s) / 2, ty: (size.height - from.height * s) / 2 };
}
