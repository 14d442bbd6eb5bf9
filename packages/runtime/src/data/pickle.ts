/**
 * A pickle reader that executes nothing: it interprets the opcodes that plain data needs (protocols
 * 0 to 5) and nothing else. The only imports it accepts rebuild values, never run code: numpy's float
 * scalars (the ChaLearn annotations hold numpy.float64 scores) and `_codecs.encode`, which Python 3
 * writes for a bytes value at protocols 0 to 2. Every other import, call or object construction is
 * refused with an error naming the file and the global.
 *
 * The 'state_dict' mode, which only the weight import asks for, reads what torch.save writes for a
 * state_dict and nothing more: collections.OrderedDict (and its attributes, which are dropped),
 * tensors rebuilt by torch._utils._rebuild_tensor(_v2) and, as persistent ids, the float storages
 * that hold their values outside the pickle. Tensors come out as TorchTensor references to those
 * storages; the caller reads the bytes.
 *
 * Values: None -> null, bool, int -> number (bigint beyond 2^53), float -> number, str -> string
 * (Python 2 byte strings as latin1, as Python 3 reads them with encoding='latin1'), bytes ->
 * Uint8Array, list -> array, tuple -> frozen array, dict -> Map (so keys such as `__proto__` stay data).
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';

export type PyKey = string | number | bigint | boolean | null;
export type PyValue = PyKey | Uint8Array | PyValue[] | PyTuple | PyDict | TorchTensor;
export type PyTuple = readonly PyValue[];
export type PyDict = Map<PyKey | PyTuple, PyValue>;

/** Annotation pickles are megabytes; anything far larger is not one. */
export const DEFAULT_MAX_PICKLE_BYTES = 256 * 1024 * 1024;

export class PickleError extends Error {
    constructor(
        readonly file: string,
        readonly detail: string,
        /** Byte offset of the opcode at fault, when there is one. */
        readonly offset: number | null = null
    ) {
        super(`${path.basename(file)}: ${detail}${offset === null ? '' : ` (at byte ${offset})`}`);
        this.name = 'PickleError';
    }
}

/** What a pickle may hold: annotation data (the default), or a torch.save state_dict as well. */
export type PickleMode = 'annotation' | 'state_dict';

export interface PickleOptions {
    maxBytes?: number;
    mode?: PickleMode;
}

export async function readPickleFile(file: string, options: PickleOptions = {}): Promise<PyValue> {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_PICKLE_BYTES;
    const { size } = await stat(file);
    if (size > maxBytes) throw new PickleError(file, `is ${size} bytes, more than the ${maxBytes} a pickle may have here`);
    return parsePickle(await readFile(file), file, options.mode);
}

/** Element types of the torch storages a state_dict may name, by storage class. */
export const TORCH_STORAGES = {
    'torch.FloatStorage': 'float32',
    'torch.DoubleStorage': 'float64',
    'torch.HalfStorage': 'float16',
    'torch.BFloat16Storage': 'bfloat16',
} as const;

export type TorchDtype = (typeof TORCH_STORAGES)[keyof typeof TORCH_STORAGES];

/** A storage named by a persistent id: `key` finds its bytes outside the pickle. */
export class TorchStorage {
    constructor(
        readonly dtype: TorchDtype,
        readonly key: string,
        /** Elements in the storage. */
        readonly numel: number,
        /** Old torch.save files may name a slice of another storage: its key, first element and length. */
        readonly view: { key: string; offset: number; numel: number } | null
    ) {}
}

/** A tensor of a state_dict: a strided window onto a storage, in elements. */
export class TorchTensor {
    constructor(
        readonly storage: TorchStorage,
        readonly offset: number,
        readonly shape: readonly number[],
        readonly stride: readonly number[]
    ) {}
}

/**
 * A value's Python type in words, for messages about data that is not what was expected. It never
 * looks inside a container: a few hundred bytes of memoised lists can nest 2^60 paths deep.
 */
export function pythonType(value: PyValue): string {
    if (value === null) return 'None';
    if (typeof value === 'boolean') return 'a bool';
    if (typeof value === 'number') return 'a number';
    if (typeof value === 'bigint') return 'an int';
    if (typeof value === 'string') return 'a string';
    if (value instanceof Uint8Array) return 'bytes';
    if (value instanceof Map) return 'a dict';
    if (value instanceof TorchTensor) return 'a tensor';
    return Object.isFrozen(value) ? 'a tuple' : 'a list';
}

/** `name` only labels errors. */
export function parsePickle(bytes: Uint8Array, name: string, mode: PickleMode = 'annotation'): PyValue {
    return parsePickleAt(bytes, 0, name, mode).value;
}

/** The pickle starting at `offset` of `bytes`, and where it ends: torch.save's legacy files hold several. */
export function parsePickleAt(bytes: Uint8Array, offset: number, name: string, mode: PickleMode = 'annotation'): { value: PyValue; end: number } {
    const unpickler = new Unpickler(bytes, name, mode, offset);
    const value = unpickler.run();
    return { value, end: unpickler.position };
}

/** A callable that REDUCE may apply: the allowed imports. */
class Global {
    constructor(readonly qualified: string) {}
}

/** numpy.dtype('f8' | 'f4') being rebuilt; BUILD sets its byte order. */
class NumpyDtype {
    littleEndian = true;
    constructor(readonly code: 'f8' | 'f4') {}
}

const ALLOWED_GLOBALS = new Set([
    'numpy.core.multiarray.scalar',
    'numpy._core.multiarray.scalar',
    'numpy.dtype',
    '_codecs.encode',
]);

/** What the 'state_dict' mode adds: a state_dict's container, its tensors and their storages. */
const STATE_DICT_GLOBALS = new Set([
    'collections.OrderedDict',
    'torch._utils._rebuild_tensor',
    'torch._utils._rebuild_tensor_v2',
    ...Object.keys(TORCH_STORAGES),
]);

type StackValue = PyValue | Global | NumpyDtype | TorchStorage;

/** Opcodes that construct objects or call code, refused by name. */
const REFUSED: Record<number, string> = {
    0x69: 'INST',
    0x6f: 'OBJ',
    0x81: 'NEWOBJ',
    0x92: 'NEWOBJ_EX',
    0x50: 'PERSID',
    0x51: 'BINPERSID',
    0x82: 'EXT1',
    0x83: 'EXT2',
    0x84: 'EXT4',
    0x97: 'NEXT_BUFFER',
    0x98: 'READONLY_BUFFER',
    0x8f: 'EMPTY_SET',
    0x90: 'ADDITEMS',
    0x91: 'FROZENSET',
};

/** Longer integers cost quadratic time to convert and never occur in annotation data. */
const MAX_INT_DIGITS = 4300;
const MAX_INT_BYTES = 1800;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

class Unpickler {
    private stack: StackValue[] = [];
    private marks: number[] = [];
    private readonly memo = new Map<number, StackValue>();
    private readonly carriers = new WeakSet<object>();
    /** The dicts that collections.OrderedDict built: the only objects BUILD may give attributes. */
    private readonly orderedDicts = new WeakSet<PyDict>();
    private readonly view: DataView;

    constructor(
        private readonly bytes: Uint8Array,
        private readonly file: string,
        private readonly mode: PickleMode,
        private pos: number
    ) {
        this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }

    get position(): number {
        return this.pos;
    }

    run(): PyValue {
        for (;;) {
            if (this.pos >= this.bytes.length) throw this.error('ends before its STOP opcode: the file is truncated');
            const at = this.pos;
            const op = this.bytes[this.pos++];
            if (op === 0x2e /* . STOP */) {
                const value = this.pop(at);
                return this.data(value, at);
            }
            this.step(op, at);
        }
    }

    private step(op: number, at: number): void {
        switch (op) {
            case 0x80: { // PROTO
                const protocol = this.u8(at);
                if (protocol > 5) throw this.error(`protocol ${protocol} is newer than 5`, at);
                return;
            }
            case 0x95: // FRAME: only a length hint; it must still fit in the file
                if (this.u64(at) > this.bytes.length - this.pos) throw this.error('FRAME is longer than the rest of the file: truncated', at);
                return;
            case 0x28: // ( MARK
                this.marks.push(this.stack.length);
                return;
            case 0x30: // 0 POP
                if (this.marks.length > 0 && this.marks[this.marks.length - 1] === this.stack.length) this.marks.pop();
                else this.pop(at);
                return;
            case 0x31: // 1 POP_MARK
                this.popMark(at);
                return;
            case 0x32: // 2 DUP
                return this.push(this.peek(at));
            case 0x4e: // N NONE
                return this.push(null);
            case 0x88: // NEWTRUE
                return this.push(true);
            case 0x89: // NEWFALSE
                return this.push(false);
            case 0x49: // I INT (protocol 0; "01"/"00" are Python 2's True/False)
                return this.push(this.decimalInt(this.line(at), at, true));
            case 0x4c: // L LONG
                return this.push(this.decimalInt(this.line(at).replace(/L$/, ''), at, false));
            case 0x4a: // J BININT
                return this.push(this.view.getInt32(this.take(4, at), true));
            case 0x4b: // K BININT1
                return this.push(this.u8(at));
            case 0x4d: // M BININT2
                return this.push(this.view.getUint16(this.take(2, at), true));
            case 0x8a: // LONG1
                return this.push(this.littleEndianInt(this.u8(at), at));
            case 0x8b: // LONG4
                return this.push(this.littleEndianInt(this.length32(at), at));
            case 0x46: // F FLOAT
                return this.push(this.decimalFloat(this.line(at), at));
            case 0x47: // G BINFLOAT
                return this.push(this.view.getFloat64(this.take(8, at), false));
            case 0x53: // S STRING: a Python 2 str, quoted and escaped
                return this.push(this.quotedString(this.line(at), at));
            case 0x54: // T BINSTRING
                return this.push(latin1.decode(this.slice(this.length32(at), at)));
            case 0x55: // U SHORT_BINSTRING
                return this.push(latin1.decode(this.slice(this.u8(at), at)));
            case 0x56: // V UNICODE: raw-unicode-escape
                return this.push(rawUnicodeEscape(this.line(at)));
            case 0x58: // X BINUNICODE
                return this.push(this.utf8(this.length32(at), at));
            case 0x8c: // SHORT_BINUNICODE
                return this.push(this.utf8(this.u8(at), at));
            case 0x8d: // BINUNICODE8
                return this.push(this.utf8(this.u64(at), at));
            case 0x42: // B BINBYTES
                return this.push(this.bytesValue(this.length32(at), at));
            case 0x43: // C SHORT_BINBYTES
                return this.push(this.bytesValue(this.u8(at), at));
            case 0x8e: // BINBYTES8
            case 0x96: // BYTEARRAY8
                return this.push(this.bytesValue(this.u64(at), at));
            case 0x5d: // ] EMPTY_LIST
                return this.push([]);
            case 0x6c: // l LIST
                return this.push(this.popMark(at).map((v) => this.data(v, at)));
            case 0x61: { // a APPEND
                const value = this.data(this.pop(at), at);
                this.list(this.peek(at), at).push(value);
                return;
            }
            case 0x65: { // e APPENDS: one by one, as spreading a long batch into push() overflows the stack
                const values = this.popMark(at).map((v) => this.data(v, at));
                const list = this.list(this.peek(at), at);
                for (const value of values) list.push(value);
                return;
            }
            case 0x7d: // } EMPTY_DICT
                return this.push(new Map());
            case 0x64: { // d DICT
                const dict: PyDict = new Map();
                this.setItems(dict, this.popMark(at), at);
                return this.push(dict);
            }
            case 0x73: { // s SETITEM
                const value = this.pop(at);
                const key = this.pop(at);
                this.setItems(this.dict(this.peek(at), at), [key, value], at);
                return;
            }
            case 0x75: { // u SETITEMS
                const items = this.popMark(at);
                this.setItems(this.dict(this.peek(at), at), items, at);
                return;
            }
            case 0x29: // ) EMPTY_TUPLE
                return this.push(Object.freeze([]));
            case 0x74: // t TUPLE
                return this.push(this.tuple(this.popMark(at)));
            case 0x85: // TUPLE1
                return this.push(this.tuple(this.popN(1, at)));
            case 0x86: // TUPLE2
                return this.push(this.tuple(this.popN(2, at)));
            case 0x87: // TUPLE3
                return this.push(this.tuple(this.popN(3, at)));
            case 0x70: // p PUT
                return this.put(this.decimalIndex(this.line(at), at), at);
            case 0x71: // q BINPUT
                return this.put(this.u8(at), at);
            case 0x72: // r LONG_BINPUT
                return this.put(this.view.getUint32(this.take(4, at), true), at);
            case 0x94: // MEMOIZE
                return this.put(this.memo.size, at);
            case 0x67: // g GET
                return this.get(this.decimalIndex(this.line(at), at), at);
            case 0x68: // h BINGET
                return this.get(this.u8(at), at);
            case 0x6a: // j LONG_BINGET
                return this.get(this.view.getUint32(this.take(4, at), true), at);
            case 0x63: { // c GLOBAL
                const module = this.line(at);
                return this.push(this.global(module, this.line(at), at));
            }
            case 0x93: { // STACK_GLOBAL
                const name = this.pop(at);
                const module = this.pop(at);
                if (typeof module !== 'string' || typeof name !== 'string') throw this.error('STACK_GLOBAL needs two strings', at);
                return this.push(this.global(module, name, at));
            }
            case 0x52: { // R REDUCE
                const args = this.pop(at);
                const callable = this.pop(at);
                return this.push(this.reduce(callable, args, at));
            }
            case 0x62: { // b BUILD: only a numpy dtype's state, or an OrderedDict's attributes (dropped)
                const state = this.pop(at);
                const target = this.peek(at);
                if (this.mode === 'state_dict' && target instanceof Map && this.orderedDicts.has(target)) {
                    if (!(state instanceof Map)) throw this.error('refuses BUILD of an OrderedDict with state other than a dict of attributes', at);
                    return;
                }
                this.buildDtype(target, state, at);
                return;
            }
            case 0x51: // Q BINPERSID: a torch storage, in the state_dict mode only
                if (this.mode !== 'state_dict') throw this.error(`refuses opcode ${REFUSED[op]}: it constructs objects that annotation data does not need`, at);
                return this.push(this.storage(this.pop(at), at));
            default:
                if (op === 0x69) throw this.error(`refuses to import ${this.line(at)}.${this.line(at)} (INST)`, at);
                if (op in REFUSED) throw this.error(`refuses opcode ${REFUSED[op]}: it constructs objects that annotation data does not need`, at);
                throw this.error(`unknown opcode 0x${op.toString(16).padStart(2, '0')}: not a pickle, or a corrupt one`, at);
        }
    }

    private global(module: string, name: string, at: number): Global {
        const qualified = `${module}.${name}`;
        const allowed = ALLOWED_GLOBALS.has(qualified) || (this.mode === 'state_dict' && STATE_DICT_GLOBALS.has(qualified));
        if (!allowed) throw this.error(`refuses to import ${qualified}`, at);
        return new Global(qualified);
    }

    /** torch.save's persistent id: ('storage', storage class, key, location, numel[, view]). */
    private storage(pid: StackValue, at: number): TorchStorage {
        if (!Array.isArray(pid) || !Object.isFrozen(pid) || (pid.length !== 5 && pid.length !== 6) || pid[0] !== 'storage') {
            throw this.error('refuses a persistent id other than a torch storage', at);
        }
        const [, type, key, location, numel, view] = pid as readonly StackValue[];
        if (!(type instanceof Global) || !(type.qualified in TORCH_STORAGES)) throw this.error('a persistent id names something other than a float storage class', at);
        if (typeof key !== 'string' || typeof location !== 'string' || !isCount(numel)) throw this.error(`storage persistent id of ${type.qualified} is malformed`, at);
        const dtype = TORCH_STORAGES[type.qualified as keyof typeof TORCH_STORAGES];
        if (view === undefined || view === null) return new TorchStorage(dtype, key, numel, null);
        const [viewKey, offset, size] = Array.isArray(view) ? (view as readonly StackValue[]) : [];
        if (typeof viewKey !== 'string' || !isCount(offset) || !isCount(size) || offset + size > numel) throw this.error(`storage ${key}: malformed view`, at);
        // The tensor sees the view; its bytes are the slice of the root storage `key`.
        return new TorchStorage(dtype, key, numel, { key: viewKey, offset, numel: size });
    }

    private reduce(callable: StackValue, args: StackValue, at: number): StackValue {
        if (!(callable instanceof Global)) throw this.error('REDUCE of something that is not an allowed global', at);
        if (!Array.isArray(args) || !Object.isFrozen(args)) throw this.error(`${callable.qualified} called without an argument tuple`, at);
        const a = args as readonly StackValue[];
        switch (callable.qualified) {
            case 'collections.OrderedDict':
                return this.orderedDict(a, at);
            case 'torch._utils._rebuild_tensor':
            case 'torch._utils._rebuild_tensor_v2':
                return this.tensor(callable.qualified, a, at);
            case 'numpy.dtype': {
                const code = a[0];
                if (code !== 'f8' && code !== 'f4') {
                    const shown = typeof code === 'string' ? JSON.stringify(code.slice(0, 40)) : this.isInternal(code) ? 'an import' : pythonType(code as PyValue);
                    throw this.error(`refuses numpy.dtype(${shown}): only float scalars ('f8', 'f4') are read`, at);
                }
                return new NumpyDtype(code);
            }
            case '_codecs.encode': {
                const [text, encoding] = a;
                if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) throw this.error('refuses _codecs.encode other than of a string to latin1', at);
                return latin1Bytes(text, () => this.error('_codecs.encode of a character above U+00FF to latin1', at));
            }
            case 'numpy.core.multiarray.scalar':
            case 'numpy._core.multiarray.scalar': {
                const [dtype, raw] = a;
                if (!(dtype instanceof NumpyDtype)) throw this.error(`${callable.qualified} without a numpy.dtype`, at);
                const data = typeof raw === 'string' ? latin1Bytes(raw, () => this.error('numpy scalar data is not a byte string', at)) : raw;
                if (!(data instanceof Uint8Array)) throw this.error('numpy scalar data is not a byte string', at);
                const size = dtype.code === 'f8' ? 8 : 4;
                if (data.length !== size) throw this.error(`numpy scalar of dtype ${dtype.code} has ${data.length} bytes, not ${size}`, at);
                const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
                return size === 8 ? view.getFloat64(0, dtype.littleEndian) : view.getFloat32(0, dtype.littleEndian);
            }
            default: // a storage class: allowed only as the type in a persistent id
                throw this.error(`refuses to call ${callable.qualified}`, at);
        }
    }

    /** OrderedDict() (Python 3 then adds the items), or OrderedDict([[key, value], ...]) (Python 2). */
    private orderedDict(args: readonly StackValue[], at: number): PyDict {
        const dict: PyDict = new Map();
        this.orderedDicts.add(dict);
        if (args.length === 0) return dict;
        const [pairs] = args;
        if (args.length !== 1 || !Array.isArray(pairs)) throw this.error('collections.OrderedDict called with something other than a list of pairs', at);
        const items: StackValue[] = [];
        for (const pair of pairs as readonly StackValue[]) {
            if (!Array.isArray(pair) || pair.length !== 2) throw this.error('collections.OrderedDict called with an item that is not a (key, value) pair', at);
            items.push(pair[0], pair[1]);
        }
        this.setItems(dict, items, at);
        return dict;
    }

    /**
     * _rebuild_tensor(storage, offset, size, stride), and _v2 with requires_grad, backward hooks and
     * optional metadata after them, which say nothing about the values.
     */
    private tensor(name: string, args: readonly StackValue[], at: number): TorchTensor {
        const v2 = name.endsWith('_v2');
        if (v2 ? args.length !== 6 && args.length !== 7 : args.length !== 4) throw this.error(`${name} called with ${args.length} arguments`, at);
        const [storage, offset, shape, stride] = args;
        if (!(storage instanceof TorchStorage)) throw this.error(`${name} without a storage`, at);
        const dims = (value: StackValue, what: string, count: (n: StackValue) => boolean): number[] => {
            if (!Array.isArray(value) || !value.every(count)) throw this.error(`${name}: the ${what} is not a tuple of integers`, at);
            return value as number[];
        };
        if (!isCount(offset)) throw this.error(`${name}: the storage offset is not an integer`, at);
        const size = dims(shape, 'size', isCount);
        const strides = dims(stride, 'stride', isCount);
        if (strides.length !== size.length) throw this.error(`${name}: size [${size}] and stride [${strides}] differ in length`, at);
        const available = storage.view ? storage.view.numel : storage.numel;
        const last = size.some((n) => n === 0) ? offset : size.reduce((sum, n, i) => sum + (n - 1) * strides[i], offset) + 1;
        if (last > available) throw this.error(`${name}: a tensor of size [${size}] at offset ${offset} reaches past its storage of ${available} elements`, at);
        return new TorchTensor(storage, offset, Object.freeze([...size]), Object.freeze([...strides]));
    }

    private buildDtype(target: StackValue, state: StackValue, at: number): void {
        if (!(target instanceof NumpyDtype)) throw this.error('refuses BUILD: only a numpy.dtype may be given state', at);
        const order = Array.isArray(state) ? (state as StackValue[])[1] : undefined;
        if (order === '>') target.littleEndian = false;
        else if (order !== '<' && order !== '=' && order !== '|') throw this.error('numpy.dtype state without a byte order', at);
    }

    /** Values that may sit inside containers or be the result: never an import or a bare dtype. */
    private data(value: StackValue, at: number): PyValue {
        if (this.isInternal(value)) throw this.error('an import or a numpy.dtype used as a value; only what it builds may be', at);
        return value as PyValue;
    }

    private tuple(values: StackValue[]): PyTuple {
        // A tuple may carry an import or a dtype on its way to REDUCE; it is marked so that data()
        // refuses it where it would land in the result, without walking nested tuples.
        const tuple = Object.freeze(values) as PyTuple;
        if (values.some((v) => this.isInternal(v))) this.carriers.add(tuple);
        return tuple;
    }

    private isInternal(value: StackValue): boolean {
        return value instanceof Global || value instanceof NumpyDtype || value instanceof TorchStorage
            || (typeof value === 'object' && value !== null && this.carriers.has(value));
    }

    private setItems(dict: PyDict, items: StackValue[], at: number): void {
        if (items.length % 2 !== 0) throw this.error('odd number of items for a dict', at);
        for (let i = 0; i < items.length; i += 2) {
            const key = this.data(items[i], at);
            if (key instanceof Map || key instanceof Uint8Array || (Array.isArray(key) && !Object.isFrozen(key))) {
                throw this.error('unhashable dict key', at);
            }
            dict.set(key as PyKey | PyTuple, this.data(items[i + 1], at));
        }
    }

    private list(target: StackValue, at: number): PyValue[] {
        if (!Array.isArray(target) || Object.isFrozen(target)) throw this.error('APPEND to something that is not a list', at);
        return target as PyValue[];
    }

    private dict(target: StackValue, at: number): PyDict {
        if (!(target instanceof Map)) throw this.error('SETITEM on something that is not a dict', at);
        return target;
    }

    private put(index: number, at: number): void {
        this.memo.set(index, this.peek(at));
    }

    private get(index: number, at: number): void {
        const value = this.memo.get(index);
        if (value === undefined) throw this.error(`memo ${index} is read before it is written`, at);
        this.push(value);
    }

    private push(value: StackValue): void {
        this.stack.push(value);
    }

    private pop(at: number): StackValue {
        const floor = this.marks.length > 0 ? this.marks[this.marks.length - 1] : 0;
        if (this.stack.length <= floor) throw this.error('stack underflow: corrupt pickle', at);
        return this.stack.pop() as StackValue;
    }

    private peek(at: number): StackValue {
        const floor = this.marks.length > 0 ? this.marks[this.marks.length - 1] : 0;
        if (this.stack.length <= floor) throw this.error('stack underflow: corrupt pickle', at);
        return this.stack[this.stack.length - 1];
    }

    private popN(n: number, at: number): StackValue[] {
        const floor = this.marks.length > 0 ? this.marks[this.marks.length - 1] : 0;
        if (this.stack.length - n < floor) throw this.error('stack underflow: corrupt pickle', at);
        return this.stack.splice(this.stack.length - n, n);
    }

    private popMark(at: number): StackValue[] {
        const mark = this.marks.pop();
        if (mark === undefined) throw this.error('no MARK to pop to: corrupt pickle', at);
        return this.stack.splice(mark);
    }

    /** Reserves n bytes and returns where they start; a length past the end is truncation. */
    private take(n: number, at: number): number {
        if (n > this.bytes.length - this.pos) {
            throw this.error(`truncated: needs ${n} more bytes, ${this.bytes.length - this.pos} left`, at);
        }
        const start = this.pos;
        this.pos += n;
        return start;
    }

    private slice(n: number, at: number): Uint8Array {
        const start = this.take(n, at);
        return this.bytes.subarray(start, start + n);
    }

    /** A copy, so the result never aliases the file's buffer (a Node Buffer's slice() would). */
    private bytesValue(n: number, at: number): Uint8Array {
        return new Uint8Array(this.slice(n, at));
    }

    private u8(at: number): number {
        return this.bytes[this.take(1, at)];
    }

    private length32(at: number): number {
        const n = this.view.getInt32(this.take(4, at), true);
        if (n < 0) throw this.error(`negative length ${n}: corrupt pickle`, at);
        return n;
    }

    private u64(at: number): number {
        const n = this.view.getBigUint64(this.take(8, at), true);
        // Anything that does not fit in the file is truncation; say so before converting.
        if (n > BigInt(this.bytes.length)) throw this.error(`truncated: a length of ${n} bytes in a ${this.bytes.length}-byte file`, at);
        return Number(n);
    }

    private utf8(n: number, at: number): string {
        const raw = this.slice(n, at);
        try {
            return utf8.decode(raw);
        } catch {
            throw this.error('string is not valid UTF-8', at);
        }
    }

    /** A protocol 0 argument: the bytes up to the next newline, as latin1. */
    private line(at: number): string {
        const end = this.bytes.indexOf(0x0a, this.pos);
        if (end < 0) throw this.error('truncated: a text argument has no end of line', at);
        const text = latin1.decode(this.bytes.subarray(this.pos, end));
        this.pos = end + 1;
        return text;
    }

    private decimalInt(text: string, at: number, boolAllowed: boolean): number | bigint | boolean {
        if (boolAllowed && text === '01') return true;
        if (boolAllowed && text === '00') return false;
        if (!/^[-+]?\d+$/.test(text)) throw this.error(`not an integer: ${JSON.stringify(text.slice(0, 40))}`, at);
        // Python itself refuses to parse longer decimal integers (sys.int_info.str_digits_check_threshold).
        if (text.length > MAX_INT_DIGITS) throw this.error(`an integer of ${text.length} digits; annotation data has none that long`, at);
        return narrow(BigInt(text));
    }

    private decimalIndex(text: string, at: number): number {
        if (!/^\d{1,10}$/.test(text)) throw this.error(`not a memo index: ${JSON.stringify(text.slice(0, 40))}`, at);
        return Number(text);
    }

    private decimalFloat(text: string, at: number): number {
        const t = text.trim().toLowerCase();
        if (t === 'nan') return NaN;
        if (t === 'inf' || t === '+inf') return Infinity;
        if (t === '-inf') return -Infinity;
        if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(t)) throw this.error(`not a float: ${JSON.stringify(text.slice(0, 40))}`, at);
        return Number(t);
    }

    private littleEndianInt(n: number, at: number): number | bigint {
        if (n > MAX_INT_BYTES) throw this.error(`an integer of ${n} bytes; annotation data has none that long`, at);
        const bytes = this.slice(n, at);
        let value = 0n;
        for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
        if (n > 0 && bytes[n - 1] & 0x80) value -= 1n << BigInt(8 * n);
        return narrow(value);
    }

    private quotedString(text: string, at: number): string {
        const quote = text[0];
        if ((quote !== "'" && quote !== '"') || text.length < 2 || text[text.length - 1] !== quote) {
            throw this.error('STRING argument is not quoted', at);
        }
        const decoded = pythonEscapes(text.slice(1, -1));
        if (decoded === null) throw this.error('STRING argument has a bad escape', at);
        return decoded;
    }

    private error(detail: string, at: number | null = null): PickleError {
        return new PickleError(this.file, detail, at);
    }
}

/** A non-negative integer that a number holds exactly. */
function isCount(value: StackValue): value is number {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function narrow(value: bigint): number | bigint {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function latin1Bytes(text: string, fail: () => Error): Uint8Array {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c > 0xff) throw fail();
        out[i] = c;
    }
    return out;
}

/** Python's raw-unicode-escape: latin1 text where only \uXXXX and \UXXXXXXXX are escapes. */
function rawUnicodeEscape(text: string): string {
    return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, u4: string | undefined, u8: string | undefined) =>
        String.fromCodePoint(parseInt((u4 ?? u8) as string, 16))
    );
}

const SIMPLE_ESCAPES: Record<string, string> = {
    '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '',
};

/** Python 2 string escapes (`repr` of a str), or null when one is malformed. */
function pythonEscapes(body: string): string | null {
    let out = '';
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c !== '\\') {
            out += c;
            continue;
        }
        const e = body[++i];
        if (e === undefined) return null;
        if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
        else if (e === 'x') {
            const hex = body.slice(i + 1, i + 3);
            if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
            out += String.fromCharCode(parseInt(hex, 16));
            i += 2;
        } else if (/[0-7]/.test(e)) {
            const octal = /^[0-7]{1,3}/.exec(body.slice(i))![0];
            out += String.fromCharCode(parseInt(octal, 8) & 0xff);
            i += octal.length - 1;
        } else out += `\\${e}`; // Python keeps unknown escapes as they are
    }
    return out;
}
