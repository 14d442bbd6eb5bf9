/**
 * Pixels to FEM input: bilinear resize and SphereFace's normalisation, (p - 127.5) / 128.
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
