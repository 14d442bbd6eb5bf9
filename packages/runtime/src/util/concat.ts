/** The arrays one after another in a single array (a batch of crops for one forward pass). */
export function concatFloat32(parts: readonly Float32Array[]): Float32Array {
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
        out.set(p, offset);
        offset += p.length;
    }
    return out;
}
