/**
 * The run directory's files: a name two runs started in the same second cannot both take, atomic
 * writes that leave no temporary behind when they fail, JSON read with or without a byte-order mark,
 * and folders that cannot be created named with the reason.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JobSpec } from '@persemon/language';
import { runDirName } from '../../src/run-name.js';
import { createRunDir, makeFolder, readJsonFile, writeFileAtomic } from '../../src/run/run-dir.js';

const require = createRequire(import.meta.url);
const SPEC = { experiment: 'Tiny' } as JobSpec;
const NOW = new Date(2026, 0, 2, 3, 4, 5);

function folder(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-rundir-'));
}

describe('run directory files', () => {
    it('two runs in one second get -2, -3 suffixes', () => {
        const out = folder();
        const names = [1, 2, 3].map(() => path.basename(createRunDir(SPEC, out, NOW).root));
        assert.deepEqual(names, ['Tiny-20260102-030405', 'Tiny-20260102-030405-2', 'Tiny-20260102-030405-3']);
    });

    it('a name taken by another run between a check and the mkdir is skipped, not an EEXIST crash', () => {
        const out = folder();
        const taken = path.join(out, runDirName('Tiny', NOW));
        fs.mkdirSync(taken);
        // As if another process created the folder right after this one looked: the look says free.
        const cjsFs = require('node:fs') as typeof fs;
        const existsSync = cjsFs.existsSync;
        cjsFs.existsSync = (p: fs.PathLike) => p.toString() === taken ? false : existsSync(p);
        syncBuiltinESMExports();
        try {
            assert.equal(createRunDir(SPEC, out, NOW).root, `${taken}-2`);
        } finally {
            cjsFs.existsSync = existsSync;
            syncBuiltinESMExports();
        }
    });

    it('a failed atomic write removes its temporary file', () => {
        const dir = folder();
        // Renaming a file onto a folder fails after the temporary was written.
        fs.mkdirSync(path.join(dir, 'report.json', 'inside'), { recursive: true });
        assert.throws(() => writeFileAtomic(path.join(dir, 'report.json'), '{}'), { code: 'EISDIR' });
        assert.deepEqual(fs.readdirSync(dir), ['report.json']);
    });

    it('reads JSON with a byte-order mark, and names the file when it is not JSON', () => {
        const dir = folder();
        fs.writeFileSync(path.join(dir, 'bom.json'), '\uFEFF{"experiment": "Tiny"}');
        assert.deepEqual(readJsonFile(path.join(dir, 'bom.json')), { experiment: 'Tiny' });
        fs.writeFileSync(path.join(dir, 'bad.json'), '{"experiment": ');
        assert.throws(() => readJsonFile(path.join(dir, 'bad.json')), { name: 'UserError', message: new RegExp(`^${dir}/bad.json: not valid JSON`) });
        assert.throws(() => readJsonFile(dir), { name: 'UserError', message: `${dir}: is a folder, not a file (read)` });
    });

    it('an output folder under a file is named with the reason', () => {
        const dir = folder();
        fs.writeFileSync(path.join(dir, 'file'), '');
        assert.throws(() => makeFolder(path.join(dir, 'file', 'runs')), {
            name: 'UserError', message: `${dir}/file/runs: cannot create this folder: ${dir}/file is a file, not a folder`
        });
    });

    it('an output folder on a read-only file system is called read-only, not missing (ENOENT)', function () {
        const mount = folder();
        // A read-only tmpfs needs root and mount; elsewhere there is nothing to test this on.
        if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', mount]).status !== 0) this.skip();
        try {
            assert.throws(() => createRunDir(SPEC, path.join(mount, 'runs'), NOW), {
                name: 'UserError', message: `${mount}/runs: cannot create this folder: ${mount} is on a read-only file system`
            });
        } finally {
            spawnSync('umount', [mount]);
        }
    });
});
