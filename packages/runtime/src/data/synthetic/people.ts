/**
 * Synthetic people: Big Five traits that shape how their expression moves over a clip, so
 * personality can be read from a few sampled frames and, through arousal and valence, by RAM.
 * Every trait leaves a trace in the arousal and valence of a person's frames, some stronger than
 * others (expressionStyle); no trait is readable from emotion alone without error.
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
const C = ORDER.indexOf('conscientiousness');
const N = ORDER.indexOf('neuroticism');
const O = ORDER.indexOf('openness');

/**
 * Where each trait pulls a person's mean emotion, as an angle on Russell's circumplex (degrees from
 * pleasant, the +valence axis, towards activated, the +arousal axis), and how hard (mean shift per
 * unit of trait). The layout follows what the paper's section 4.5 reports of Fig. 3: agreeableness
 * and conscientiousness lie near each other, extraversion close to agreeableness, neuroticism far
 * from openness. So extraversion is pleasant and activated (50°), agreeableness pleasant (15°),
 * conscientiousness pleasant and composed (-15°), neuroticism unpleasant and tense (135°) and
 * openness opposite it, pleasant and relaxed (-45°). The strengths are set so that a linear read-out
 * of a 24-frame clip's emotion means and spreads (the test's oracle RAM) explains each trait in about
 * the proportions of RAM's R² in the paper's Table 4 (extraversion 0.449, agreeableness 0.264,
 * conscientiousness 0.349, neuroticism 0.442, openness 0.364): extraversion and neuroticism most,
 * the others less. Openness needs the least pull because its spread already tells of it. The angles
 * and strengths are this generator's choice within those relations, not figures the paper gives.
 */
export const TRAIT_EMOTION: Record<(typeof ORDER)[number], { angle: number; strength: number }> = {
    extraversion: { angle: 50, strength: 1.0 },
    agreeableness: { angle: 15, strength: 1.0 },
    conscientiousness: { angle: -15, strength: 1.0 },
    neuroticism: { angle: 135, strength: 1.0 },
    openness: { angle: -45, strength: 0.6 }
};

/** Standard deviation of each person's own mood, arousal and valence, that no trait explains. */
export const OWN_MOOD = 0.1;

/**
 * Traits to expression statistics. Means: each trait pulls the mean emotion along its direction
 * (TRAIT_EMOTION), plus the person's own mood. Spreads, over the frames of a clip: extraversion
 * livens arousal, neuroticism (emotional instability) unsettles valence, openness widens both, and
 * conscientiousness steadies both. Conscientiousness also slows the changes (persistence) and
 * holds the eyes on the camera; neuroticism adds tremor.
 */
export function expressionStyle(traits: number[], ownMood: [number, number] = [0, 0]): ExpressionStyle {
    const t = (i: number) => traits[i] - 0.5;
    const mean: [number, number] = [ownMood[0], ownMood[1]];
    ORDER.forEach((name, i) => {
        const { angle, strength } = TRAIT_EMOTION[name];
        const rad = (angle * Math.PI) / 180;
        mean[0] += strength * t(i) * Math.sin(rad);
        mean[1] += strength * t(i) * Math.cos(rad);
    });
    const steady = 0.04 * (1 - traits[C]);
    return {
        mean,
        spread: [0.06 + 0.1 * traits[E] + 0.06 * traits[O] + steady, 0.06 + 0.1 * traits[N] + 0.06 * traits[O] + steady],
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
        const identity = randomIdentity(random);
        const ownMood: [number, number] = [OWN_MOOD * random.normal(), OWN_MOOD * random.normal()];
        return {
            id: `${prefix}${String(i).padStart(digits, '0')}`,
            traits,
            identity,
            style: expressionStyle(traits, ownMood)
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
