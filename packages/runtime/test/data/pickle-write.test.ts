/**
 * The Python-2-style pickle writer, checked by what reads it: python3's pickle module (with
 * encoding='latin1', as ChaLearn's users load the real files), pickletools' opcode listing, our
 * own reader, and the bytes Python 2's cPickle writes for a small dict, assembled by hand.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parsePickle } from '../../src/data/pickle.js';
import { encodePickle, PickleWriteError } from '../../src/data/pickle-write.js';
import { tempDir } from './fixtures.js';

const PYTHON = '/usr/bin/python3';

/** python3 loads the file and prints it as JSON (floats by repr, so exactly), with its opcodes. */
function pythonRead(file: string): { value: unknown; opcodes: string[] } {
    const code =
        'import json, pickle, pickletools, sys\n' +
        "data = open(sys.argv[1], 'rb').read()\n" +
        "value = pickle.loads(data, encoding='latin1')\n" +
        "print(json.dumps({'value': value, 'opcodes': sorted({op.name for op, _, _ in pickletools.genops(data)})}))\n";
    return JSON.parse(execFileSync(PYTHON, ['-c', code, file], { encoding: 'utf8' })) as { value: unknown; opcodes: string[] };
}

/** Map -> plain object, recursively, to compare with JSON. */
function plain(value: unknown): unknown {
    return value instanceof Map ? Object.fromEntries([...value].map(([k, v]) => [k, plain(v)])) : value;
}

describe('pickle writer', function () {
    this.timeout(30000);
    let tmp: ReturnType<typeof tempDir>;
    before(() => (tmp = tempDir('pickle-write')));
    after(() => tmp.remove());

    it('writes exactly what cPickle writes at protocol 2 for a small annotation dict', () => {
        // Python 2.7: cPickle.dumps({'a': {'b.001.mp4': 0.5}}, 2)
        const expected = Buffer.concat([
            Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00]), // PROTO 2, EMPTY_DICT, BINPUT 0
            Buffer.from([0x55, 0x01]), Buffer.from('a'), Buffer.from([0x71, 0x01]), // SHORT_BINSTRING 'a', BINPUT 1
            Buffer.from([0x7d, 0x71, 0x02]), // EMPTY_DICT, BINPUT 2
            Buffer.from([0x55, 0x09]), Buffer.from('b.001.mp4'), Buffer.from([0x71, 0x03]),
            Buffer.from([0x47, 0x3f, 0xe0, 0, 0, 0, 0, 0, 0]), // BINFLOAT 0.5, big-endian
            Buffer.from([0x73, 0x73, 0x2e]), // SETITEM, SETITEM, STOP
        ]);
        assert.deepEqual(Buffer.from(encodePickle({ a: { 'b.001.mp4': 0.5 } })), expected);
    });

    it('is read back by python3 and by our reader: ChaLearn-shaped, latin1, long keys, more than one batch', () => {
        const clips = new Map<string, number>();
        for (let i = 0; i < 2500; i++) clips.set(`clip${String(i).padStart(4, '0')}.${String(i % 7).padStart(3, '0')}.mp4`, (i * 0.6180339887) % 1);
        const value = new Map<string, unknown>([
            ['extraversion', clips],
            ['interview', { 'caf\u00e9.001.mp4': 1 / 3, ['x'.repeat(300)]: 0, tiny: 5e-324, negative: -0.0 }],
            ['empty', {}],
        ]);
        const file = path.join(tmp.dir, 'annotation.pkl');
        writeFileSync(file, encodePickle(value as Parameters<typeof encodePickle>[0]));

        const python = pythonRead(file);
        assert.deepEqual(python.value, plain(value));
        // Python 2 opcodes only: byte strings, no unicode, no framing, no memo beyond BINPUT.
        const allowed = ['BINFLOAT', 'BINPUT', 'BINSTRING', 'EMPTY_DICT', 'LONG_BINPUT', 'MARK', 'PROTO', 'SETITEM', 'SETITEMS', 'SHORT_BINSTRING', 'STOP'];
        assert.deepEqual(python.opcodes.filter((op) => !allowed.includes(op)), []);
        assert.ok(python.opcodes.includes('BINSTRING') && python.opcodes.includes('LONG_BINPUT'), python.opcodes.join(' '));

        const ours = parsePickle(encodePickle(value as Parameters<typeof encodePickle>[0]), file);
        assert.deepEqual(plain(ours), plain(value));
        assert.ok(Object.is((((ours as Map<string, unknown>).get('interview') as Map<string, number>).get('negative')), -0));
    });

    it('refuses text that a Python 2 str cannot hold', () => {
        assert.throws(() => encodePickle({ traits: { 'clip\u4e2d.mp4': 0.5 } }), (e: unknown) => e instanceof PickleWriteError && /not latin1/.test(e.message) && /traits/.test(e.message));
    });
});
