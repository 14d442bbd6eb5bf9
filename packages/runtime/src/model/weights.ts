/**
 * The weights file: named float32 tensors in one file, used for checkpoints (model weights and
 * optimiser state) and for initialising FEM (`fem ... { init "FILE" }`).
 *
 * Layout (all integers little-endian):
 *
 *     offset 0        8 bytes   ASCII "PEMNWTS1" (magic; the trailing digit is the format version)
 *     offset 8        4 bytes   uint32 M, the manifest's length in bytes
 *     offset 12       M bytes   UTF-8 JSON manifest, padded with spaces so that 12 + M is a multiple of 4:
 *                               {"tensors": [{"name": string, "shape": number[], "dtype": "float32"}, ...],
 *                                "meta": {...}}   (meta: free-form, optional)
 *     offset 12 + M             the tensors' values, float32 little-endian, in manifest order, each
 *                               row-major (the last dimension varies fastest), without gaps
 *
 * Model tensor names are `<module>/<layer>/<kind>` (fem/conv1_1/weight, pam/fc/bias, ...); see fem.ts
 * for FEM's layer names and layouts (convolutions HWIO, fully connected [in, out]). A file may hold
 * more tensors than a reader needs: a checkpoint's weights file also initialises a FEM.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { UserError } from '../errors.js';

/** One named tensor as plain values. */
export interface NamedArray {
    name: string;
    shape: number[];
    values: Float32Array;
}

export interface WeightsFile {
    tensors: NamedArray[];
    meta: Record<string, unknown>;
}

const MAGIC = 'PEMNWTS1';
const HEADER = 12;
/** On a little-endian machine (all that Node runs on in practice) values are copied as bytes. */
const NATIVE = endianness() === 'LE';

interface ManifestEntry {
    name: string;
    shape: number[];
    dtype: 'float32';
}

/** A weights file that is not what the format says: the user's file to fix, named in the message. */
export class WeightsFormatError extends UserError {
    constructor(message: string) {
        super(message);
        this.name = 'WeightsFormatError';
    }
}

export function encodeWeights(tensors: readonly NamedArray[], meta: Record<string, unknown> = {}): Uint8Array {
    const names = new Set<string>();
    for (const t of tensors) {
        if (names.has(t.name)) throw new WeightsFormatError(`tensor '${t.name}' appears twice`);
        names.add(t.name);
        const size = t.shape.reduce((a, b) => a * b, 1);
        if (size !== t.values.length) {
            throw new WeightsFormatError(`tensor '${t.name}': shape [${t.shape}] needs ${size} values, got ${t.values.length}`);
        }
    }
    const manifest: { tensors: ManifestEntry[]; meta: Record<string, unknown> } = {
        tensors: tensors.map((t) => ({ name: t.name, shape: t.shape, dtype: 'float32' })),
        meta
    };
    let json = Buffer.from(JSON.stringify(manifest), 'utf8');
    const pad = (4 - ((HEADER + json.length) % 4)) % 4;
    if (pad > 0) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
    const valueCount = tensors.reduce((sum, t) => sum + t.values.length, 0);
    const out = Buffer.alloc(HEADER + json.length + 4 * valueCount);
    out.write(MAGIC, 0, 'ascii');
    out.writeUInt32LE(json.length, 8);
    json.copy(out, HEADER);
    let offset = HEADER + json.length;
    for (const t of tensors) {
        if (NATIVE) {
            out.set(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength), offset);
            offset += t.values.byteLength;
        } else {
            for (let i = 0; i < t.values.length; i++, offset += 4) out.writeFloatLE(t.values[i], offset);
        }
    }
    return out;
}

/** Parses a weights file's bytes; `source` names the file in error messages. */
export function decodeWeights(bytes: Uint8Array, source = 'weights'): WeightsFile {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buf.length < HEADER || buf.toString('ascii', 0, 8) !== MAGIC) {
        throw new WeightsFormatError(`${source}: not a PersEmoN weights file (expected the magic "${MAGIC}")`);
    }
    const length = buf.readUInt32LE(8);
    if (HEADER + length > buf.length) throw new WeightsFormatError(`${source}: truncated manifest`);
    let manifest: { tensors?: ManifestEntry[]; meta?: Record<string, unknown> };
    try {
        manifest = JSON.parse(buf.toString('utf8', HEADER, HEADER + length));
    } catch (e) {
        throw new WeightsFormatError(`${source}: the manifest is not JSON (${(e as Error).message})`);
    }
    if (typeof manifest !== 'object' || manifest === null || !Array.isArray(manifest.tensors)) {
        throw new WeightsFormatError(`${source}: the manifest has no "tensors" list`);
    }
    let offset = HEADER + length;
    const tensors = manifest.tensors.map((entry, i) => {
        if (typeof entry?.name !== 'string') throw new WeightsFormatError(`${source}: tensor ${i} of the manifest has no "name"`);
        if (!Array.isArray(entry.shape) || !entry.shape.every((d) => Number.isInteger(d) && d >= 0)) {
            throw new WeightsFormatError(`${source}: tensor '${entry.name}' has no "shape" of whole numbers >= 0 (${JSON.stringify(entry.shape)})`);
        }
        if (entry.dtype !== 'float32') throw new WeightsFormatError(`${source}: tensor '${entry.name}' has dtype ${entry.dtype}; only float32 is supported`);
        const size = entry.shape.reduce((a, b) => a * b, 1);
        if (offset + 4 * size > buf.length) throw new WeightsFormatError(`${source}: truncated data in tensor '${entry.name}'`);
        const values = new Float32Array(size);
        if (NATIVE) {
            new Uint8Array(values.buffer).set(buf.subarray(offset, offset + 4 * size));
            offset += 4 * size;
        } else {
            for (let i = 0; i < size; i++, offset += 4) values[i] = buf.readFloatLE(offset);
        }
        return { name: entry.name, shape: [...entry.shape], values };
    });
    if (offset !== buf.length) throw new WeightsFormatError(`${source}: ${buf.length - offset} bytes after the last tensor`);
    return { tensors, meta: manifest.meta ?? {} };
}

export async function writeWeightsFile(path: string, tensors: readonly NamedArray[], meta: Record<string, unknown> = {}): Promise<void> {
    await writeFile(path, encodeWeights(tensors, meta));
}

export async function readWeightsFile(path: string): Promise<WeightsFile> {
    return decodeWeights(await readFile(path), path);
}
