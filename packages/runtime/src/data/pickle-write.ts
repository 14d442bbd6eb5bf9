/**
 * A minimal pickle writer producing what Python 2's cPickle writes at protocol 2 for dicts of byte
 * strings and floats: the shape of ChaLearn's annotation files, which `persemon synth` writes so
 * that the real loader (and python3 with encoding='latin1') reads them like the originals.
 *
 * Strings are Python 2 `str` (bytes): SHORT_BINSTRING up to 255 bytes, BINSTRING beyond, latin1
 * only. Numbers are Python floats (BINFLOAT, big-endian double). Dicts are written as cPickle does:
 * EMPTY_DICT, a memo slot, then MARK ... SETITEMS in batches of 1000 items. Nothing else is needed.
 */

export type PickleWritable = string | number | ReadonlyMap<string, PickleWritable> | { readonly [key: string]: PickleWritable };

const PROTO = 0x80;
const EMPTY_DICT = 0x7d; // }
const MARK = 0x28; // (
const SETITEM = 0x73; // s
const SETITEMS = 0x75; // u
const SHORT_BINSTRING = 0x55; // U
const BINSTRING = 0x54; // T
const BINFLOAT = 0x47; // G
const BINPUT = 0x71; // q
const LONG_BINPUT = 0x72; // r
const STOP = 0x2e; // .

/** Python 2's pickle.Pickler._BATCHSIZE. */
const BATCH = 1000;

export class PickleWriteError extends Error {
    constructor(detail: string) {
        super(`cannot pickle: ${detail}`);
        this.name = 'PickleWriteError';
    }
}

export function encodePickle(value: PickleWritable): Uint8Array {
    const out: number[] = [PROTO, 2];
    let memo = 0;
    // cPickle memoises every string and dict it writes; readers accept the BINPUTs and ignore unused ones.
    const put = () => {
        if (memo < 256) out.push(BINPUT, memo);
        else out.push(LONG_BINPUT, ...uint32le(memo));
        memo++;
    };
    const write = (v: PickleWritable, where: string): void => {
        if (typeof v === 'string') {
            const bytes = latin1(v, where);
            if (bytes.length < 256) out.push(SHORT_BINSTRING, bytes.length);
            else out.push(BINSTRING, ...uint32le(bytes.length));
            for (const b of bytes) out.push(b);
            put();
        } else if (typeof v === 'number') {
            const b = Buffer.alloc(8);
            b.writeDoubleBE(v);
            out.push(BINFLOAT, ...b);
        } else {
            out.push(EMPTY_DICT);
            put();
            const entries = v instanceof Map ? [...(v as ReadonlyMap<string, PickleWritable>)] : Object.entries(v);
            for (let i = 0; i < entries.length; i += BATCH) {
                const batch = entries.slice(i, i + BATCH);
                // As cPickle: a lone item is a SETITEM, more are MARK ... SETITEMS.
                if (batch.length > 1) out.push(MARK);
                for (const [key, item] of batch) {
                    write(key, `${where}[${JSON.stringify(key)}] (key)`);
                    write(item, `${where}[${JSON.stringify(key)}]`);
                }
                out.push(batch.length > 1 ? SETITEMS : SETITEM);
            }
        }
    };
    write(value, 'value');
    out.push(STOP);
    return Uint8Array.from(out);
}

/** A Python 2 str holds bytes: text beyond latin1 has no single encoding Python 3 would read back. */
function latin1(text: string, where: string): Buffer {
    for (let i = 0; i < text.length; i++) {
        if (text.charCodeAt(i) > 0xff) throw new PickleWriteError(`${where}: ${JSON.stringify(text)} is not latin1 text`);
    }
    return Buffer.from(text, 'latin1');
}

function uint32le(n: number): number[] {
    return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
