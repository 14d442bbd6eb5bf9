/** Person-wise splits: no person on both sides, sizes as the fraction says, reproducible. */
import * as assert from 'node:assert/strict';
import { heldOutCount, holdOutPeople, peopleOf, splitByPerson } from '../../src/data/splits.js';
import { Random } from '../../src/util/random.js';

/** Ten people with two to four clips each. */
const items = Array.from({ length: 10 }, (_, p) =>
    Array.from({ length: 2 + (p % 3) }, (_, c) => ({ id: `v${p}.${c}`, person: `person${p}` }))
).flat();

describe('splits', () => {
    it('lists each person once, sorted', () => {
        assert.deepEqual(peopleOf([{ person: 'b' }, { person: 'a' }, { person: 'b' }, { person: 'C' }]), ['C', 'a', 'b']);
    });

    it('counts the people a fraction holds out', () => {
        assert.equal(heldOutCount(10, 0.2), 2);
        assert.equal(heldOutCount(10, 0.25), 3); // 2.5 rounds up
        assert.equal(heldOutCount(10, 0), 0);
        assert.equal(heldOutCount(3, 0.1), 1); // a positive fraction holds out someone
        assert.equal(heldOutCount(2, 0.9), 1); // but leaves one to train on
        assert.equal(heldOutCount(1, 0.5), 0);
        assert.equal(heldOutCount(10, 0.2, 7), 2);
        assert.equal(heldOutCount(10, 0.5, 7), 3);
        assert.throws(() => heldOutCount(10, 1), /not in \[0, 1\)/);
    });

    it('moves whole people, never splitting one', () => {
        const { kept, held } = holdOutPeople(items, 3, new Random(4));
        assert.equal(kept.length + held.length, items.length);
        assert.equal(peopleOf(held).length, 3);
        assert.equal(peopleOf(kept).length, 7);
        const heldPeople = new Set(peopleOf(held));
        assert.ok(kept.every((item) => !heldPeople.has(item.person)));
        for (const person of heldPeople) {
            assert.equal(held.filter((i) => i.person === person).length, items.filter((i) => i.person === person).length);
        }
    });

    it('depends on the seed but not on the order of the items', () => {
        const a = splitByPerson(items, 0.3, new Random(9));
        const b = splitByPerson([...items].reverse(), 0.3, new Random(9));
        assert.deepEqual(peopleOf(a.held), peopleOf(b.held));
        const others = [1, 2, 3, 5, 8].map((seed) => peopleOf(splitByPerson(items, 0.3, new Random(seed)).held).join());
        assert.ok(new Set(others).size > 1);
    });
});
