import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'langium';
import { compileFile, DocumentError, loadWorkspace } from '../src/workspace.js';
import { createServices, diagnose, tempDir } from './helpers.js';

/**
 * What an import may name: a readable regular .persemon file. Everything else is a diagnostic on the
 * import, and is never opened (a FIFO or /dev/stdin would block, /dev/zero never ends).
 */
describe('imports of what is not an experiment file', () => {
    let dir: string;
    before(() => {
        dir = tempDir();
        fs.mkdirSync(path.join(dir, 'shared'));
        fs.writeFileSync(path.join(dir, 'notes.txt'), 'experiment Notes { }\n');
        fs.writeFileSync(path.join(dir, 'base.persemon'), 'experiment Base { seed 3 }\n');
        fs.mkdirSync(path.join(dir, 'folder.persemon'));
        fs.symlinkSync('loop.persemon', path.join(dir, 'loop.persemon'));
        execFileSync('mkfifo', [path.join(dir, 'pipe.persemon')]);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** The diagnostics of a document in `dir` with this text. */
    async function diagnoseIn(text: string): Promise<string[]> {
        return diagnose(createServices(), text, URI.file(path.join(dir, 'main.persemon')).toString());
    }

    it('names why each import cannot be read, on the import, and reads none of them', async function () {
        this.timeout(20_000);
        assert.deepEqual(await diagnoseIn(`import "."
import "shared"
import "folder.persemon"
import "notes.txt"
import "pipe.persemon"
import "/dev/zero"
import "/dev/stdin"
import "loop.persemon"
import "missing.persemon"
import "base.persemon"
experiment Child extends Base { }
`), [
            `1:8 '"."' error import-not-a-persemon-file: . is a folder, not a .persemon file`,
            `2:8 '"shared"' error import-not-a-persemon-file: shared is a folder, not a .persemon file`,
            `3:8 '"folder.persemon"' error import-not-a-persemon-file: folder.persemon is a folder, not a .persemon file`,
            `4:8 '"notes.txt"' error import-not-a-persemon-file: notes.txt is not a .persemon file`,
            `5:8 '"pipe.persemon"' error import-not-a-persemon-file: pipe.persemon is not a regular file (a pipe, device or socket): it is not read`,
            `6:8 '"/dev/zero"' error import-not-a-persemon-file: /dev/zero is not a regular file (a pipe, device or socket): it is not read`,
            `7:8 '"/dev/stdin"' error import-not-a-persemon-file: /dev/stdin is not a regular file (a pipe, device or socket): it is not read`,
            `8:8 '"loop.persemon"' error import-unreadable: cannot read loop.persemon: ELOOP: too many symbolic links encountered, stat '${path.join(dir, 'loop.persemon')}'`,
            `9:8 '"missing.persemon"' error import-not-found: cannot find missing.persemon (looked for ${path.join(dir, 'missing.persemon')})`
        ]);
    });

    it('names an import it has no permission to read', async function () {
        if (process.getuid?.() === 0) this.skip(); // root reads every file
        const locked = path.join(dir, 'locked.persemon');
        fs.writeFileSync(locked, 'experiment Locked { }\n', { mode: 0o000 });
        assert.deepEqual(await diagnoseIn('import "locked.persemon"\n'), [
            `1:8 '"locked.persemon"' error import-unreadable: cannot read locked.persemon: EACCES: permission denied, open '${locked}'`
        ]);
    });

    it('checks and compiles such documents into diagnostics at the import, without throwing', async function () {
        this.timeout(20_000);
        const main = path.join(dir, 'cli.persemon');
        fs.writeFileSync(main, 'import "base.persemon"\nimport "pipe.persemon"\nimport "shared"\nexperiment Child extends Base { }\n');
        const { diagnostics } = await loadWorkspace([main]);
        assert.deepEqual(diagnostics.map(d => `${path.basename(d.file)}:${d.line}:${d.column}: ${d.severity}: ${d.message}`), [
            'cli.persemon:2:8: error: pipe.persemon is not a regular file (a pipe, device or socket): it is not read',
            'cli.persemon:3:8: error: shared is a folder, not a .persemon file'
        ]);
        await assert.rejects(compileFile(main), (e: unknown) => e instanceof DocumentError && e.diagnostics.length === 2);
    });

    it('reports a file given to check that is not a .persemon file at 1:1, and still checks the others', async function () {
        this.timeout(20_000);
        const given = ['shared', 'notes.txt', 'pipe.persemon', 'nothing.persemon', 'base.persemon'].map(f => path.join(dir, f));
        const { documents, diagnostics } = await loadWorkspace(given);
        assert.deepEqual(documents.map(d => path.basename(d.uri.fsPath)), ['base.persemon']);
        assert.deepEqual(diagnostics.map(d => `${path.basename(d.file)}:${d.line}:${d.column}: ${d.severity}: ${d.message}`), [
            `notes.txt:1:1: error: ${given[1]} is not a .persemon file`,
            `nothing.persemon:1:1: error: cannot find ${given[3]}`,
            `pipe.persemon:1:1: error: ${given[2]} is not a regular file (a pipe, device or socket): it is not read`,
            `shared:1:1: error: ${given[0]} is a folder, not a .persemon file`
        ]);
    });
});
