/** The small helpers that several modules share: seed hash, bounded pool, nearest-face borrowing, concatenation. */
import * as assert from 'node:assert/strict';
import { concatFloat32 } from '../../src/util/concat.js';
import { borrowNearest } from '../../src/util/nearest.js';
import { mapLimit } from '../../src/util/pool.js';
import { FNV_OFFSET, seedHash } from '../../src/util/seed-hash.js';

describe('shared helpers', () => {
    it('seedHash is 32-bit FNV-1a, and continues from an earlier state', () => {
        // Published FNV-1a test vectors.
        assert.equal(seedHash(''), FNV_OFFSET);
        assert.equal(seedHash('a'), 0xe40c292c);
        assert.equal(seedHash('foobar'), 0xbf9cf968);
        assert.equal(seedHash('bar', seedHash('foo')), seedHash('foobar'));
    });

    it('mapLimit keeps the order and never runs more than the limit at once', async () => {
        let running = 0;
        let most = 0;
        const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
            most = Math.max(most, ++running);
            await new Promise((resolve) => setTimeout(resolve, n));
            running--;
            return n * 10;
        });
        assert.deepEqual(out, [50, 10, 40, 20, 30]);
        assert.equal(most, 2);
        assert.deepEqual(await mapLimit([], 4, async () => 1), []);
    });

    it('borrowNearest fills a gap from the nearest filled item, the earlier on a tie', () => {
        assert.deepEqual(borrowNearest([null, 'a', null, null, 'b', null]), ['a', 'a', 'a', 'b', 'b', 'b']);
        assert.deepEqual(borrowNearest(['a', null, 'b']), ['a', 'a', 'b']);
        assert.equal(borrowNearest([null, undefined]), null);
    });

    it('concatFloat32 lays the arrays end to end', () => {
        assert.deepEqual(concatFloat32([Float32Array.of(1, 2), Float32Array.of(), Float32Array.of(3)]), Float32Array.of(1, 2, 3));
    });
});
