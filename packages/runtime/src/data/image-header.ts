/**
 * An image file's format and size read from its first bytes, before anything is decoded: a picture
 * of 30000x30000 pixels can be a 100 KB PNG yet decodes to gigabytes, so its size has to be known
 * first. Covers what the image decoder reads: JPEG (the SOF segment), PNG (IHDR), WebP (VP8, VP8L
 * and VP8X), GIF (the logical screen), BMP (the DIB header) and AVIF (the `ispe` property).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp' | 'avif';

export const IMAGE_FORMAT_NAMES = 'JPEG, PNG, WebP, GIF, BMP or AVIF';

export interface ImageHeader {
    format: ImageFormat;
    /** As stored; an EXIF orientation may swap them on display, which leaves the pixel count alone. */
    width: number;
    height: number;
}

/** An image that cannot be used, naming the file and what is wrong with it. */
export class ImageError extends Error {
    constructor(
        readonly file: string,
        readonly detail: string
    ) {
        super(`${file}: ${detail}`);
        this.name = 'ImageError';
    }
}

/** Random access to a file's bytes; a read past the end returns fewer bytes. */
export interface ByteSource {
    readonly size: number;
    bytes(offset: number, length: number): Uint8Array;
}

export function bufferSource(data: Uint8Array): ByteSource {
    return { size: data.length, bytes: (offset, length) => data.subarray(offset, Math.min(offset + length, data.length)) };
}

/** The format the first bytes announce, or null for anything else. */
export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
    const text = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
    if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
    if (text(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
    if (text(0, 4) === 'RIFF' && text(8, 12) === 'WEBP') return 'webp';
    if (text(0, 6) === 'GIF87a' || text(0, 6) === 'GIF89a') return 'gif';
    if (text(0, 2) === 'BM') return 'bmp';
    if (text(4, 8) === 'ftyp' && /^(avif|avis)$/.test(text(8, 12))) return 'avif';
    if (text(4, 8) === 'ftyp' && head.length >= 16 && brands(head).some((b) => b === 'avif' || b === 'avis')) return 'avif';
    return null;
}

function brands(head: Uint8Array): string[] {
    const size = Math.min(readU32(head, 0), head.length);
    const out: string[] = [];
    for (let at = 16; at + 4 <= size; at += 4) out.push(String.fromCharCode(...head.subarray(at, at + 4)));
    return out;
}

/** The header of the image at `file`, read with a few small reads. */
export function readImageHeader(file: string): ImageHeader {
    let fd: number;
    try {
        fd = openSync(file, 'r');
    } catch (error) {
        throw new ImageError(file, `cannot be read: ${(error as Error).message}`);
    }
    try {
        return imageHeader(fileSource(fd), file);
    } finally {
        closeSync(fd);
    }
}

function fileSource(fd: number): ByteSource {
    const { size } = fstatSync(fd);
    return {
        size,
        bytes(offset, length) {
            const out = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
            let done = 0;
            while (done < out.length) {
                const n = readSync(fd, out, done, out.length - done, offset + done);
                if (n === 0) break;
                done += n;
            }
            return out.subarray(0, done);
        },
    };
}

/** Format and size of the image in `source`; throws ImageError when they cannot be found. */
export function imageHeader(source: ByteSource, file: string): ImageHeader {
    const head = source.bytes(0, 32);
    const format = sniffImageFormat(head);
    if (format === null) throw new ImageError(file, `is not a ${IMAGE_FORMAT_NAMES} image`);
    const size = SIZE_READERS[format](source);
    if (size === null) throw new ImageError(file, `is a ${format.toUpperCase()} file whose header is cut short or damaged: its size cannot be read`);
    if (!(size.width > 0 && size.height > 0)) throw new ImageError(file, `is a ${format.toUpperCase()} image of ${size.width}x${size.height} pixels: empty`);
    return { format, ...size };
}

type Size = { width: number; height: number };

const SIZE_READERS: Record<ImageFormat, (source: ByteSource) => Size | null> = {
    jpeg: jpegSize,
    png: (source) => {
        const b = source.bytes(8, 16);
        if (b.length < 16 || String.fromCharCode(...b.subarray(4, 8)) !== 'IHDR') return null;
        return { width: readU32(b, 8), height: readU32(b, 12) };
    },
    gif: (source) => {
        const b = source.bytes(6, 4);
        return b.length < 4 ? null : { width: b[0] | (b[1] << 8), height: b[2] | (b[3] << 8) };
    },
    bmp: (source) => {
        const b = source.bytes(14, 12);
        if (b.length < 8) return null;
        const dib = readU32LE(b, 0);
        if (dib === 12) return { width: b[4] | (b[5] << 8), height: b[6] | (b[7] << 8) };
        if (b.length < 12) return null;
        // A negative height marks rows stored top-down.
        return { width: Math.abs(readI32LE(b, 4)), height: Math.abs(readI32LE(b, 8)) };
    },
    webp: webpSize,
    avif: avifSize,
};

/** SOFn holds the frame size; the segments before it (EXIF, ICC profiles) are skipped by their lengths. */
function jpegSize(source: ByteSource): Size | null {
    let at = 2;
    while (at + 4 <= source.size) {
        const b = source.bytes(at, 4);
        if (b[0] !== 0xff) return null;
        const marker = b[1];
        if (marker === 0xff) {
            at++; // fill byte
            continue;
        }
        if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
            at += 2;
            continue;
        }
        if (marker === 0xd9 || marker === 0xda) return null; // end of image, or scan data before any frame header
        const length = (b[2] << 8) | b[3];
        if (isStartOfFrame(marker)) {
            const f = source.bytes(at + 5, 4);
            return f.length < 4 ? null : { height: (f[0] << 8) | f[1], width: (f[2] << 8) | f[3] };
        }
        if (length < 2) return null;
        at += 2 + length;
    }
    return null;
}

/** SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
export function isStartOfFrame(marker: number): boolean {
    return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function webpSize(source: ByteSource): Size | null {
    const b = source.bytes(12, 18);
    if (b.length < 18) return null;
    const chunk = String.fromCharCode(...b.subarray(0, 4));
    if (chunk === 'VP8 ') {
        // A key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
        if (b[11] !== 0x9d || b[12] !== 0x01 || b[13] !== 0x2a) return null;
        return { width: (b[14] | (b[15] << 8)) & 0x3fff, height: (b[16] | (b[17] << 8)) & 0x3fff };
    }
    if (chunk === 'VP8L') {
        if (b[8] !== 0x2f) return null;
        const bits = b[9] | (b[10] << 8) | (b[11] << 16) | (b[12] << 24);
        return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8X') {
        return { width: 1 + (b[12] | (b[13] << 8) | (b[14] << 16)), height: 1 + (b[15] | (b[16] << 8) | (b[17] << 16)) };
    }
    return null;
}

/** The largest `ispe` (image spatial extent) under meta/iprp/ipco: the primary image or its grid. */
function avifSize(source: ByteSource): Size | null {
    let best: Size | null = null;
    const visit = (from: number, to: number, path: string) => {
        for (const box of boxes(source, from, to)) {
            const inside = `${path}/${box.type}`;
            if (inside === '/meta') visit(box.body + 4, box.end, inside); // a full box: version and flags first
            else if (inside === '/meta/iprp' || inside === '/meta/iprp/ipco') visit(box.body, box.end, inside);
            else if (inside === '/meta/iprp/ipco/ispe') {
                const b = source.bytes(box.body + 4, 8);
                if (b.length < 8) continue;
                const size = { width: readU32(b, 0), height: readU32(b, 4) };
                if (!best || size.width * size.height > best.width * best.height) best = size;
            }
        }
    };
    visit(0, source.size, '');
    return best;
}

export interface Box {
    type: string;
    /** Offset of the box's first byte, of its contents, and just past its end. */
    start: number;
    body: number;
    end: number;
}

/** ISO base media boxes between `from` and `to`; stops at the first one that does not fit. */
export function* boxes(source: ByteSource, from: number, to: number): Generator<Box> {
    let at = from;
    while (at + 8 <= to) {
        const b = source.bytes(at, 16);
        if (b.length < 8) return;
        let size = readU32(b, 0);
        let body = at + 8;
        if (size === 1) {
            if (b.length < 16) return;
            size = readU32(b, 8) * 2 ** 32 + readU32(b, 12);
            body = at + 16;
        } else if (size === 0) size = to - at;
        if (size < body - at || at + size > to) return;
        yield { type: String.fromCharCode(...b.subarray(4, 8)), start: at, body, end: at + size };
        at += size;
    }
}

export function readU32(b: Uint8Array, at: number): number {
    return ((b[at] << 24) >>> 0) + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
}

export function readU32LE(b: Uint8Array, at: number): number {
    return readI32LE(b, at) >>> 0;
}

function readI32LE(b: Uint8Array, at: number): number {
    return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
}
