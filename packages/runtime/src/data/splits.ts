/**
 * Person-wise splits: a held-out set never shares a person with the set it was taken from, so a
 * model is scored on faces it has never seen.
 */
import type { Random } from '../util/random.js';

export interface HasPerson {
    person: string;
}

/** The distinct people of `items`, sorted, so the result does not depend on the items' order. */
export function peopleOf(items: readonly HasPerson[]): string[] {
    return [...new Set(items.map((item) => item.person))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * How many of `people` a fraction holds out: rounded, at least one when the fraction is positive,
 * and never so many that fewer than `keep` people remain.
 */
export function heldOutCount(people: number, fraction: number, keep = 1): number {
    if (!(fraction >= 0 && fraction < 1)) throw new Error(`held-out fraction ${fraction} is not in [0, 1)`);
    if (fraction === 0) return 0;
    const wanted = Math.max(1, Math.round(people * fraction));
    return Math.max(0, Math.min(wanted, people - keep));
}

/** Moves `count` people, chosen by a seeded shuffle, with all their items, from `kept` to `held`. */
export function holdOutPeople<T extends HasPerson>(
    items: readonly T[],
    count: number,
    random: Random
): { kept: T[]; held: T[] } {
    const chosen = new Set(random.shuffle(peopleOf(items)).slice(0, count));
    const kept: T[] = [];
    const held: T[] = [];
    for (const item of items) (chosen.has(item.person) ? held : kept).push(item);
    return { kept, held };
}

/** Holds out `fraction` of the people of `items` (a dataset's `validation` fraction of `train`). */
export function splitByPerson<T extends HasPerson>(
    items: readonly T[],
    fraction: number,
    random: Random
): { kept: T[]; held: T[] } {
    return holdOutPeople(items, heldOutCount(peopleOf(items).length, fraction), random);
}
