/**
 * What differs between the two synthetic datasets besides their labels, after the paper's section
 * 3.3: "people may appear in various scales and poses under different illumination conditions for
 * different datasets. Besides, each dataset may exhibit different statistical distributions".
 *
 * The look. At shift 0 both kinds share one neutral look; as the shift grows, the personality set
 * moves towards warm, bright, side-lit studio footage and the emotion set towards dim, bluish, noisy,
 * slightly misframed footage, so a domain discriminator can tell them apart. Every clip also varies a
 * little around its domain's look, identically for both kinds.
 *
 * The emotion. Personality clips show people speaking to the camera (as ChaLearn's do): their
 * emotion is their own disposition. Emotion clips show people reacting to something they watch (as
 * Aff-Wild's do): each clip adds a stimulus, a shift of arousal and valence for the whole clip, so
 * the emotion set covers more of the plane. The screen that shows the stimulus also lights the face:
 * in the emotion set alone a clip is brighter the more arousing its stimulus (by the shift), a cue
 * to arousal that does not carry over to the personality set, where the light is the studio's.
 */
import type { DatasetKind } from '@persemon/language';
import type { Random } from '../../util/random.js';
import { mix, NEUTRAL_LOOK, type Look, type RGB } from './face-renderer.js';

const EXTREMES: Record<DatasetKind, Look> = {
    personality: {
        backgroundTop: [215, 190, 150],
        backgroundBottom: [170, 140, 105],
        light: [-1.0, -0.7],
        contrast: 0.7,
        cast: [1.08, 1.0, 0.9],
        brightness: 8,
        noise: 1,
        scale: 1.05,
        offset: [0, -0.04]
    },
    emotion: {
        backgroundTop: [40, 75, 90],
        backgroundBottom: [20, 40, 50],
        light: [1.0, -0.1],
        contrast: 0.35,
        cast: [0.92, 0.98, 1.08],
        brightness: -12,
        noise: 5,
        scale: 0.92,
        offset: [0.04, 0.06]
    }
};

/** Standard deviation of an emotion clip's stimulus, arousal and valence. */
export const STIMULUS_SPREAD = 0.25;
/** Brightness added per unit of stimulus arousal in the emotion set at shift 1 (0..255 units). */
export const SCREEN_GLOW = 40;

/** The shift of arousal and valence a clip's stimulus adds: none in a personality set. */
export function clipStimulus(kind: DatasetKind, random: Random): [number, number] {
    return kind === 'emotion' ? [STIMULUS_SPREAD * random.normal(), STIMULUS_SPREAD * random.normal()] : [0, 0];
}

/** A clip's look; `stimulus` (clipStimulus) lights an emotion clip's face. */
export function clipLook(kind: DatasetKind, shift: number, random: Random, stimulus: [number, number] = [0, 0]): Look {
    if (!(shift >= 0 && shift <= 1)) throw new Error(`synthetic shift ${shift} is not in [0, 1]`);
    const base = EXTREMES[kind];
    const lerp = (a: number, b: number) => a + (b - a) * shift;
    const wobble = (amount: number) => amount * (2 * random.next() - 1);
    const tint = wobble(12);
    return {
        backgroundTop: mix(NEUTRAL_LOOK.backgroundTop, base.backgroundTop, shift).map((c) => c + tint) as RGB,
        backgroundBottom: mix(NEUTRAL_LOOK.backgroundBottom, base.backgroundBottom, shift).map((c) => c + tint) as RGB,
        light: [lerp(NEUTRAL_LOOK.light[0], base.light[0]) + wobble(0.2), lerp(NEUTRAL_LOOK.light[1], base.light[1]) + wobble(0.2)],
        contrast: lerp(NEUTRAL_LOOK.contrast, base.contrast),
        cast: mix(NEUTRAL_LOOK.cast, base.cast, shift),
        brightness: lerp(NEUTRAL_LOOK.brightness, base.brightness) + wobble(6) + (kind === 'emotion' ? shift * SCREEN_GLOW * stimulus[0] : 0),
        noise: lerp(NEUTRAL_LOOK.noise, base.noise),
        scale: lerp(NEUTRAL_LOOK.scale, base.scale) + wobble(0.02),
        offset: [
            lerp(NEUTRAL_LOOK.offset[0], base.offset[0]) + wobble(0.02),
            lerp(NEUTRAL_LOOK.offset[1], base.offset[1]) + wobble(0.02)
        ]
    };
}
