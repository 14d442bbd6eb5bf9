/**
 * Aligned face crops on disk, so that a second epoch or a second run never decodes or detects a
 * frame again. A crop is keyed by the content hash of its source file, the frame number and every
 * setting that changes the crop (detector, confidence, size, which face), so editing a video or a
 * setting can never return a stale crop. "No face in this frame" is cached too.
 *
 * Files are written to a temporary name and renamed, so a reader (another process included) sees a
 * whole entry or none.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Box } from './detector.js';
import type { FivePoints } from './landmarks.js';

/**
 * Bump when the crop a key yields would change (template, warp, file layout, detection). 2: the
 * detector sees frames shrunk by area and takes landmarks at full resolution.
 */
const CACHE_VERSION = 2;
const MAGIC = 'PSMC';

export type CropSettings = Record<string, string | number | boolean | null>;

export interface CachedFace {
    box: Box;
    score: number;
    landmarks: FivePoints;
}

export interface CachedCrop {
    /** RGB bytes of width x height, or null when the frame has no usable face. */
    pixels: Uint8Array | null;
    width: number;
    height: number;
    /** The face the crop was aligned on; null for frames that were only resized. */
    face: CachedFace | null;
    /** Why there are no pixels ("no face"). */
    reason: string | null;
}

export class CropCache {
    constructor(readonly dir: string) {}

    keyOf(sourceHash: string, frame: number, settings: CropSettings): string {
        const ordered = Object.fromEntries(Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : 1)));
        return sha256(JSON.stringify({ v: CACHE_VERSION, source: sourceHash, frame, settings: ordered }));
    }

    /** The entry, or undefined when there is none (or it cannot be read, which is then a miss). */
    async get(key: string): Promise<CachedCrop | undefined> {
        let bytes: Buffer;
        try {
            bytes = await readFile(this.fileOf(key));
        } catch {
            return undefined;
        }
        return decodeEntry(bytes);
    }

    async put(key: string, crop: CachedCrop): Promise<void> {
        await writeAtomic(this.fileOf(key), encodeEntry(crop));
    }

    private fileOf(key: string): string {
        return path.join(this.dir, 'crops', key.slice(0, 2), `${key}.crop`);
    }
}

/** Entry layout: "PSMC", u32 header length, JSON header, then the pixels. */
function encodeEntry(crop: CachedCrop): Buffer {
    const header = Buffer.from(JSON.stringify({ width: crop.width, height: crop.height, face: crop.face, reason: crop.reason, pixels: crop.pixels !== null }));
    const prefix = Buffer.alloc(8);
    prefix.write(MAGIC, 0, 'latin1');
    prefix.writeUInt32LE(header.length, 4);
    return Buffer.concat([prefix, header, crop.pixels ?? Buffer.alloc(0)]);
}

function decodeEntry(bytes: Buffer): CachedCrop | undefined {
    if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC) return undefined;
    const length = bytes.readUInt32LE(4);
    if (8 + length > bytes.length) return undefined;
    try {
        const header = JSON.parse(bytes.toString('utf8', 8, 8 + length)) as {
            width: number; height: number; face: CachedFace | null; reason: string | null; pixels: boolean;
        };
        const size = header.width * header.height * 3;
        const pixels = header.pixels ? new Uint8Array(bytes.subarray(8 + length)) : null;
        if (pixels !== null && pixels.length !== size) return undefined;
        return { pixels, width: header.width, height: header.height, face: header.face, reason: header.reason };
    } catch {
        return undefined;
    }
}

/**
 * Facts about files that are costly to learn (content hash, video probe), remembered on disk
 * against the file's size, modification time and inode: a file that changes is looked at again.
 */
export class FileFacts {
    private readonly memory = new Map<string, Promise<unknown>>();

    constructor(readonly dir: string) {}

    /** SHA-256 of the file's bytes, hex. */
    contentHash(file: string): Promise<string> {
        return this.remember('sha256', file, () => hashFile(file));
    }

    async remember<T>(kind: string, file: string, compute: () => Promise<T>): Promise<T> {
        const absolute = path.resolve(file);
        const info = await stat(absolute);
        const fingerprint = `${info.size}:${info.mtimeMs}:${info.ino}`;
        const memoKey = `${kind}\0${absolute}\0${fingerprint}`;
        let known = this.memory.get(memoKey) as Promise<T> | undefined;
        if (!known) {
            known = this.load<T>(kind, absolute, fingerprint, compute);
            this.memory.set(memoKey, known);
            known.catch(() => this.memory.delete(memoKey));
        }
        return known;
    }

    private async load<T>(kind: string, absolute: string, fingerprint: string, compute: () => Promise<T>): Promise<T> {
        const file = path.join(this.dir, 'facts', kind, `${sha256(absolute)}.json`);
        try {
            const saved = JSON.parse(await readFile(file, 'utf8')) as { path: string; fingerprint: string; value: T };
            if (saved.path === absolute && saved.fingerprint === fingerprint) return saved.value;
        } catch {
            // Not known yet, or unreadable: learn it again.
        }
        const value = await compute();
        await writeAtomic(file, JSON.stringify({ path: absolute, fingerprint, value }));
        return value;
    }
}

function hashFile(file: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const hash = createHash('sha256');
        createReadStream(file)
            .on('data', (chunk) => hash.update(chunk))
            .on('error', reject)
            .on('end', () => resolve(hash.digest('hex')));
    });
}

function sha256(text: string): string {
    return createHash('sha256').update(text).digest('hex');
}

/** Written whole under a temporary name in the same folder, then renamed over the target. */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
        await writeFile(temporary, data);
        await rename(temporary, file);
    } catch (error) {
        await unlink(temporary).catch(() => undefined);
        throw error;
    }
}
