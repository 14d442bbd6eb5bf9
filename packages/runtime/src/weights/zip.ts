/**
 * The entries of a zip archive, as torch.save (1.6 and later) writes one: stored or deflated entries
 * found through the central directory, each checked against its CRC-32. Archives beyond 4 GiB
 * (zip64) are refused: a SphereFace-20 state_dict is about 90 MB.
 */
import { crc32, inflateRawSync } from 'node:zlib';

export class ZipError extends Error {
    constructor(file: string, detail: string) {
        super(`${file}: ${detail}`);
        this.name = 'ZipError';
    }
}

export interface ZipEntry {
    name: string;
    /** The entry's bytes, inflated and checked. */
    read(): Uint8Array;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/** Whether the bytes start like a zip archive (a local file header). */
export function isZip(bytes: Uint8Array): boolean {
    return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The archive's entries by name; `file` names it in errors. */
export function readZip(bytes: Uint8Array, file: string): Map<string, ZipEntry> {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const fail = (detail: string): never => {
        throw new ZipError(file, detail);
    };
    const u16 = (at: number) => (at + 2 <= bytes.length ? view.getUint16(at, true) : fail('truncated zip archive'));
    const u32 = (at: number) => (at + 4 <= bytes.length ? view.getUint32(at, true) : fail('truncated zip archive'));

    // The end record sits in the last 22 bytes plus a comment of up to 65,535.
    let end = -1;
    for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
        if (view.getUint32(at, true) === END_OF_CENTRAL_DIRECTORY) {
            end = at;
            break;
        }
    }
    if (end < 0) fail('is not a complete zip archive: no end of central directory');
    const count = u16(end + 10);
    const directory = u32(end + 16);
    if (count === 0xffff || directory === 0xffffffff) fail('is a zip64 archive, larger than a SphereFace-20 state_dict can be');

    const entries = new Map<string, ZipEntry>();
    let at = directory;
    for (let i = 0; i < count; i++) {
        if (u32(at) !== CENTRAL_HEADER) fail(`zip central directory entry ${i} is corrupt`);
        const method = u16(at + 10);
        const crc = u32(at + 16);
        const packed = u32(at + 20);
        const size = u32(at + 24);
        const nameLength = u16(at + 28);
        const skip = nameLength + u16(at + 30) + u16(at + 32);
        const local = u32(at + 42);
        if (at + 46 + nameLength > bytes.length) fail('truncated zip archive');
        const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
        if (packed === 0xffffffff || size === 0xffffffff || local === 0xffffffff) fail(`${name}: a zip64 entry, larger than a SphereFace-20 state_dict can be`);
        at += 46 + skip;
        entries.set(name, {
            name,
            read: () => {
                if (u32(local) !== LOCAL_HEADER) fail(`${name}: its local header is corrupt`);
                const start = local + 30 + u16(local + 26) + u16(local + 28);
                if (start + packed > bytes.length) fail(`${name}: truncated`);
                const raw = bytes.subarray(start, start + packed);
                let data: Uint8Array;
                if (method === STORED) data = raw;
                else if (method === DEFLATED) data = inflateRawSync(raw);
                else return fail(`${name}: compression method ${method}, not stored or deflated`);
                if (data.length !== size || crc32(data) !== crc) fail(`${name}: its contents do not match the archive's size and CRC-32: corrupt`);
                return data;
            },
        });
    }
    return entries;
}
