/** The run directory's name read back: what the editor's Runs view relies on to name a run before its start event. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JobSpec } from '@persemon/language';
import { parseRunDirName } from '../src/run-name.js';
import { createRunDir } from '../src/run/run-dir.js';

describe('run directory names', () => {
    it('reads back every name createRunDir gives, the -2, -3 of runs started in the same second too', () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-runname-'));
        try {
            const now = new Date(2026, 10, 29, 10, 15, 0);
            const names = [1, 2, 3].map(() => path.basename(createRunDir({ experiment: 'Tiny' } as JobSpec, out, now).root));
            assert.deepEqual(names.map(parseRunDirName), [1, 2, 3].map(attempt => ({ experiment: 'Tiny', created: now, attempt })));
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it('is undefined for a folder named otherwise', () => {
        assert.equal(parseRunDirName('custom'), undefined);
        assert.equal(parseRunDirName('Tiny-2026112-101500'), undefined);
    });
});
