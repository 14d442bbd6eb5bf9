/**
 * Checkpoints on a full disk and with damaged bytes: a failed write leaves nothing behind and says how
 * much space the next checkpoint needs; a checkpoint whose bytes do not match its manifest is passed
 * over for the previous one; temporaries of killed writers are found and removed.
 */
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkpointName, latestCheckpoint, loadCheckpoint, removeStaleTemporaries, saveCheckpoint } from '../../src/run/checkpoint.js';
import { writeFileSynced } from '../../src/run/run-dir.js';

function folder(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-ckpt-'));
}

/** Distinct bytes per step, so a wrong checkpoint is told apart from the right one. */
function files(step: number): Record<string, Uint8Array | string> {
    return { 'weights.bin': crypto.randomBytes(1000 + step), 'state.json': JSON.stringify({ step }) };
}

function enospc(file: string): Error {
    return Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', syscall: 'write', path: file });
}

describe('checkpoints', () => {
    it('a write that fails on a full disk leaves no temporary folder and says how much space is needed', () => {
        const dir = folder();
        saveCheckpoint(dir, 2, files(2));
        const next = files(4);
        // The second file fails, as on a disk that fills up in the middle of a checkpoint.
        let writes = 0;
        const failing = (file: string, data: string | Uint8Array) => {
            if (++writes === 2) throw enospc(file);
            writeFileSynced(file, data);
        };
        const needed = 1004 + JSON.stringify({ step: 4 }).length;
        assert.throws(() => saveCheckpoint(dir, 4, next, { write: failing }), (error: Error) => {
            assert.equal(error.name, 'UserError');
            assert.match(error.message, new RegExp(`^${dir}: no space left to write checkpoint step-0000004: it needs `));
            // The files plus their manifest: a little over `needed` bytes, in KiB.
            const kib = Number(/it needs ([\d.]+) KiB/.exec(error.message)![1]);
            assert.ok(kib * 1024 >= needed - 52 && kib * 1024 < needed + 600, `${kib} KiB for ${needed} bytes of files`);
            assert.match(error.message, /[\d.]+ (bytes|KiB|MiB|GiB|TiB) are free there/);
            return true;
        });
        assert.deepEqual(fs.readdirSync(dir).sort(), ['latest', 'step-0000002'], 'nothing half-written left');
        assert.equal(latestCheckpoint(dir)!.step, 2);
    });

    it('stores a sha256 per file and loads the files it checked', () => {
        const dir = folder();
        const written = files(6);
        saveCheckpoint(dir, 6, written);
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'step-0000006', 'manifest.json'), 'utf8'));
        const expected = crypto.createHash('sha256').update(written['weights.bin']).digest('hex');
        assert.equal(manifest.files['weights.bin'].sha256, expected);
        assert.equal(manifest.files['weights.bin'].bytes, 1006);
        const loaded = loadCheckpoint(dir)!;
        assert.equal(loaded.step, 6);
        assert.deepEqual(loaded.files.get('weights.bin'), Buffer.from(written['weights.bin']));
        assert.deepEqual(loaded.rejected, []);
    });

    it('a checkpoint with flipped bits is passed over for the previous one, which says why', () => {
        const dir = folder();
        const second = files(2);
        saveCheckpoint(dir, 2, second);
        saveCheckpoint(dir, 4, files(4));
        const weights = path.join(dir, 'step-0000004', 'weights.bin');
        const bytes = fs.readFileSync(weights);
        bytes[500] ^= 0x10;
        fs.writeFileSync(weights, bytes);
        const loaded = loadCheckpoint(dir)!;
        assert.equal(loaded.step, 2);
        assert.deepEqual(loaded.files.get('weights.bin'), Buffer.from(second['weights.bin']));
        assert.deepEqual(loaded.rejected, [{ path: path.join(dir, 'step-0000004'), problem: 'weights.bin does not match its sha256 in manifest.json (damaged)' }]);
    });

    it('a truncated file and a missing file are named too', () => {
        const dir = folder();
        saveCheckpoint(dir, 2, files(2));
        saveCheckpoint(dir, 4, files(4));
        saveCheckpoint(dir, 6, files(6));
        fs.truncateSync(path.join(dir, 'step-0000006', 'weights.bin'), 10);
        fs.rmSync(path.join(dir, 'step-0000004', 'state.json'));
        const loaded = loadCheckpoint(dir)!;
        assert.equal(loaded.step, 2);
        assert.deepEqual(loaded.rejected.map(r => r.problem), ['weights.bin has 10 bytes, manifest.json says 1006', 'state.json is missing']);
    });

    it('fails naming every checkpoint when none is intact', () => {
        const dir = folder();
        saveCheckpoint(dir, 2, files(2));
        fs.writeFileSync(path.join(dir, 'step-0000002', 'manifest.json'), '{');
        assert.throws(() => loadCheckpoint(dir), (error: Error) => {
            assert.equal(error.name, 'UserError');
            assert.equal(error.message, `${dir}: no intact checkpoint to continue from:\n  ${path.join(dir, 'step-0000002')}: manifest.json is not valid JSON`);
            return true;
        });
    });

    it('a checkpoint that `latest` does not name yet (killed before it was replaced) is still found', () => {
        const dir = folder();
        saveCheckpoint(dir, 2, files(2));
        fs.rmSync(path.join(dir, 'latest'));
        assert.equal(loadCheckpoint(dir)!.step, 2);
        assert.equal(loadCheckpoint(folder()), null);
    });

    it('removes temporaries that killed writers left, and nothing else', () => {
        const dir = folder();
        saveCheckpoint(dir, 2, files(2));
        fs.mkdirSync(path.join(dir, `.${checkpointName(4)}.tmp-4242`));
        fs.writeFileSync(path.join(dir, `.${checkpointName(4)}.tmp-4242`, 'weights.bin'), 'partial');
        fs.writeFileSync(path.join(dir, 'latest.tmp-4243'), 'step-00');
        const removed = removeStaleTemporaries([dir, path.join(dir, 'absent')]);
        assert.deepEqual(removed.map(f => path.basename(f)).sort(), ['.step-0000004.tmp-4242', 'latest.tmp-4243']);
        assert.deepEqual(fs.readdirSync(dir).sort(), ['latest', 'step-0000002']);
    });
});
