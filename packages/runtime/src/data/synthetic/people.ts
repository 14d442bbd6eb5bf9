/**
 * Synthetic people: Big Five traits that shape how their expression moves over a clip, so
 * personality can be read from a few sampled frames and, through arousal and valence, by RAM.
 */
import type { TRAITS } from '@persemon/language';
import { Random } from '../../util/random.js';
import { randomIdentity, type Expression, type Identity } from './face-renderer.js';

export interface Person {
    id: string;
    /** Big Five in [0, 1], in TRAITS order. */
    traits: number[];
    identity: Identity;
    style: ExpressionStyle;
}

/** The statistics of a person's expression over time. */
export interface ExpressionStyle {
    /** Mean and standard deviation of arousal and valence. */
    mean: [number, number];
    spread: [number, number];
    /** AR(1) coefficient per frame: near 1 is steady, lower is changeable. */
    persistence: number;
    /** Frame-to-frame tremor added on top of the smooth trajectory. */
    jitter: number;
    /** Standard deviation of the gaze: how much the eyes wander from the camera. */
    gaze: number;
}

/**
 * The JobSpec's trait order, checked against it at compile time: a type-only import keeps the
 * language package (and its language server) out of the training process.
 */
const ORDER = ['extraversion', 'agreeableness', 'conscientiousness', 'neuroticism', 'openness'] as const satisfies typeof TRAITS;
const E = ORDER.indexOf('extraversion');
const A = ORDER.indexOf('agreeableness');
const C = ORDER.indexOf('conscientiousness');
const N = ORDER.indexOf('neuroticism');
const O = ORDER.indexOf('openness');

/**
 * Traits to expression statistics. Extraversion: livelier (higher, more varied arousal);
 * agreeableness: more positive; neuroticism: less positive, tenser, jittery; openness: a wider
 * range; conscientiousness: steadier, with the eyes held on the camera.
 */
export function expressionStyle(traits: number[]): ExpressionStyle {
    const t = (i: number) => traits[i] - 0.5;
    // Trait effects on the means are large against the spread, and frames decorrelate quickly, so
    // the few frames K segments give carry the person's statistics (the quickstart learns them).
    return {
        mean: [1.2 * t(E) + 0.3 * t(N), 1.2 * t(A) - 0.6 * t(N) + 0.2 * t(E)],
        spread: [0.05 + 0.12 * traits[E] + 0.08 * traits[O], 0.05 + 0.06 * traits[E] + 0.12 * traits[O]],
        persistence: 0.5 + 0.3 * traits[C],
        jitter: 0.01 + 0.1 * traits[N],
        gaze: 0.1 + 0.6 * (1 - traits[C])
    };
}

/** Traits spread around the middle, as rated personality is, but covering most of [0, 1]. */
function randomTraits(random: Random): number[] {
    return ORDER.map(() => Math.min(0.98, Math.max(0.02, 0.5 + 0.2 * random.normal())));
}

export function makePeople(count: number, random: Random, prefix: string): Person[] {
    const digits = String(Math.max(count - 1, 0)).length;
    return Array.from({ length: count }, (_, i) => {
        const traits = randomTraits(random);
        return {
            id: `${prefix}${String(i).padStart(digits, '0')}`,
            traits,
            identity: randomIdentity(random),
            style: expressionStyle(traits)
        };
    });
}

/**
 * One clip's expression per frame: arousal and valence follow an AR(1) process around the
 * person's means (started from its stationary distribution), plus tremor, clipped to [-1, 1].
 */
export function clipTrajectory(style: ExpressionStyle, frames: number, random: Random): Expression[] {
    const phi = style.persistence;
    const kick = Math.sqrt(1 - phi * phi);
    const gazePhi = 0.8;
    const gazeKick = Math.sqrt(1 - gazePhi * gazePhi);
    let a = style.mean[0] + style.spread[0] * random.normal();
    let v = style.mean[1] + style.spread[1] * random.normal();
    let gx = style.gaze * random.normal();
    let gy = style.gaze * random.normal();
    const out: Expression[] = [];
    for (let f = 0; f < frames; f++) {
        if (f > 0) {
            a = style.mean[0] + phi * (a - style.mean[0]) + style.spread[0] * kick * random.normal();
            v = style.mean[1] + phi * (v - style.mean[1]) + style.spread[1] * kick * random.normal();
            gx = gazePhi * gx + style.gaze * gazeKick * random.normal();
            gy = gazePhi * gy + style.gaze * gazeKick * random.normal();
        }
        out.push({
            arousal: clip(a + style.jitter * random.normal()),
            valence: clip(v + style.jitter * random.normal()),
            gazeX: clip(gx),
            gazeY: clip(gy)
        });
    }
    return out;
}

function clip(x: number): number {
    return Math.min(1, Math.max(-1, x));
}
