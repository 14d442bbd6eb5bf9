/**
 * Late fusion of PAM's and RAM's traits: fused = (w_pam·pam + w_ram·ram) / (w_pam + w_ram)
 * (the paper's weights: 6 and 1, "obtained by performing a grid search on a separate validation
 * set"; `fusion search` repeats that search, see fusion-search.ts).
 */
import { type FusionSpec, type FusionWeights, isFusionSearch } from '@persemon/language';

/**
 * The weights to fuse with: the spec's fixed ones, or those a search chose. A search whose weights
 * are not given is an error rather than a silent fallback to other weights.
 */
export function fusionWeights(fusion: FusionSpec, chosen?: FusionWeights): FusionWeights {
    if (chosen) return chosen;
    if (!isFusionSearch(fusion)) return fusion;
    throw new Error(`fusion: this run chooses its weights by fusion search on ${fusion.search.on.dataset}.${fusion.search.on.split}; `
        + "the weights it chose are in its report.json (fusion.pam and fusion.ram) and must be passed in");
}

export function fuse(pam: ArrayLike<number>, ram: ArrayLike<number>, fusion: FusionWeights | FusionSpec): Float32Array {
    const weights = fusionWeights(fusion);
    if (pam.length !== ram.length) throw new Error(`fusion: ${pam.length} PAM values and ${ram.length} RAM values`);
    const sum = weights.pam + weights.ram;
    if (!(sum > 0)) throw new Error(`fusion: the weights (pam ${weights.pam}, ram ${weights.ram}) must sum to more than 0`);
    const out = new Float32Array(pam.length);
    for (let i = 0; i < pam.length; i++) out[i] = (weights.pam * pam[i] + weights.ram * ram[i]) / sum;
    return out;
}
