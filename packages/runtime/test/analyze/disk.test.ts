import assert from 'node:assert/strict';
import { traitDisk } from '../../src/analyze/disk.js';
import { avGrid, gridInputs } from '../../src/analyze/grid.js';

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} != ${expected}`);

describe('the arousal-valence grid', () => {
    it('spans [-1, 1] evenly on both axes, arousal in rows and valence in columns', () => {
        const grid = avGrid(5);
        assert.deepEqual(grid.arousal, [-1, -0.5, 0, 0.5, 1]);
        assert.deepEqual(grid.valence, [-1, -0.5, 0, 0.5, 1]);
        assert.equal(avGrid().arousal.length, 41);
        assert.equal(avGrid().arousal[21], 0.05);
        const inputs = gridInputs(grid);
        // Point r·5 + c is [arousal[r], valence[c]]: point 7 is row 1, column 2.
        assert.deepEqual([inputs[14], inputs[15]], [-0.5, 0]);
        assert.equal(inputs.length, 50);
    });

    it('refuses a grid of fewer than two points per axis', () => {
        assert.throws(() => avGrid(1), /grid size/);
    });
});

describe('a trait\'s disk', () => {
    const grid = avGrid(5);
    // Background 0.1; the three highest (ceil(25/10) = 3) near the top right corner.
    const at = (a: number, v: number) => grid.arousal.indexOf(a) * 5 + grid.valence.indexOf(v);

    it('is the output-weighted mean and sd of (arousal, valence) over the top decile', () => {
        const values = new Float32Array(25).fill(0.1);
        values[at(1, 1)] = 0.9;
        values[at(1, 0.5)] = 0.6;
        values[at(0.5, 1)] = 0.3;
        const disk = traitDisk(grid, values);
        // By hand: weights 0.9, 0.6, 0.3 (sum 1.8) on (a, v) = (1, 1), (1, 0.5), (0.5, 1).
        // centre a = (0.9 + 0.6 + 0.15) / 1.8 = 0.916667; v = (0.9 + 0.3 + 0.3) / 1.8 = 0.833333
        close(disk.centre.arousal, 1.65 / 1.8, 'centre arousal');
        close(disk.centre.valence, 1.5 / 1.8, 'centre valence');
        // var a = (0.9·(1/12)² + 0.6·(1/12)² + 0.3·(5/12)²) / 1.8 = 0.0625 / 1.8
        // var v = (0.9·(1/6)² + 0.3·(1/6)² + 0.6·(1/3)²) / 1.8 = 0.1 / 1.8
        close(disk.sd.arousal, Math.sqrt(0.0625 / 1.8), 'sd arousal');
        close(disk.sd.valence, Math.sqrt(0.1 / 1.8), 'sd valence');
        close(disk.radius, Math.sqrt(0.1625 / 1.8), 'radius');
        assert.equal(disk.points, 3);
        close(disk.threshold, 0.3, 'threshold');
    });

    it('takes in every point tied with the lowest of the top decile', () => {
        const values = new Float32Array(25).fill(0.1);
        values[at(-1, -1)] = 0.8;
        values[at(-1, 1)] = 0.5;
        values[at(1, -1)] = 0.5;
        values[at(1, 1)] = 0.5;
        const disk = traitDisk(grid, values);
        assert.equal(disk.points, 4);
        // Weights 0.8, 0.5, 0.5, 0.5 (sum 2.3): a = (-0.8 - 0.5 + 0.5 + 0.5) / 2.3, v = (-0.8 + 0.5 - 0.5 + 0.5) / 2.3.
        close(disk.centre.arousal, -0.3 / 2.3, 'centre arousal');
        close(disk.centre.valence, -0.3 / 2.3, 'centre valence');
    });

    it('puts a single peak at its own point with no spread', () => {
        const values = Float32Array.from({ length: 25 }, (_, i) => (i === at(0.5, -0.5) ? 0.7 : 0.2 + i * 0.001));
        const disk = traitDisk(avGrid(5), values, 1 / 25);
        assert.deepEqual(disk.centre, { arousal: 0.5, valence: -0.5 });
        assert.deepEqual(disk.sd, { arousal: 0, valence: 0 });
    });

    it('refuses values that do not fit the grid', () => {
        assert.throws(() => traitDisk(grid, new Float32Array(24)), /24 values for a grid of 25/);
    });
});
