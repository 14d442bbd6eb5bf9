/**
 * A state_dict as torch.save writes it, read with the project's safe unpickler in its 'state_dict'
 * mode (nothing in the file is executed). Two layouts:
 *
 * - zip (PyTorch 1.6 and later): `<folder>/data.pkl` is the pickle; each storage it names by key is
 *   the raw little-endian entry `<folder>/data/<key>`; `<folder>/byteorder` says "little" when present.
 * - legacy (`_use_new_zipfile_serialization=False`, and every file of PyTorch 1.5 and before): five
 *   pickles back to back (a magic number, the protocol version 1001, system info, the state_dict,
 *   then the sorted list of storage keys), followed by each storage in that order as an int64
 *   element count and its raw bytes.
 */
import { parsePickleAt, TorchTensor, type PyValue, type TorchDtype } from '../data/pickle.js';
import { isZip, readZip } from './zip.js';
import { WeightsImportError, type SourceTensor } from './source-tensor.js';

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

const ELEMENT_BYTES: Record<TorchDtype, number> = { float32: 4, float64: 8, float16: 2, bfloat16: 2 };

/** Whether the bytes are a torch.save file of either layout. */
export function isTorchSave(bytes: Uint8Array): boolean {
    // The legacy layout opens with PROTO 2 and LONG1 of the 10-byte magic number.
    return isZip(bytes) || (bytes[0] === 0x80 && bytes[2] === 0x8a && bytes[3] === 0x0a);
}

/** The tensors of a state_dict file by key, as float32 in their own shape. */
export function readTorchStateDict(bytes: Uint8Array, file: string): { format: 'torch zip' | 'torch legacy'; tensors: Map<string, SourceTensor> } {
    return isZip(bytes) ? { format: 'torch zip', tensors: readZipLayout(bytes, file) } : { format: 'torch legacy', tensors: readLegacyLayout(bytes, file) };
}

function readZipLayout(bytes: Uint8Array, file: string): Map<string, SourceTensor> {
    const entries = readZip(bytes, file);
    const pickles = [...entries.keys()].filter((name) => name === 'data.pkl' || name.endsWith('/data.pkl'));
    if (pickles.length !== 1) throw new WeightsImportError(file, `holds ${pickles.length} data.pkl entries; a torch.save archive has one`);
    const folder = pickles[0].slice(0, -'data.pkl'.length);
    const byteorder = entries.get(`${folder}byteorder`);
    if (byteorder && new TextDecoder().decode(byteorder.read()) !== 'little') throw new WeightsImportError(file, 'was saved big-endian; only little-endian storages are read');
    const stateDict = parsePickleAt(entries.get(pickles[0])!.read(), 0, file, 'state_dict').value;
    return materialise(stateDict, file, (key) => {
        const entry = entries.get(`${folder}data/${key}`);
        if (!entry) throw new WeightsImportError(file, `storage ${key} is missing from the archive (no ${folder}data/${key})`);
        return entry.read();
    });
}

function readLegacyLayout(bytes: Uint8Array, file: string): Map<string, SourceTensor> {
    let offset = 0;
    const next = (): PyValue => {
        const { value, end } = parsePickleAt(bytes, offset, file, 'state_dict');
        offset = end;
        return value;
    };
    const magic = next();
    if (magic !== LEGACY_MAGIC) throw new WeightsImportError(file, 'is not a torch.save file: it does not start with torch\'s magic number');
    const protocol = next();
    if (protocol !== LEGACY_PROTOCOL) throw new WeightsImportError(file, `torch.save protocol ${String(protocol)}; only ${LEGACY_PROTOCOL} is read`);
    const sysInfo = next();
    if (!(sysInfo instanceof Map) || sysInfo.get('little_endian') !== true) throw new WeightsImportError(file, 'was saved big-endian (sys_info.little_endian is not True); only little-endian storages are read');
    const stateDict = next();
    const keys = next();
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new WeightsImportError(file, 'the list of storage keys after the state_dict is not a list of strings');

    // Storages follow in key order, each sized by its own count; their element types come from the pickle.
    const dtypes = storageTypes(stateDict);
    const data = new Map<string, Uint8Array>();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const key of keys as string[]) {
        const dtype = dtypes.get(key);
        if (!dtype) throw new WeightsImportError(file, `storage ${key} is listed but no tensor uses it`);
        if (offset + 8 > bytes.length) throw new WeightsImportError(file, `truncated before storage ${key}`);
        const count = view.getBigInt64(offset, true);
        const length = Number(count) * ELEMENT_BYTES[dtype];
        if (count < 0n || offset + 8 + length > bytes.length) throw new WeightsImportError(file, `storage ${key} of ${count} elements runs past the end of the file: truncated`);
        data.set(key, bytes.subarray(offset + 8, offset + 8 + length));
        offset += 8 + length;
    }
    if (offset !== bytes.length) throw new WeightsImportError(file, `${bytes.length - offset} bytes after the last storage`);
    return materialise(stateDict, file, (key) => {
        const found = data.get(key);
        if (!found) throw new WeightsImportError(file, `storage ${key} is used by a tensor but not in the file's list of storages`);
        return found;
    });
}

/** Element type of every storage the state_dict's tensors use, by key. */
function storageTypes(stateDict: PyValue): Map<string, TorchDtype> {
    const out = new Map<string, TorchDtype>();
    if (stateDict instanceof Map) for (const value of stateDict.values()) if (value instanceof TorchTensor) out.set(value.storage.key, value.storage.dtype);
    return out;
}

/** Each tensor of the state_dict, its strided elements gathered from its storage's bytes. */
function materialise(stateDict: PyValue, file: string, storage: (key: string) => Uint8Array): Map<string, SourceTensor> {
    if (!(stateDict instanceof Map)) throw new WeightsImportError(file, 'does not hold a state_dict (a dict of name -> tensor)');
    const tensors = new Map<string, SourceTensor>();
    for (const [key, value] of stateDict) {
        if (typeof key !== 'string') throw new WeightsImportError(file, 'a state_dict key is not a string');
        if (!(value instanceof TorchTensor)) throw new WeightsImportError(file, `'${key}' is not a tensor`);
        const { dtype, numel, view } = value.storage;
        const bytes = storage(value.storage.key);
        const size = ELEMENT_BYTES[dtype];
        if (bytes.length !== numel * size) throw new WeightsImportError(file, `storage ${value.storage.key} of '${key}' has ${bytes.length} bytes, not the ${numel * size} its ${numel} ${dtype} elements need`);
        const base = (view ? view.offset : 0) + value.offset;
        tensors.set(key, { name: key, shape: [...value.shape], values: gather(bytes, dtype, base, value.shape, value.stride) });
    }
    return tensors;
}

/** Row-major float32 values of a strided window onto little-endian elements. */
function gather(bytes: Uint8Array, dtype: TorchDtype, offset: number, shape: readonly number[], stride: readonly number[]): Float32Array {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const read: (i: number) => number = {
        float32: (i: number) => view.getFloat32(4 * i, true),
        float64: (i: number) => view.getFloat64(8 * i, true),
        float16: (i: number) => halfToFloat(view.getUint16(2 * i, true)),
        bfloat16: (i: number) => bfloat16ToFloat(view.getUint16(2 * i, true)),
    }[dtype];
    const count = shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(count);
    const index = new Array<number>(shape.length).fill(0);
    let at = offset;
    for (let n = 0; n < count; n++) {
        out[n] = read(at);
        // Odometer over the dimensions, last fastest, moving `at` by the strides.
        for (let d = shape.length - 1; d >= 0; d--) {
            index[d]++;
            at += stride[d];
            if (index[d] < shape[d]) break;
            at -= stride[d] * shape[d];
            index[d] = 0;
        }
    }
    return out;
}

function halfToFloat(h: number): number {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) return sign * fraction * 2 ** -24;
    if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
    return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function bfloat16ToFloat(b: number): number {
    return new Float32Array(new Uint32Array([b << 16]).buffer)[0];
}
