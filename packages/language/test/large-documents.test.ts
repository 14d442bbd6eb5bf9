/**
 * Documents far larger than anyone writes by hand (generated sweeps, pasted logs): validation and
 * compilation must finish, near-linearly, and report what they find. The timeouts only guard
 * against hangs; bench/language.ts measures the speed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileFile, loadWorkspace } from '../src/workspace.js';
import { MAX_DIAGNOSTICS } from '../src/validation/diagnostic-limit.js';
import { tempDir } from './helpers.js';

/** `1,234`, as the summary prints counts. */
const count = (n: number) => n.toLocaleString('en-US');

describe('large documents', () => {
    let dir: string;
    before(() => { dir = tempDir(); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    function write(name: string, text: string): string {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text);
        return file;
    }

    it('report 130,000 errors: the first ones listed, then how many more, never dropped', async function () {
        this.timeout(300_000);
        const settings = 130_000;
        const file = write('errors.persemon', 'experiment A {\n' + '  seed 1\n'.repeat(settings) + '}\n');
        const { diagnostics } = await loadWorkspace([file]);
        // Every seed after the first (lines 3 on) is given twice.
        const errors = settings - 1;
        const listed = Array.from({ length: MAX_DIAGNOSTICS }, (_, i) => `${3 + i}:3: error: seed is given twice in this experiment`);
        const unlisted = errors - MAX_DIAGNOSTICS;
        assert.deepEqual(diagnostics.map(d => `${d.line}:${d.column}: ${d.severity}: ${d.message}`), [
            ...listed,
            `${3 + MAX_DIAGNOSTICS}:3: error: ${count(unlisted)} more problems from here on are not listed (${count(unlisted)} errors)`
        ]);
        assert.deepEqual(diagnostics.at(-1)!.unlisted, { errors: unlisted, warnings: 0 });
    });

    it('report every duplicate on one line of 200,000 settings', async function () {
        this.timeout(300_000);
        const settings = 200_000;
        const prefix = 'experiment A { ';
        const file = write('line.persemon', prefix + 'seed 1 '.repeat(settings) + '}\n');
        const { diagnostics } = await loadWorkspace([file]);
        const column = (i: number) => prefix.length + 1 + 'seed 1 '.length * i;
        assert.equal(diagnostics.length, MAX_DIAGNOSTICS + 1);
        assert.deepEqual(diagnostics.slice(0, 2).map(d => `${d.line}:${d.column}: ${d.message}`), [
            `1:${column(1)}: seed is given twice in this experiment`,
            `1:${column(2)}: seed is given twice in this experiment`
        ]);
        const unlisted = settings - 1 - MAX_DIAGNOSTICS;
        assert.equal(`${diagnostics.at(-1)!.line}:${diagnostics.at(-1)!.column}: ${diagnostics.at(-1)!.message}`,
            `1:${column(MAX_DIAGNOSTICS + 1)}: ${count(unlisted)} more problems from here on are not listed (${count(unlisted)} errors)`);
    });

    it('compile the end of an extends chain of 20,000 experiments, which inherits the first one\'s seed', async function () {
        this.timeout(300_000);
        const length = 20_000;
        const lines = ['experiment E0 {\n  seed 42\n  dataset selfies: personality from synthetic\n  pam { }\n}'];
        for (let i = 1; i < length; i++) lines.push(`experiment E${i} extends E${i - 1} { }`);
        const file = write('chain.persemon', lines.join('\n') + '\n');
        const last = await compileFile(file, `E${length - 1}`);
        assert.equal(last.seed, 42);
        assert.deepEqual(last.datasets.map(d => d.name), ['selfies']);
        assert.equal(last.experiment, `E${length - 1}`);
    });

    it('report a cycle of 20,000 experiments on each of them, naming the loop in short', async function () {
        this.timeout(300_000);
        const length = 20_000;
        const lines = [`experiment E0 extends E${length - 1} { }`];
        for (let i = 1; i < length; i++) lines.push(`experiment E${i} extends E${i - 1} { }`);
        const file = write('cycle.persemon', lines.join('\n') + '\n');
        const { diagnostics } = await loadWorkspace([file]);
        assert.equal(diagnostics.length, MAX_DIAGNOSTICS + 1);
        // E0 -> E19999 -> E19998 -> … -> E1 -> E0
        assert.equal(diagnostics[0].message, `'extends' forms a cycle of ${count(length)} experiments: E0 -> E${length - 1} -> E${length - 2} -> … -> E2 -> E1 -> E0`);
        assert.equal(diagnostics[1].message, `'extends' forms a cycle of ${count(length)} experiments: E1 -> E0 -> E${length - 1} -> … -> E3 -> E2 -> E1`);
        assert.equal(diagnostics.at(-1)!.unlisted?.errors, length - MAX_DIAGNOSTICS);
    });
});
