/**
 * FNV-1a (32 bits): turns a run's seed and a name into the seed of one named stream, so that each
 * dataset, module or synthetic person draws on its own and adding one leaves the others' draws alone.
 */

/** FNV-1a's offset basis: the state before any character. */
export const FNV_OFFSET = 0x811c9dc5;

/**
 * The hash of `text`, unsigned; `state` continues from an earlier hash (or a basis mixed with a seed).
 * Each character counts by its first UTF-16 unit, as the seeds of existing runs were made.
 */
export function seedHash(text: string, state: number = FNV_OFFSET): number {
    let h = state;
    for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    return h >>> 0;
}
