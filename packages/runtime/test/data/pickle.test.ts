import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parsePickle, PickleError, readPickleFile, type PyDict } from '../../src/data/pickle.js';
import { hasNumpy, python, tempDir } from './fixtures.js';

/** Bytes of a hand-assembled pickle: strings as latin1, numbers as bytes. */
function bytes(...parts: Array<string | number[] | Uint8Array>): Uint8Array {
    const chunks = parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)));
    return new Uint8Array(Buffer.concat(chunks));
}

function f64be(v: number): number[] {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v);
    return [...b];
}

function f64le(v: number): number[] {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    return [...b];
}

/** U SHORT_BINSTRING: a Python 2 str of up to 255 bytes. */
function shortBinstring(s: string | number[]): number[] {
    const b = typeof s === 'string' ? [...Buffer.from(s, 'latin1')] : s;
    return [0x55, b.length, ...b];
}

function expectRefusal(fn: () => unknown, pattern: RegExp): PickleError {
    try {
        fn();
    } catch (error) {
        assert.ok(error instanceof PickleError, `expected a PickleError, got ${String(error)}`);
        assert.match(error.message, pattern);
        return error;
    }
    assert.fail('expected the pickle to be refused');
}

const SAMPLE = `{'extraversion': {'a.001.mp4': 0.5, '__proto__': 0.25, 'caf\\xe9.002.mp4': 1.0},
 'x': [1, -3, 2**70, -2**70, 300, 70000, True, False, None, 1.5, -0.0, 1e-300, b'ab\\x00\\xff', (1, 'two'), [], {}, ()],
 'u': 'h\\u00e9\\u4e2d\\U0001F600 \\\\ \\n end', 7: 'int key', (1, 2): 'tuple key'}`.replace(/\n/g, '');

describe('pickle reader', function () {
    let tmp: ReturnType<typeof tempDir>;
    const file = (name: string) => path.join(tmp.dir, name);

    // Every python3-written fixture in one run: python3 (and numpy above all) is slow to start.
    before(function () {
        this.timeout(30000);
        tmp = tempDir('pickle');
        const numpy = hasNumpy()
            ? `import numpy\nfor p in range(6):\n    w(f'numpy{p}.pkl', {'a': numpy.float64(0.1), 'b': numpy.float32(0.25), 'c': [numpy.float64(1/3)]}, p)\n`
            : '';
        python(
            `import os, pickle, sys\n` +
                `def w(name, value, protocol):\n    open(os.path.join(sys.argv[1], name), 'wb').write(pickle.dumps(value, protocol=protocol))\n` +
                `for p in range(6):\n    w(f'sample{p}.pkl', ${SAMPLE}, p)\n` +
                `w('proto.pkl', {'__proto__': {'polluted': 1}, 'constructor': 2}, 2)\n` +
                `l = [1]\nw('shared.pkl', {'a': l, 'b': l}, 4)\n` +
                `class P:\n    def __reduce__(self):\n        return (os.system, ('echo pwned',))\n` +
                `w('annotation_validation.pkl', {'extraversion': P()}, 4)\n` +
                `w('whole.pkl', {'k%d' % i: [i, 'v' * i, 1.5] for i in range(20)}, 4)\n` +
                numpy,
            tmp.dir
        );
    });
    after(() => tmp.remove());

    for (const protocol of [0, 1, 2, 3, 4, 5]) {
        it(`reads what python3 writes at protocol ${protocol}`, async function () {
            const data = (await readPickleFile(file(`sample${protocol}.pkl`))) as PyDict;
            const traits = data.get('extraversion') as PyDict;
            assert.deepEqual([...traits], [['a.001.mp4', 0.5], ['__proto__', 0.25], ['caf\u00e9.002.mp4', 1.0]]);
            const x = data.get('x') as unknown[];
            assert.deepEqual(x.slice(0, 12), [1, -3, 2n ** 70n, -(2n ** 70n), 300, 70000, true, false, null, 1.5, -0, 1e-300]);
            assert.ok(Object.is(x[10], -0));
            assert.deepEqual(x[12], new Uint8Array([0x61, 0x62, 0, 0xff]));
            assert.deepEqual(x[13], [1, 'two']);
            assert.ok(Object.isFrozen(x[13]), 'a tuple is a frozen array');
            assert.deepEqual(x[14], []);
            assert.ok(x[15] instanceof Map && x[15].size === 0);
            assert.deepEqual(x[16], []);
            assert.equal(data.get('u'), 'h\u00e9\u4e2d\u{1F600} \\ \n end');
            assert.equal(data.get(7), 'int key');
            const tupleKey = [...data.keys()].find((k) => Array.isArray(k));
            assert.deepEqual(tupleKey, [1, 2]);
        });
    }

    it('keeps __proto__ and constructor keys as plain data', async function () {
        const data = (await readPickleFile(file('proto.pkl'))) as PyDict;
        assert.ok((data.get('__proto__') as PyDict).get('polluted') === 1);
        assert.equal(data.get('constructor'), 2);
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it('keeps shared references shared (memo)', async function () {
        const data = (await readPickleFile(file('shared.pkl'))) as PyDict;
        assert.equal(data.get('a'), data.get('b'));
    });

    it('reads numpy float64 and float32 scalars written by python3 at every protocol', async function () {
        if (!hasNumpy()) this.skip(); // the hand-assembled Python 2 pickle below covers numpy scalars too
        for (const protocol of [0, 1, 2, 3, 4, 5]) {
            const data = (await readPickleFile(file(`numpy${protocol}.pkl`))) as PyDict;
            assert.equal(data.get('a'), 0.1, `protocol ${protocol}`);
            assert.equal(data.get('b'), 0.25);
            assert.deepEqual(data.get('c'), [1 / 3]);
        }
    });

    it('reads a hand-assembled Python 2 protocol 2 pickle: SHORT_BINSTRING keys, numpy.core scalars', function () {
        // What cPickle.dump({'extraversion': {'abc.001.mp4': numpy.float64(0.5607)}}, f, 2) writes under Python 2.
        const dtype = [
            0x63, ...Buffer.from('numpy\ndtype\n'), 0x71, 1, // GLOBAL numpy.dtype, BINPUT 1
            ...shortBinstring('f8'), 0x4b, 0, 0x4b, 1, 0x87, 0x52, // ('f8', 0, 1) TUPLE3 REDUCE
            0x28, 0x4b, 3, ...shortBinstring('<'), 0x4e, 0x4e, 0x4e, 0x4a, 0xff, 0xff, 0xff, 0xff, 0x4a, 0xff, 0xff, 0xff, 0xff, 0x4b, 0, 0x74, 0x62, // state, BUILD
        ];
        const pickle = bytes(
            [0x80, 2, 0x7d, 0x71, 0], // PROTO 2, EMPTY_DICT, BINPUT 0
            shortBinstring('extraversion'),
            [0x7d, 0x71, 2], // EMPTY_DICT
            shortBinstring('abc.001.mp4'),
            [0x63, ...Buffer.from('numpy.core.multiarray\nscalar\n'), 0x71, 3],
            dtype,
            shortBinstring(f64le(0.5607)),
            [0x86, 0x52], // (dtype, data) TUPLE2 REDUCE
            [0x73, 0x73, 0x2e] // SETITEM SETITEM STOP
        );
        const data = parsePickle(pickle, 'annotation_training.pkl') as PyDict;
        assert.equal((data.get('extraversion') as PyDict).get('abc.001.mp4'), 0.5607);
    });

    it('reads a hand-assembled Python 2 protocol 0 pickle with quoted S strings and escapes', function () {
        const text =
            "(dp0\nS'openness'\np1\n(dp2\nS'caf\\xe9.001.mp4'\np3\nF0.25\nsS'it\\'s \"quoted\"\\n'\np4\nI01\nsS'big'\np5\nL123456789012345678901234567890L\nss.";
        const data = parsePickle(bytes(text), 'p0.pkl') as PyDict;
        const inner = data.get('openness') as PyDict;
        assert.equal(inner.get('caf\u00e9.001.mp4'), 0.25);
        assert.equal(inner.get('it\'s "quoted"\n'), true);
        assert.equal(inner.get('big'), 123456789012345678901234567890n);
    });

    it('reads a big-endian numpy dtype', function () {
        const pickle = bytes(
            [0x80, 2],
            [0x63, ...Buffer.from('numpy.core.multiarray\nscalar\n')],
            [0x63, ...Buffer.from('numpy\ndtype\n'), ...shortBinstring('f8'), 0x4b, 0, 0x4b, 1, 0x87, 0x52],
            [0x28, 0x4b, 3, ...shortBinstring('>'), 0x4e, 0x4e, 0x4e, 0x4b, 0, 0x4b, 0, 0x4b, 0, 0x74, 0x62],
            shortBinstring(f64be(0.75)),
            [0x86, 0x52, 0x2e]
        );
        assert.equal(parsePickle(pickle, 'be.pkl'), 0.75);
    });

    it('refuses os.system through GLOBAL + REDUCE, naming the file and the global', function () {
        const hostile = bytes("cos\nsystem\n(S'touch /tmp/persemon-pwned'\ntR.");
        expectRefusal(() => parsePickle(hostile, '/data/annotation_training.pkl'), /^annotation_training\.pkl: refuses to import os\.system/);
    });

    it('refuses what python3 writes for an object that reduces to os.system', async function () {
        await assert.rejects(readPickleFile(file('annotation_validation.pkl')), (e: unknown) => e instanceof PickleError && /annotation_validation\.pkl: refuses to import posix\.system/.test(e.message));
    });

    it('refuses builtins.eval via STACK_GLOBAL, INST, OBJ-style construction and BUILD on data', function () {
        const stackGlobal = bytes([0x80, 4, 0x8c, 8], 'builtins', [0x8c, 4], 'eval', [0x93], [0x8c, 4], '1+1', [0x85, 0x52, 0x2e]);
        expectRefusal(() => parsePickle(stackGlobal, 'a.pkl'), /refuses to import builtins\.eval/);
        expectRefusal(() => parsePickle(bytes("(ios\nsystem\nS'x'\n."), 'b.pkl'), /refuses to import os\.system/);
        expectRefusal(() => parsePickle(bytes([0x80, 2, 0x7d, 0x7d, 0x62, 0x2e]), 'c.pkl'), /refuses BUILD/);
        expectRefusal(() => parsePickle(bytes([0x80, 2, 0x29, 0x29, 0x81, 0x2e]), 'd.pkl'), /refuses opcode NEWOBJ/);
        const objectDtype = bytes([0x80, 2, 0x63, ...Buffer.from('numpy\ndtype\n'), ...shortBinstring('O'), 0x4b, 0, 0x4b, 1, 0x87, 0x52, 0x2e]);
        expectRefusal(() => parsePickle(objectDtype, 'e.pkl'), /refuses numpy\.dtype\("O"\)/);
        // An allowed import must still not leak into the data as a value.
        expectRefusal(() => parsePickle(bytes('cnumpy\ndtype\n.'), 'f.pkl'), /used as a value/);
    });

    it('reports a truncated pickle, at every cut, as an error rather than hanging', async function () {
        const whole = readFileSync(file('whole.pkl'));
        for (let cut = 0; cut < whole.length; cut += 7) {
            expectRefusal(() => parsePickle(whole.subarray(0, cut), 'cut.pkl'), /^cut\.pkl: /);
        }
    });

    it('refuses a length beyond the buffer without allocating it', function () {
        const huge = bytes([0x80, 4, 0x58, 0xff, 0xff, 0xff, 0x7f], 'abc');
        expectRefusal(() => parsePickle(huge, 'huge.pkl'), /truncated: needs 2147483647 more bytes/);
        const huge8 = bytes([0x80, 4, 0x8d, 0, 0, 0, 0, 0, 0, 0, 0x40], 'abc');
        expectRefusal(() => parsePickle(huge8, 'huge8.pkl'), /truncated/);
        expectRefusal(() => parsePickle(bytes([0x80, 4, 0x95, 0xff, 0xff, 0, 0, 0, 0, 0, 0]), 'frame.pkl'), /frame\.pkl: truncated/);
    });

    it('refuses a file above the size limit before reading it', async function () {
        writeFileSync(file('big.pkl'), Buffer.alloc(4096));
        await assert.rejects(readPickleFile(file('big.pkl'), { maxBytes: 1024 }), /big\.pkl: is 4096 bytes, more than the 1024/);
    });

    it('reports garbage and stack misuse as corrupt', function () {
        expectRefusal(() => parsePickle(bytes('hello'), 'text.pkl'), /text\.pkl: /);
        expectRefusal(() => parsePickle(bytes([0x80, 2, 0x73, 0x2e]), 'under.pkl'), /stack underflow/);
        expectRefusal(() => parsePickle(bytes([0x80, 2, 0x68, 9, 0x2e]), 'memo.pkl'), /memo 9 is read before it is written/);
        expectRefusal(() => parsePickle(bytes([0x80, 6, 0x4e, 0x2e]), 'proto.pkl'), /protocol 6/);
    });
});

/** N empty lists, then N - 1 APPENDs: each list holds the next, N deep. */
function nestedList(depth: number): Uint8Array {
    return bytes(new Uint8Array(depth).fill(0x5d), new Uint8Array(depth - 1).fill(0x61));
}

describe('pickle reader on hostile sizes', function () {
    it('reads one APPENDS of 300,000 items without overflowing the stack', function () {
        const items = new Uint8Array(2 * 300_000);
        for (let i = 0; i < items.length; i += 2) items.set([0x4b, 7], i); // BININT1 7
        const list = parsePickle(bytes([0x80, 2, 0x5d, 0x28], items, [0x65, 0x2e]), 'long.pkl') as number[];
        assert.equal(list.length, 300_000);
        assert.ok(list.every((v) => v === 7));
    });

    it('reads a list nested 200,000 deep', function () {
        let value = parsePickle(bytes([0x80, 2], nestedList(200_000), [0x2e]), 'deep.pkl') as unknown[];
        let depth = 1;
        while (value.length === 1) {
            value = value[0] as unknown[];
            depth++;
        }
        assert.equal(depth, 200_000);
    });

    it('refuses numpy.dtype of a list nested 200,000 deep by its type, without formatting it', function () {
        const call = bytes([0x80, 2, 0x63], 'numpy\ndtype\n', nestedList(200_000), [0x85, 0x52, 0x2e]);
        expectRefusal(() => parsePickle(call, 'dtype.pkl'), /^dtype\.pkl: refuses numpy\.dtype\(a list\)/);
    });
});
