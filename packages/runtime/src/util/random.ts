/**
 * A small seeded generator whose whole state is one number pair, so a checkpoint can store it and a
 * resumed run draws exactly what the uninterrupted run would have drawn.
 */
export interface RandomState {
    a: number;
    b: number;
}

/** xorshift-style 64-bit state in two 32-bit halves (splitmix32 seeding). */
export class Random {
    private a: number;
    private b: number;

    constructor(seed: number) {
        this.a = splitmix(seed >>> 0);
        this.b = splitmix(this.a ^ 0x9e3779b9);
        if (this.a === 0 && this.b === 0) this.b = 1;
    }

    static fromState(state: RandomState): Random {
        const r = new Random(0);
        r.a = state.a;
        r.b = state.b;
        return r;
    }

    state(): RandomState {
        return { a: this.a, b: this.b };
    }

    /** A child generator whose draws do not disturb this one's sequence beyond one draw. */
    fork(): Random {
        return new Random(this.uint32());
    }

    uint32(): number {
        // xorshift64 on (a, b) pairs, as in Marsaglia's xorshift family.
        let s1 = this.a;
        const s0 = this.b;
        this.a = s0;
        s1 ^= s1 << 23;
        s1 ^= s1 >>> 17;
        s1 ^= s0;
        s1 ^= s0 >>> 26;
        this.b = s1 >>> 0;
        return (this.a + this.b) >>> 0;
    }

    /** Uniform in [0, 1). */
    next(): number {
        return this.uint32() / 4294967296;
    }

    /** Integer in [lo, hi). */
    int(lo: number, hi: number): number {
        return lo + Math.floor(this.next() * (hi - lo));
    }

    /** Standard normal (Box-Muller). */
    normal(): number {
        const u = 1 - this.next();
        const v = this.next();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Fisher-Yates shuffle in place. */
    shuffle<T>(items: T[]): T[] {
        for (let i = items.length - 1; i > 0; i--) {
            const j = this.int(0, i + 1);
            [items[i], items[j]] = [items[j], items[i]];
        }
        return items;
    }
}

function splitmix(x: number): number {
    x = (x + 0x9e3779b9) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
    return (x ^ (x >>> 16)) >>> 0;
}
