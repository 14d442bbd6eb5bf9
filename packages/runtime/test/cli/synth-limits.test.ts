import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { synth } from '../../src/cli/synth.js';
import { UsageError } from '../../src/errors.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.ts');
const silent = { line: () => undefined, info: () => undefined };

describe('persemon synth: what one machine can hold', () => {
    let tmp: string;
    beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-synth-limits-')); });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    /** The UsageError synth throws for these arguments, having written nothing. */
    async function refused(...args: string[]): Promise<string> {
        const out = path.join(tmp, 'out');
        const error = await synth(['--format', 'chalearn', '--out', out, ...args], silent).then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof UsageError, String(error));
        assert.equal(fs.existsSync(out), false, 'refused before any work');
        return error.message;
    }

    it('bounds --videos, --frames and --seed by the language limits, naming them', async () => {
        assert.equal(await refused('--videos', '100000000'), '--videos must be at most 100000, not 100000000: the synthetic set is held in memory');
        assert.equal(await refused('--frames', '1000000000'), '--frames must be at most 10000, not 1000000000: the synthetic set is held in memory');
        assert.equal(await refused('--seed', '4294967296'), '--seed must be at most 4294967295, not 4294967296: the random generator takes a 32-bit seed');
    });

    it('refuses videos x frames beyond the memory limit, naming the estimate', async () => {
        // 10^5 people x 1 clip x 10^4 frames: 10^5 x 1024 x 2 + 10^9 x 144 + 258 x 160 x 160 x 4 = 144,231,219,200 bytes = 134 GiB.
        assert.equal(await refused('--videos', '100000', '--frames', '10000'),
            '--videos 100000 x --frames 10000: the synthetic set would take about 134 GiB of memory: 1,000,000,000 frames '
            + '(people 100000 x clips 1 x frames 10000) at about 144 bytes each, and 258 rendering buffers of 160x160; '
            + 'at most 1 GiB: lower --videos or --frames');
    });

    it('exits 2 at once, with the limit and no stack', () => {
        const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', cli, 'synth', '--format', 'affwild',
            '--out', path.join(tmp, 'out'), '--videos', '100000000'], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /^persemon: --videos must be at most 100000, not 100000000: the synthetic set is held in memory\n/);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
});
