import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parsePickle, PickleError, TorchStorage, TorchTensor, type PyDict } from '../../src/data/pickle.js';
import { python, tempDir } from './fixtures.js';

/**
 * Pickles shaped as torch.save writes a state_dict, written by python3's own pickle module: a stand-in
 * `torch` module supplies the globals by name (FloatStorage, _utils._rebuild_tensor_v2), so the opcodes
 * are exactly what the real ones produce, without torch installed. (test/weights/ checks files that
 * torch itself wrote.)
 */
const WRITER = `
import collections, os, pickle, sys, types
torch = types.ModuleType('torch'); torch._utils = types.ModuleType('torch._utils')
sys.modules['torch'] = torch; sys.modules['torch._utils'] = torch._utils
def storage_class(name):
    cls = type(name, (), {}); cls.__module__ = 'torch'; setattr(torch, name, cls); return cls
Float, Long = storage_class('FloatStorage'), storage_class('LongStorage')
def rebuild(name):
    def f(*args): pass
    f.__module__, f.__qualname__, f.__name__ = 'torch._utils', name, name
    setattr(torch._utils, name, f); return f
v2, v1 = rebuild('_rebuild_tensor_v2'), rebuild('_rebuild_tensor')
class Storage:
    def __init__(self, key, numel, cls=Float, view=None): self.pid = ('storage', cls, key, 'cpu', numel) + ((view,) if view != 'zip' else ())
class Tensor:
    def __init__(self, storage, offset, size, stride, legacy=False):
        self.args = (storage, offset, size, stride) if legacy else (storage, offset, size, stride, False, collections.OrderedDict())
        self.fn = v1 if legacy else v2
    def __reduce__(self): return (self.fn, self.args)
class Pickler(pickle.Pickler):
    def persistent_id(self, obj): return getattr(obj, 'pid', None)
def save(name, obj, protocol=2):
    with open(os.path.join(sys.argv[1], name), 'wb') as f: Pickler(f, protocol=protocol).dump(obj)
sd = collections.OrderedDict()
s0 = Storage('0', 6, view='zip')
sd['a.weight'] = Tensor(s0, 0, (2, 3), (3, 1))
sd['a.bias'] = Tensor(Storage('1', 2, view='zip'), 0, (2,), (1,))
sd['t'] = Tensor(s0, 1, (2, 2), (1, 3))
sd._metadata = collections.OrderedDict([('', {'version': 1})])
save('zip.pkl', sd)
legacy = collections.OrderedDict([('w', Tensor(Storage('9', 8, view=('90', 2, 4)), 1, (3,), (1,), legacy=True))])
save('legacy.pkl', legacy)
class Py2OrderedDict:
    def __reduce__(self): return (collections.OrderedDict, ([['k', 1], ['j', 2]],))
save('py2.pkl', Py2OrderedDict())
class System:
    def __reduce__(self): return (os.system, ('echo pwned',))
save('system.pkl', collections.OrderedDict([('w', System())]))
save('long.pkl', collections.OrderedDict([('n', Tensor(Storage('0', 1, cls=Long, view='zip'), 0, (), ()))]))
save('past.pkl', collections.OrderedDict([('w', Tensor(Storage('0', 4, view='zip'), 1, (2, 2), (2, 1)))]))
class Module:
    pid = ('module', Float, 'src.py', 'class X: pass')
save('module.pkl', collections.OrderedDict([('m', Module())]))
class CallStorage:
    def __reduce__(self): return (Float, ())
save('call.pkl', CallStorage())
`;

function refusal(fn: () => unknown, pattern: RegExp): void {
    assert.throws(fn, (e: unknown) => e instanceof PickleError && pattern.test(e.message));
}

describe('pickle reader in the state_dict mode', function () {
    let tmp: ReturnType<typeof tempDir>;
    const read = (name: string) => readFileSync(path.join(tmp.dir, name));

    before(function () {
        this.timeout(30000);
        tmp = tempDir('pickle-state-dict');
        python(WRITER, tmp.dir);
    });
    after(() => tmp.remove());

    it('reads an OrderedDict of tensors with its _metadata, each a strided window onto its storage', function () {
        const sd = parsePickle(read('zip.pkl'), 'sd.pth', 'state_dict') as PyDict;
        assert.deepEqual([...sd.keys()], ['a.weight', 'a.bias', 't']);
        const w = sd.get('a.weight') as TorchTensor;
        assert.ok(w instanceof TorchTensor);
        assert.deepEqual([w.storage.dtype, w.storage.key, w.storage.numel, w.storage.view], ['float32', '0', 6, null]);
        assert.deepEqual([w.offset, w.shape, w.stride], [0, [2, 3], [3, 1]]);
        const t = sd.get('t') as TorchTensor;
        assert.deepEqual([t.storage.key, t.offset, t.shape, t.stride], ['0', 1, [2, 2], [1, 3]]);
        assert.ok(t.storage instanceof TorchStorage);
    });

    it('reads the legacy _rebuild_tensor and a storage view, and a Python 2 OrderedDict of pairs', function () {
        const w = (parsePickle(read('legacy.pkl'), 'old.pth', 'state_dict') as PyDict).get('w') as TorchTensor;
        assert.deepEqual([w.storage.key, w.storage.numel, w.storage.view, w.offset, w.shape], ['9', 8, { key: '90', offset: 2, numel: 4 }, 1, [3]]);
        assert.deepEqual([...(parsePickle(read('py2.pkl'), 'py2.pth', 'state_dict') as PyDict)], [['k', 1], ['j', 2]]);
    });

    it('keeps refusing everything else, naming the file and the global', function () {
        refusal(() => parsePickle(read('system.pkl'), 'evil.pth', 'state_dict'), /^evil\.pth: refuses to import posix\.system/);
        refusal(() => parsePickle(read('long.pkl'), 'long.pth', 'state_dict'), /refuses to import torch\.LongStorage/);
        refusal(() => parsePickle(read('module.pkl'), 'module.pth', 'state_dict'), /refuses a persistent id other than a torch storage/);
        refusal(() => parsePickle(read('call.pkl'), 'call.pth', 'state_dict'), /refuses to call torch\.FloatStorage/);
        refusal(() => parsePickle(read('past.pkl'), 'past.pth', 'state_dict'), /reaches past its storage of 4 elements/);
        refusal(() => parsePickle(Buffer.from([0x80, 2, 0x7d, 0x7d, 0x62, 0x2e]), 'build.pth', 'state_dict'), /refuses BUILD/);
    });

    it('is not what annotation pickles get: they refuse OrderedDict, torch and persistent ids as before', function () {
        refusal(() => parsePickle(read('zip.pkl'), 'annotation_training.pkl'), /^annotation_training\.pkl: refuses to import collections\.OrderedDict/);
        refusal(() => parsePickle(Buffer.from([0x80, 2, 0x4e, 0x51, 0x2e]), 'annotation_test.pkl'), /refuses opcode BINPERSID/);
        refusal(() => parsePickle(Buffer.from("ctorch._utils\n_rebuild_tensor_v2\n.", 'latin1'), 'annotation_test.pkl'), /refuses to import torch\._utils\._rebuild_tensor_v2/);
    });
});
