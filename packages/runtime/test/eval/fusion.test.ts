import assert from 'node:assert/strict';
import { fuse } from '../../src/eval/fusion.js';

describe('late fusion', () => {
    it('weights PAM and RAM (paper: 6 and 1)', () => {
        // (6·0.5 + 1·0.85)/7 = 0.55; (6·0.7 + 1·0)/7 = 0.6.
        const fused = fuse([0.5, 0.7], [0.85, 0], { pam: 6, ram: 1 });
        assert.ok(Math.abs(fused[0] - 0.55) < 1e-7 && Math.abs(fused[1] - 0.6) < 1e-7);
        assert.deepEqual([...fuse([0.5], [0.25], { pam: 0, ram: 2 })], [0.25]);
        assert.throws(() => fuse([1], [1], { pam: 0, ram: 0 }), /must sum to more than 0/);
        assert.throws(() => fuse([1, 2], [1], { pam: 1, ram: 1 }), /2 PAM values and 1 RAM values/);
    });
});
