/**
 * Late fusion of PAM's and RAM's traits: fused = (w_pam·pam + w_ram·ram) / (w_pam + w_ram)
 * (the paper's weights: 6 and 1).
 */
export function fuse(pam: ArrayLike<number>, ram: ArrayLike<number>, weights: { pam: number; ram: number }): Float32Array {
    if (pam.length !== ram.length) throw new Error(`fusion: ${pam.length} PAM values and ${ram.length} RAM values`);
    const sum = weights.pam + weights.ram;
    if (!(sum > 0)) throw new Error(`fusion: the weights (pam ${weights.pam}, ram ${weights.ram}) must sum to more than 0`);
    const out = new Float32Array(pam.length);
    for (let i = 0; i < pam.length; i++) out[i] = (weights.pam * pam[i] + weights.ram * ram[i]) / sum;
    return out;
}
