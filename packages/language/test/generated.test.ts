import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('generated parser', () => {
    it('is what langium-cli generates from the committed grammar', function () {
        this.timeout(120_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-generate-'));
        fs.mkdirSync(path.join(dir, 'src'));
        fs.copyFileSync(path.join(pkg, 'src/persemon.langium'), path.join(dir, 'src/persemon.langium'));
        fs.copyFileSync(path.join(pkg, 'langium-config.json'), path.join(dir, 'langium-config.json'));
        const cli = path.resolve(pkg, '../../node_modules/langium-cli/bin/langium.js');
        execFileSync(process.execPath, [cli, 'generate'], { cwd: dir, stdio: 'pipe' });
        for (const file of fs.readdirSync(path.join(pkg, 'src/generated'))) {
            assert.equal(
                fs.readFileSync(path.join(dir, 'src/generated', file), 'utf8'),
                fs.readFileSync(path.join(pkg, 'src/generated', file), 'utf8'),
                `src/generated/${file} differs from the grammar's output: run npm run generate`);
        }
    });
});
