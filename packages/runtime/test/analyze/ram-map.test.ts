import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { TRAITS, type ConsensusKind } from '@persemon/language';
import { avGrid } from '../../src/analyze/grid.js';
import { ramOverGrid } from '../../src/analyze/ram-map.js';
import { Ram } from '../../src/model/ram.js';
import { Random } from '../../src/util/random.js';

/** Known weights: fc1 [2, 3], fc2 [3, 5] and their biases. */
const W1 = [[1, -2, 0.5], [0.5, 1, -1]];
const B1 = [0.1, 0, -0.2];
const W2 = [[1, 0, -1, 0.5, 2], [-1, 1, 0, 0.25, 0], [0.5, -0.5, 1, 0, -3]];
const B2 = [0, 0.1, -0.1, 0.2, 0.3];

/** RAM's per-frame map by hand: sigmoid(relu([a, v] W1 + b1) W2 + b2). */
function byHand(a: number, v: number): number[] {
    const h = B1.map((b, j) => Math.max(0, a * W1[0][j] + v * W1[1][j] + b));
    return B2.map((b, k) => 1 / (1 + Math.exp(-(h.reduce((s, x, j) => s + x * W2[j][k], 0) + b))));
}

function ramWith(kind: ConsensusKind): Ram {
    const ram = new Ram({ enabled: true, hidden: 3, consensus: { kind, hidden: 4 } }, new Random(1));
    const set = (name: string, values: number[][] | number[]) => {
        const p = ram.params.find((q) => q.name === `ram/${name}`)!;
        p.variable.assign(tf.tensor(values.flat(), p.variable.shape));
    };
    set('fc1/weight', W1);
    set('fc1/bias', B1);
    set('fc2/weight', W2);
    set('fc2/bias', B2);
    return ram;
}

describe('RAM over the arousal-valence grid', () => {
    before(async () => {
        await tf.setBackend('cpu');
    });

    for (const kind of ['average', 'max'] as const) {
        it(`is the per-frame map 2 -> hidden ReLU -> 5 sigmoid at every grid point (${kind} consensus, K = 3)`, () => {
            const ram = ramWith(kind);
            const grid = avGrid(7);
            const values = ramOverGrid(ram, grid, 3);
            grid.arousal.forEach((a, r) => grid.valence.forEach((v, c) => {
                const expected = byHand(a, v);
                TRAITS.forEach((t, k) => {
                    const got = values[t][r * grid.valence.length + c];
                    assert.ok(Math.abs(got - expected[k]) < 1e-6, `${t} at a ${a}, v ${v}: ${got} != ${expected[k]}`);
                });
            }));
            tf.dispose(ram.params.map((p) => p.variable));
        });
    }

    it('crosses forward passes without mixing points up (a grid larger than one pass)', () => {
        const ram = ramWith('average');
        const grid = avGrid(41);
        const values = ramOverGrid(ram, grid, 2);
        // The last point, (1, 1), lies in the second pass of 1024.
        const last = 41 * 41 - 1;
        byHand(1, 1).forEach((e, k) => assert.ok(Math.abs(values[TRAITS[k]][last] - e) < 1e-6));
        byHand(-1, 1).forEach((e, k) => assert.ok(Math.abs(values[TRAITS[k]][40] - e) < 1e-6));
        tf.dispose(ram.params.map((p) => p.variable));
    });
});
