import assert from 'node:assert/strict';
import { drawFrames } from '../../src/analyze/feature-sample.js';
import { Random } from '../../src/util/random.js';

describe('drawing frames for Fig. 4', () => {
    it('takes every frame when there are no more than asked for, in video order', () => {
        assert.deepEqual(drawFrames([2, 0, 3], 10, new Random(1)), [[0, 0], [0, 1], [2, 0], [2, 1], [2, 2]]);
    });

    it('draws distinct frames that exist, the same for the same seed', () => {
        const counts = [5, 0, 17, 1, 40];
        const drawn = drawFrames(counts, 30, new Random(2));
        assert.equal(drawn.length, 30);
        assert.equal(new Set(drawn.map(([v, f]) => `${v}:${f}`)).size, 30);
        for (const [v, f] of drawn) assert.ok(f >= 0 && f < counts[v], `frame ${f} of video ${v}`);
        assert.deepEqual(drawFrames(counts, 30, new Random(2)), drawn);
        assert.notDeepEqual(drawFrames(counts, 30, new Random(3)), drawn);
    });

    it('draws each frame about equally often, so long videos give more frames', () => {
        const counts = [10, 90];
        let fromLong = 0;
        const random = new Random(4);
        for (let t = 0; t < 400; t++) fromLong += drawFrames(counts, 10, random).filter(([v]) => v === 1).length;
        // 4000 frames drawn, 90% of the pool in video 1: 3600 expected, sd ~19.
        assert.ok(Math.abs(fromLong - 3600) < 80, `${fromLong} from the long video`);
    });
});
