/**
 * Pixels to FEM input: bilinear resize and SphereFace's normalisation, (p - 127.5) / 128; and the
 * area-averaging shrink and crops that face detection looks at a large photo through.
 */
import type { Size } from '@persemon/language';
import type { FaceCrop } from './source.js';

export const SPHEREFACE_MEAN = 127.5;
export const SPHEREFACE_SCALE = 128;

/** Interleaved 8-bit pixels: 3 channels (RGB) or 4 (RGBA, alpha ignored). */
export interface Pixels {
    data: Uint8Array | Uint8ClampedArray;
    width: number;
    height: number;
    channels: 3 | 4;
}

/**
 * Bilinear resize to `size`, keeping the first three channels, with half-pixel centres (OpenCV's
 * INTER_LINEAR, tfjs resizeBilinear with halfPixelCenters): the same size returns the same values.
 */
export function resizeBilinear(src: Pixels, size: Size): Float32Array {
    const { width: sw, height: sh, channels: c, data } = src;
    const { width: dw, height: dh } = size;
    if (data.length !== sw * sh * c) throw new Error(`image of ${sw}x${sh}x${c} has ${data.length} bytes`);
    const out = new Float32Array(dw * dh * 3);
    if (sw === dw && sh === dh) {
        // Every sample falls on a pixel centre: copy, the common case of frames drawn at the FEM size.
        for (let p = 0, q = 0; q < out.length; p += c, q += 3) {
            out[q] = data[p];
            out[q + 1] = data[p + 1];
            out[q + 2] = data[p + 2];
        }
        return out;
    }
    const xs = axis(sw, dw);
    const ys = axis(sh, dh);
    for (let y = 0; y < dh; y++) {
        const r0 = ys.lo[y] * sw;
        const r1 = ys.hi[y] * sw;
        const fy = ys.frac[y];
        for (let x = 0; x < dw; x++) {
            const a = (r0 + xs.lo[x]) * c;
            const b = (r0 + xs.hi[x]) * c;
            const d = (r1 + xs.lo[x]) * c;
            const e = (r1 + xs.hi[x]) * c;
            const fx = xs.frac[x];
            const o = (y * dw + x) * 3;
            for (let k = 0; k < 3; k++) {
                const top = data[a + k] + (data[b + k] - data[a + k]) * fx;
                const bottom = data[d + k] + (data[e + k] - data[d + k]) * fx;
                out[o + k] = top + (bottom - top) * fy;
            }
        }
    }
    return out;
}

/** Source sample positions of one axis: the two neighbours and the weight of the second. */
function axis(from: number, to: number): { lo: Int32Array; hi: Int32Array; frac: Float64Array } {
    const lo = new Int32Array(to);
    const hi = new Int32Array(to);
    const frac = new Float64Array(to);
    const scale = from / to;
    for (let i = 0; i < to; i++) {
        const p = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), from - 1);
        lo[i] = Math.floor(p);
        hi[i] = Math.min(lo[i] + 1, from - 1);
        frac[i] = p - lo[i];
    }
    return { lo, hi, frac };
}

/** In place: 0..255 values to SphereFace's input range. */
export function normalise(values: Float32Array): Float32Array {
    for (let i = 0; i < values.length; i++) values[i] = (values[i] - SPHEREFACE_MEAN) / SPHEREFACE_SCALE;
    return values;
}

/** An image as a FEM input crop at `size`. */
export function toFaceCrop(src: Pixels, size: Size): FaceCrop {
    return { data: normalise(resizeBilinear(src, size)), height: size.height, width: size.width };
}

/** A whole-pixel rectangle of an image. */
export interface Rect {
    x: number;
    y: number;
    width: number;
    height: number;
}

/** The pixels of `rect` (which must lie inside the image), as RGB. */
export function cropPixels(src: Pixels, rect: Rect): Pixels & { channels: 3 } {
    const { x, y, width, height } = rect;
    if (x < 0 || y < 0 || x + width > src.width || y + height > src.height || width < 1 || height < 1) {
        throw new RangeError(`crop ${width}x${height}+${x}+${y} is not inside an image of ${src.width}x${src.height}`);
    }
    const c = src.channels;
    const out = new Uint8Array(width * height * 3);
    for (let row = 0; row < height; row++) {
        let p = ((y + row) * src.width + x) * c;
        let q = row * width * 3;
        for (let col = 0; col < width; col++, p += c, q += 3) {
            out[q] = src.data[p];
            out[q + 1] = src.data[p + 1];
            out[q + 2] = src.data[p + 2];
        }
    }
    return { data: out, width, height, channels: 3 };
}

/**
 * Shrinks to `size` (not larger than the source) by averaging the source area under each output
 * pixel, fractions of pixels weighted by their coverage (OpenCV's INTER_AREA), as RGB. Bilinear
 * sampling skips most pixels of a large shrink and aliases; a detector sees faces better averaged.
 */
export function areaResize(src: Pixels, size: Size): Pixels & { channels: 3 } {
    const { width: sw, height: sh, channels: c, data } = src;
    const { width: dw, height: dh } = size;
    if (dw > sw || dh > sh || dw < 1 || dh < 1) throw new RangeError(`cannot shrink ${sw}x${sh} to ${dw}x${dh}`);
    const xs = coverage(sw, dw);
    const ys = coverage(sh, dh);
    // Rows first into floats (dw x sh), then columns; each pass reads every source value once.
    const rows = new Float32Array(dw * sh * 3);
    for (let y = 0; y < sh; y++) {
        const base = y * sw * c;
        for (let x = 0; x < dw; x++) {
            let r = 0;
            let g = 0;
            let b = 0;
            for (let k = xs.start[x]; k < xs.start[x + 1]; k++) {
                const w = xs.weight[k];
                const p = base + xs.index[k] * c;
                r += data[p] * w;
                g += data[p + 1] * w;
                b += data[p + 2] * w;
            }
            const o = (y * dw + x) * 3;
            rows[o] = r;
            rows[o + 1] = g;
            rows[o + 2] = b;
        }
    }
    const out = new Uint8Array(dw * dh * 3);
    for (let y = 0; y < dh; y++) {
        for (let x = 0; x < dw; x++) {
            let r = 0;
            let g = 0;
            let b = 0;
            for (let k = ys.start[y]; k < ys.start[y + 1]; k++) {
                const w = ys.weight[k];
                const p = (ys.index[k] * dw + x) * 3;
                r += rows[p] * w;
                g += rows[p + 1] * w;
                b += rows[p + 2] * w;
            }
            const o = (y * dw + x) * 3;
            out[o] = Math.round(r);
            out[o + 1] = Math.round(g);
            out[o + 2] = Math.round(b);
        }
    }
    return { data: out, width: dw, height: dh, channels: 3 };
}

/** Per output pixel of one axis, the source pixels it covers and their weights (summing to 1). */
function coverage(from: number, to: number): { start: Int32Array; index: Int32Array; weight: Float64Array } {
    const scale = from / to;
    const start = new Int32Array(to + 1);
    const index: number[] = [];
    const weight: number[] = [];
    for (let i = 0; i < to; i++) {
        start[i] = index.length;
        const lo = i * scale;
        const hi = (i + 1) * scale;
        for (let p = Math.floor(lo); p < Math.min(Math.ceil(hi), from); p++) {
            const w = Math.min(hi, p + 1) - Math.max(lo, p);
            if (w <= 1e-9) continue;
            index.push(p);
            weight.push(w / scale);
        }
    }
    start[to] = index.length;
    return { start, index: Int32Array.from(index), weight: Float64Array.from(weight) };
}
