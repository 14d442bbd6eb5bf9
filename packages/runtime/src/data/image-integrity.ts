/**
 * Whether an image file is whole. Decoders fill in what a cut-short download lacks (grey or
 * transparent rows) without a word, and a half picture then reads as "no face found"; walking the
 * file's own structure to its end marker tells a truncated file from a complete one.
 */
import { boxes, bufferSource, isStartOfFrame, readU32, readU32LE, type ImageFormat } from './image-header.js';

/** What is wrong with the file's structure, or null when it is whole. */
export function imageDamage(data: Uint8Array, format: ImageFormat): string | null {
    return CHECKS[format](data);
}

const CHECKS: Record<ImageFormat, (data: Uint8Array) => string | null> = {
    jpeg: jpegDamage,
    png: pngDamage,
    gif: gifDamage,
    webp: (data) => {
        const declared = 8 + readU32LE(data, 4);
        return data.length < declared ? truncated(`it has ${data.length} of the ${declared} bytes its RIFF header declares`) : null;
    },
    bmp: bmpDamage,
    avif: (data) => {
        let end = 0;
        for (const box of boxes(bufferSource(data), 0, data.length)) end = box.end;
        return end < data.length ? truncated(`its box at byte ${end} runs past the end of the file`) : null;
    },
};

function truncated(why: string): string {
    return `the file is truncated (${why})`;
}

/** Segments by their lengths, entropy-coded scans up to the next marker, until EOI. */
function jpegDamage(data: Uint8Array): string | null {
    let at = 2;
    let frame = false;
    while (at < data.length) {
        if (data[at] !== 0xff) return `the JPEG data is corrupt at byte ${at} (no marker where one must be)`;
        const marker = data[at + 1];
        if (marker === undefined) break;
        if (marker === 0xff) {
            at++;
            continue;
        }
        if (marker === 0xd9) return frame ? null : 'the JPEG file ends before any image data';
        if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
            at += 2;
            continue;
        }
        if (at + 4 > data.length) break;
        const length = (data[at + 2] << 8) | data[at + 3];
        if (length < 2) return `the JPEG data is corrupt at byte ${at} (a segment of length ${length})`;
        if (isStartOfFrame(marker)) frame = true;
        at += 2 + length;
        if (marker === 0xda) at = endOfScan(data, at);
    }
    return truncated('the JPEG data ends before its end-of-image marker');
}

/** The next marker after scan data: 0xFF not followed by a stuffed 0x00, a restart marker or fill. */
function endOfScan(data: Uint8Array, from: number): number {
    let at = from;
    for (;;) {
        at = data.indexOf(0xff, at);
        if (at < 0 || at + 1 >= data.length) return data.length;
        const next = data[at + 1];
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) at++;
        else return at;
    }
}

function pngDamage(data: Uint8Array): string | null {
    let at = 8;
    while (at + 8 <= data.length) {
        const length = readU32(data, at);
        const type = String.fromCharCode(...data.subarray(at + 4, at + 8));
        const end = at + 12 + length;
        if (end > data.length) return truncated(`the PNG data ends inside its ${type} chunk`);
        if (type === 'IEND') return null;
        at = end;
    }
    return truncated('the PNG data ends before its IEND chunk');
}

/** GIF blocks up to the end of the first image, the one that is decoded. */
function gifDamage(data: Uint8Array): string | null {
    const short = truncated('the GIF data ends before its first image does');
    let at = 13;
    if (data.length < at) return short;
    if (data[10] & 0x80) at += 3 << ((data[10] & 7) + 1);
    const subBlocks = (from: number): number => {
        let p = from;
        while (p < data.length && data[p] !== 0) p += data[p] + 1;
        return p < data.length ? p + 1 : -1;
    };
    while (at < data.length) {
        const kind = data[at];
        if (kind === 0x3b) return 'the GIF file holds no image';
        if (kind === 0x21) {
            at = subBlocks(at + 2);
        } else if (kind === 0x2c) {
            if (at + 10 > data.length) return short;
            const packed = data[at + 9];
            at += 10 + (packed & 0x80 ? 3 << ((packed & 7) + 1) : 0);
            at = subBlocks(at + 1); // after the LZW minimum code size
            return at < 0 ? short : null;
        } else return `the GIF data is corrupt at byte ${at}`;
        if (at < 0) return short;
    }
    return short;
}

function bmpDamage(data: Uint8Array): string | null {
    if (data.length < 34) return truncated('the BMP header is cut short');
    const offset = readU32LE(data, 10);
    const dib = readU32LE(data, 14);
    let needed: number;
    if (dib === 12) {
        const width = data[18] | (data[19] << 8);
        const height = data[20] | (data[21] << 8);
        const bpp = data[24] | (data[25] << 8);
        needed = offset + rowBytes(width, bpp) * height;
    } else {
        const width = Math.abs(readU32LE(data, 18) | 0);
        const height = Math.abs(readU32LE(data, 22) | 0);
        const bpp = data[28] | (data[29] << 8);
        const compression = readU32LE(data, 30);
        // Run-length and embedded JPEG/PNG data state their own size; plain rows are padded to 4 bytes.
        needed = compression === 0 || compression === 3 || compression === 6 ? offset + rowBytes(width, bpp) * height : offset + readU32LE(data, 34);
    }
    return data.length < needed ? truncated(`it has ${data.length} of the ${needed} bytes its header describes`) : null;
}

function rowBytes(width: number, bitsPerPixel: number): number {
    return Math.floor((width * bitsPerPixel + 31) / 32) * 4;
}
