/** The built-in synthetic dataset: people, expressions, rendering, domains and the DataSource. */
import * as assert from 'node:assert/strict';
import type { DatasetKind, DatasetSpec, Size } from '@persemon/language';
import { BatchSampler } from '../../src/data/sampling.js';
import { peopleOf } from '../../src/data/splits.js';
import { faceGeometry, NEUTRAL_LOOK, randomIdentity, renderFrame, type Expression } from '../../src/data/synthetic/face-renderer.js';
import { clipLook, clipStimulus, SCREEN_GLOW, STIMULUS_SPREAD } from '../../src/data/synthetic/domain.js';
import { clipTrajectory, expressionStyle, makePeople, OWN_MOOD, TRAIT_EMOTION } from '../../src/data/synthetic/people.js';
import { SyntheticSource } from '../../src/data/synthetic/synthetic-source.js';
import { Random } from '../../src/util/random.js';

function dataset(kind: DatasetKind, overrides: Partial<NonNullable<DatasetSpec['synthetic']>> = {}, validation = 0.2): DatasetSpec {
    return {
        name: kind === 'personality' ? 'personas' : 'moods',
        kind,
        format: 'synthetic',
        path: null,
        splits: ['train', 'validation', 'test'],
        faces: { enabled: false, detector: 'ssd', align: { height: 32, width: 32 }, confidence: 0.5 },
        validation,
        synthetic: { people: 20, clips: 2, frames: 12, image: { height: 32, width: 32 }, shift: 0.5, ...overrides }
    };
}

const CALM: Expression = { arousal: 0, valence: 0, gazeX: 0, gazeY: 0 };

function mean(xs: number[]): number {
    return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function variance(xs: number[]): number {
    const m = mean(xs);
    return mean(xs.map((x) => (x - m) ** 2));
}

function correlation(xs: number[], ys: number[]): number {
    const mx = mean(xs);
    const my = mean(ys);
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    xs.forEach((x, i) => {
        sxy += (x - mx) * (ys[i] - my);
        sxx += (x - mx) ** 2;
        syy += (ys[i] - my) ** 2;
    });
    return sxy / Math.sqrt(sxx * syy);
}

/** Least squares with an intercept, solved by Gaussian elimination on the normal equations. */
function fitLinear(rows: number[][], ys: number[]): (row: number[]) => number {
    const xs = rows.map((r) => [1, ...r]);
    const n = xs[0].length;
    const m = Array.from({ length: n }, (_, i) => [
        ...Array.from({ length: n }, (_, j) => xs.reduce((s, x) => s + x[i] * x[j], 0)),
        xs.reduce((s, x, k) => s + x[i] * ys[k], 0)
    ]);
    for (let c = 0; c < n; c++) {
        const p = m.slice(c).reduce((best, row, i) => (Math.abs(row[c]) > Math.abs(m[best][c]) ? c + i : best), c);
        [m[c], m[p]] = [m[p], m[c]];
        for (let r = 0; r < n; r++) {
            if (r === c) continue;
            const f = m[r][c] / m[c][c];
            for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
        }
    }
    const w = m.map((row, i) => row[n] / row[i]);
    return (row) => [1, ...row].reduce((s, x, i) => s + x * w[i], 0);
}

function rSquared(ys: number[], predictions: number[]): number {
    const m = mean(ys);
    const residual = ys.reduce((s, y, i) => s + (y - predictions[i]) ** 2, 0);
    return 1 - residual / ys.reduce((s, y) => s + (y - m) ** 2, 0);
}

/** One 24-frame clip of each of `count` new people: traits and the clip's emotion statistics. */
function emotionStatistics(count: number, seed: number): { traits: number[][]; means: number[][]; both: number[][] } {
    const random = new Random(seed);
    const people = makePeople(count, random, 'x');
    const clips = people.map((p) => clipTrajectory(p.style, 24, random));
    const means = clips.map((c) => [mean(c.map((e) => e.arousal)), mean(c.map((e) => e.valence))]);
    const both = clips.map((c, i) => [...means[i], Math.sqrt(variance(c.map((e) => e.arousal))), Math.sqrt(variance(c.map((e) => e.valence)))]);
    return { traits: people.map((p) => p.traits), means, both };
}

const TRAIT_NAMES = ['extraversion', 'agreeableness', 'conscientiousness', 'neuroticism', 'openness'];

describe('synthetic people', () => {
    it('maps traits to expression statistics as documented', () => {
        const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual}, expected ${expected}`);
        const style = (traits: number[], own?: [number, number]) => {
            const s = expressionStyle(traits, own);
            return [...s.mean, ...s.spread, s.persistence, s.jitter, s.gaze];
        };
        const expect = (traits: number[], expected: number[], own?: [number, number]) =>
            style(traits, own).forEach((x, i) => near(x, expected[i], `${traits} [${i}]`));
        // All traits 0.5: means 0; spreads 0.06 + 0.1 * 0.5 + 0.06 * 0.5 + 0.04 * 0.5; persistence 0.5 + 0.15.
        expect([0.5, 0.5, 0.5, 0.5, 0.5], [0, 0, 0.16, 0.16, 0.65, 0.06, 0.4]);
        // One trait at 1 moves the mean by strength * 0.5 along its angle: [sin, cos] of it, as [arousal, valence].
        // Extraversion: 1.0 * 0.5 * [sin 50°, cos 50°] = [0.383022, 0.321394]; arousal livelier by 0.05.
        expect([1, 0.5, 0.5, 0.5, 0.5], [0.383022, 0.321394, 0.21, 0.16, 0.65, 0.06, 0.4]);
        // Agreeableness: 1.0 * 0.5 * [sin 15°, cos 15°] = [0.129410, 0.482963]; nothing else.
        expect([0.5, 1, 0.5, 0.5, 0.5], [0.12941, 0.482963, 0.16, 0.16, 0.65, 0.06, 0.4]);
        // Conscientiousness: 1.0 * 0.5 * [sin -15°, cos -15°] = [-0.129410, 0.482963]; steadier (0.02 less
        // spread), persistence 0.8, gaze 0.1.
        expect([0.5, 0.5, 1, 0.5, 0.5], [-0.12941, 0.482963, 0.14, 0.14, 0.8, 0.06, 0.1]);
        // Neuroticism: 1.0 * 0.5 * [sin 135°, cos 135°] = [0.353553, -0.353553]; valence unsettled by 0.05, jitter 0.11.
        expect([0.5, 0.5, 0.5, 1, 0.5], [0.353553, -0.353553, 0.16, 0.21, 0.65, 0.11, 0.4]);
        // Openness: 0.6 * 0.5 * [sin -45°, cos -45°] = [-0.212132, 0.212132]; both spreads wider by 0.03.
        expect([0.5, 0.5, 0.5, 0.5, 1], [-0.212132, 0.212132, 0.19, 0.19, 0.65, 0.06, 0.4]);
        // The person's own mood adds to the means; traits at 0 pull the other way.
        expect([0.5, 0.5, 0.5, 0.5, 0.5], [0.1, -0.2, 0.16, 0.16, 0.65, 0.06, 0.4], [0.1, -0.2]);
        expect([0, 0.5, 0.5, 0.5, 0.5], [-0.383022, -0.321394, 0.11, 0.16, 0.65, 0.06, 0.4]);
        assert.deepEqual(Object.keys(TRAIT_EMOTION), TRAIT_NAMES);
    });

    it('follows an AR(1) trajectory with the style\'s mean, spread and persistence', () => {
        const style = { mean: [0.2, -0.1] as [number, number], spread: [0.2, 0.15] as [number, number], persistence: 0.9, jitter: 0, gaze: 0.3 };
        const path = clipTrajectory(style, 20000, new Random(5));
        const a = path.map((e) => e.arousal);
        const v = path.map((e) => e.valence);
        assert.ok(Math.abs(mean(a) - 0.2) < 0.03, `mean arousal ${mean(a)}`);
        assert.ok(Math.abs(mean(v) + 0.1) < 0.03, `mean valence ${mean(v)}`);
        const sd = Math.sqrt(variance(a));
        assert.ok(Math.abs(sd - 0.2) < 0.02, `arousal spread ${sd}`);
        assert.ok(Math.abs(correlation(a.slice(1), a.slice(0, -1)) - 0.9) < 0.02);
        assert.ok(path.every((e) => Math.abs(e.arousal) <= 1 && Math.abs(e.valence) <= 1 && Math.abs(e.gazeX) <= 1));
    });

    it('leaves a trace of every trait in the emotion of a short clip', () => {
        // An oracle RAM: least squares from one 24-frame clip's emotion statistics, fitted on 2000
        // people and scored on 2000 others. Every trait is readable, none perfectly.
        const fit = emotionStatistics(2000, 8);
        const test = emotionStatistics(2000, 9);
        const scores = (features: 'means' | 'both') => TRAIT_NAMES.map((_, t) => {
            const predict = fitLinear(fit[features], fit.traits.map((x) => x[t]));
            return rSquared(test.traits.map((x) => x[t]), test[features].map(predict));
        });
        const fromMeans = scores('means');
        const fromBoth = scores('both');
        const show = (r: number[]) => r.map((x, t) => `${TRAIT_NAMES[t]} ${x.toFixed(3)}`).join(', ');
        // The means alone (a mean pooling RAM's first moment) give every trait a clear share...
        assert.ok(fromMeans.every((r) => r > 0.08), `R² from the means: ${show(fromMeans)}`);
        // ...and with the spreads every trait is clearly above 0 and below 0.7 (own mood, clip noise).
        assert.ok(fromBoth.every((r) => r > 0.25 && r < 0.7), `R² from means and spreads: ${show(fromBoth)}`);
        // The documented strengths, as in Table 4's RAM row: extraversion and neuroticism read best.
        const order = [...fromBoth.keys()].sort((a, b) => fromBoth[b] - fromBoth[a]).map((t) => TRAIT_NAMES[t]);
        assert.deepEqual(new Set(order.slice(0, 2)), new Set(['extraversion', 'neuroticism']), show(fromBoth));
        // Openness's mean pull is the weakest: it is the trait the means alone explain least.
        assert.equal(Math.min(...fromMeans), fromMeans[4], show(fromMeans));
    });

    it('pulls each trait\'s emotion the documented way', () => {
        const { traits, means, both } = emotionStatistics(1000, 10);
        const trait = (name: string) => traits.map((x) => x[TRAIT_NAMES.indexOf(name)]);
        // Each trait against the clip's mean emotion projected on the trait's direction.
        for (const name of TRAIT_NAMES) {
            const rad = (TRAIT_EMOTION[name as keyof typeof TRAIT_EMOTION].angle * Math.PI) / 180;
            const along = means.map(([a, v]) => a * Math.sin(rad) + v * Math.cos(rad));
            assert.ok(correlation(trait(name), along) > 0.2, `${name}: ${correlation(trait(name), along)}`);
        }
        // Extraversion lifts arousal and valence, neuroticism arousal but not valence.
        assert.ok(correlation(trait('extraversion'), means.map((m) => m[0])) > 0.3);
        assert.ok(correlation(trait('extraversion'), means.map((m) => m[1])) > 0.15);
        assert.ok(correlation(trait('neuroticism'), means.map((m) => m[0])) > 0.2);
        assert.ok(correlation(trait('neuroticism'), means.map((m) => m[1])) < -0.2);
        // Spreads: extraversion livens arousal, neuroticism unsettles valence, conscientiousness steadies.
        assert.ok(correlation(trait('extraversion'), both.map((s) => s[2])) > 0.2);
        assert.ok(correlation(trait('neuroticism'), both.map((s) => s[3])) > 0.2);
        assert.ok(correlation(trait('conscientiousness'), both.map((s) => s[2] + s[3])) < -0.1);
        assert.ok(correlation(trait('openness'), both.map((s) => s[2] + s[3])) > 0.1);
    });

    it('keeps the conscientious gaze on the camera, and distinct ids and traits in [0, 1]', () => {
        const random = new Random(8);
        const people = makePeople(300, random, 'x');
        const clips = people.map((p) => clipTrajectory(p.style, 24, random));
        const gazeMagnitude = clips.map((c) => mean(c.map((e) => Math.abs(e.gazeX))));
        assert.ok(correlation(people.map((p) => p.traits[2]), gazeMagnitude) < -0.4, 'conscientiousness: steady gaze');
        assert.equal(new Set(people.map((p) => p.id)).size, 300);
        assert.ok(people.every((p) => p.traits.length === 5 && p.traits.every((t) => t > 0 && t < 1)));
        // Own mood: people with the same traits still differ, by about OWN_MOOD.
        const own = people.map((p) => p.style.mean[0] - expressionStyle(p.traits).mean[0]);
        assert.ok(Math.abs(Math.sqrt(variance(own)) - OWN_MOOD) < 0.02, `own mood spread ${Math.sqrt(variance(own))}`);
    });
});

describe('synthetic face renderer', () => {
    it('puts eyes, nose and mouth where the SphereFace template has them', () => {
        // 96x112 template: eyes (30.29, 51.70), (65.53, 51.50); nose (48.03, 71.74); mouth (33.55, 92.37), (62.73, 92.20).
        const random = new Random(2);
        for (let i = 0; i < 20; i++) {
            const g = faceGeometry(randomIdentity(random), CALM, NEUTRAL_LOOK, { height: 112, width: 96 }, 'aligned');
            const near = (p: { x: number; y: number }, x: number, y: number, tolerance: number) =>
                assert.ok(Math.hypot(p.x - x, p.y - y) < tolerance, `(${p.x}, ${p.y}) is not within ${tolerance} px of (${x}, ${y})`);
            near(g.eyes[0], 30.29, 51.7, 0.5);
            near(g.eyes[1], 65.53, 51.5, 0.5);
            near(g.nose, 48.03, 71.74, 2.5);
            near(g.mouth[0], 33.55, 92.37, 4);
            near(g.mouth[1], 62.73, 92.2, 4);
        }
    });

    it('lifts the mouth corners with valence', () => {
        // 0.12 face units per unit of valence, 35.2 px per face unit at 96x112: 2 x 0.12 x 35.2 = 8.4 px.
        const id = randomIdentity(new Random(4));
        const size = { height: 112, width: 96 };
        const smile = faceGeometry(id, { ...CALM, valence: 1 }, NEUTRAL_LOOK, size, 'aligned');
        const frown = faceGeometry(id, { ...CALM, valence: -1 }, NEUTRAL_LOOK, size, 'aligned');
        assert.ok(Math.abs(frown.mouth[0].y - smile.mouth[0].y - 8.448) < 0.01);
    });

    it('changes only the face with the expression, and draws the same frame the same way twice', () => {
        const random = new Random(6);
        const [a, b] = [randomIdentity(random), randomIdentity(random)];
        const size: Size = { height: 64, width: 64 };
        const render = (e: Expression) => renderFrame(a, e, NEUTRAL_LOOK, size, 'aligned', 1);
        const calm = render(CALM);
        renderFrame(b, CALM, NEUTRAL_LOOK, size, 'aligned', 1);
        assert.deepEqual(render(CALM), calm);
        const excited = render({ arousal: 1, valence: 1, gazeX: 0, gazeY: 0 });
        const g = faceGeometry(a, CALM, NEUTRAL_LOOK, size, 'aligned');
        const changed = (x0: number, y0: number, x1: number, y1: number) => {
            let sum = 0;
            for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
                for (let x = Math.floor(x0); x < Math.ceil(x1); x++) sum += Math.abs(calm[(y * 64 + x) * 4] - excited[(y * 64 + x) * 4]);
            }
            return sum / ((Math.ceil(x1) - Math.floor(x0)) * (Math.ceil(y1) - Math.floor(y0)));
        };
        assert.ok(changed(g.mouth[0].x, g.mouth[0].y - 6, g.mouth[1].x, g.mouth[1].y + 6) > 20, 'the mouth moves');
        assert.ok(changed(g.eyes[0].x - 5, g.eyes[0].y - 12, g.eyes[0].x + 5, g.eyes[0].y + 4) > 10, 'eye and brow move');
        assert.equal(changed(0, 0, 64, 6), 0, 'the background above the head does not');
    });
});

describe('SyntheticSource', () => {
    it('splits people into train, validation and test by the validation fraction', () => {
        const source = new SyntheticSource(dataset('personality'), 1);
        assert.deepEqual(source.splits(), ['train', 'validation', 'test']);
        const people = source.splits().map((s) => peopleOf(source.videos(s)));
        assert.deepEqual(people.map((p) => p.length), [12, 4, 4]);
        assert.equal(new Set(people.flat()).size, 20);
        assert.equal(source.splits().flatMap((s) => source.videos(s)).length, 40);
        assert.deepEqual(new SyntheticSource(dataset('personality', {}, 0), 1).splits(), ['train']);
        assert.throws(() => new SyntheticSource(dataset('personality', {}, 0), 1).videos('test'), /personas has no split 'test' \(it has train\)/);
    });

    it('labels personality videos with traits and emotion videos per frame', () => {
        const personas = new SyntheticSource(dataset('personality'), 1).videos('train');
        assert.ok(personas.every((v) => v.traits?.length === 5 && !v.emotion && v.frameCount === 12));
        assert.match(personas[0].id, /^personas-\d\d\.00[01]$/);
        const moods = new SyntheticSource(dataset('emotion'), 1).videos('train');
        assert.ok(moods.every((v) => !v.traits && v.emotion?.length === 12));
        assert.ok(moods.every((v) => v.emotion!.every((l) => l !== null && Math.abs(l[0]) <= 1 && Math.abs(l[1]) <= 1)));
        // Clips of one person share traits; people differ.
        assert.deepEqual(personas[0].traits, personas[1].traits);
        assert.notDeepEqual(personas[0].traits, personas[2].traits);
    });

    it('is deterministic from the seed', async () => {
        const a = new SyntheticSource(dataset('emotion'), 3);
        const b = new SyntheticSource(dataset('emotion'), 3);
        const c = new SyntheticSource(dataset('emotion'), 4);
        assert.deepEqual(a.videos('train'), b.videos('train'));
        assert.notDeepEqual(a.videos('train'), c.videos('train'));
        const size = { height: 16, width: 16 };
        const video = a.videos('test')[0];
        assert.deepEqual(await a.frames(video, [3, 0], size), await b.frames(b.videos('test')[0], [3, 0], size));
    });

    it('renders crops at the requested size in SphereFace\'s range', async () => {
        const source = new SyntheticSource(dataset('personality', { image: { height: 40, width: 40 } }), 1);
        const video = source.videos('train')[0];
        const crops = await source.frames(video, [0, 11], { height: 112, width: 96 });
        for (const crop of crops) {
            assert.ok(crop);
            assert.equal(crop.data.length, 112 * 96 * 3);
            assert.ok(crop.data.every((x) => x >= -127.5 / 128 && x <= 127.5 / 128));
        }
        assert.equal(source.counts().read, 2);
        await assert.rejects(source.frames(video, [12], { height: 8, width: 8 }), new RegExp(`${video.id.replace('.', '\\.')} has no frame 12 \\(it has 12\\)`));
    });

    it('shows a domain shift a discriminator can see at shift 1 and hardly at 0', () => {
        // The colour of the image around the face, per clip, as a crude domain discriminator sees it.
        const separation = (shift: number) => {
            const stats = (['personality', 'emotion'] as const).map((kind) => {
                const source = new SyntheticSource(dataset(kind, { shift, people: 16 }), 1);
                return source.videos('train').map((v) => {
                    const px = source.render(v.id, 0, { height: 32, width: 32 }, 'aligned');
                    return mean([0, 1, 2, 31 * 32, 31 * 32 + 31].map((p) => (px[p * 4] + px[p * 4 + 1] + px[p * 4 + 2]) / 3));
                });
            });
            const spread = Math.sqrt((variance(stats[0]) + variance(stats[1])) / 2);
            return Math.abs(mean(stats[0]) - mean(stats[1])) / spread;
        };
        assert.ok(separation(1) > 5, `shift 1 separates by ${separation(1)} standard deviations`);
        assert.ok(separation(0) < 1, `shift 0 separates by ${separation(0)} standard deviations`);
    });

    it('gives emotion clips a stimulus, and personality clips none', () => {
        const random = new Random(12);
        assert.deepEqual(clipStimulus('personality', random), [0, 0]);
        const draws = Array.from({ length: 4000 }, () => clipStimulus('emotion', random));
        for (const axis of [0, 1]) {
            const sd = Math.sqrt(variance(draws.map((d) => d[axis])));
            assert.ok(Math.abs(sd - STIMULUS_SPREAD) < 0.015, `stimulus spread ${sd}`);
        }
        // The clips of one person differ by their stimuli: the variance of a clip's mean label between
        // clips of a person is about 2 x 0.25² x 1/2 (half the squared difference of two clips), not
        // the little the AR(1) motion over 24 frames leaves.
        const source = new SyntheticSource(dataset('emotion', { people: 200, clips: 2, frames: 24 }, 0.1), 1);
        const videos = source.splits().flatMap((s) => source.videos(s));
        const byPerson = new Map<string, number[]>();
        for (const v of videos) byPerson.set(v.person, [...(byPerson.get(v.person) ?? []), mean(v.emotion!.map((l) => l![0]))]);
        const within = mean([...byPerson.values()].map(([a, b]) => (a - b) ** 2 / 2));
        assert.ok(within > 0.04 && within < 0.09, `between-clip variance of a person's mean arousal ${within}`);
    });

    it('lights emotion clips by their stimulus\'s arousal, by the shift', () => {
        // Stimulus arousal 0.5 at shift 1 adds 0.5 x SCREEN_GLOW to the brightness; the same draws give the same wobble.
        const look = (kind: 'personality' | 'emotion', shift: number, stimulus: [number, number]) => clipLook(kind, shift, new Random(3), stimulus).brightness;
        assert.ok(Math.abs(look('emotion', 1, [0.5, 0]) - look('emotion', 1, [0, 0]) - 0.5 * SCREEN_GLOW) < 1e-9);
        assert.ok(Math.abs(look('emotion', 0.5, [0.5, -0.3]) - look('emotion', 0.5, [0, 0]) - 0.25 * SCREEN_GLOW) < 1e-9);
        assert.equal(look('personality', 1, [0.5, 0]), look('personality', 1, [0, 0]));
        assert.equal(look('emotion', 0, [0.5, 0]), look('emotion', 0, [0, 0]));
        // In rendered clips: the background's brightness follows the clip's mean arousal label at shift 1, not at 0.
        const follows = (shift: number) => {
            const source = new SyntheticSource(dataset('emotion', { shift, people: 60, clips: 2, frames: 8 }), 1);
            const videos = source.splits().flatMap((s) => source.videos(s));
            const light = videos.map((v) => {
                const px = source.render(v.id, 0, { height: 32, width: 32 }, 'aligned');
                return mean([0, 1, 2, 31 * 32, 31 * 32 + 31].map((p) => (px[p * 4] + px[p * 4 + 1] + px[p * 4 + 2]) / 3));
            });
            return correlation(light, videos.map((v) => mean(v.emotion!.map((l) => l![0]))));
        };
        assert.ok(follows(1) > 0.3, `shift 1: brightness against arousal ${follows(1)}`);
        assert.ok(Math.abs(follows(0)) < 0.2, `shift 0: brightness against arousal ${follows(0)}`);
    });

    it('feeds the batch sampler', async () => {
        const size = { height: 24, width: 20 };
        const sampler = new BatchSampler({
            personality: new SyntheticSource(dataset('personality'), 1),
            emotion: new SyntheticSource(dataset('emotion'), 1),
            sampling: { segments: 4, personalityVideos: 3, emotionFrames: 8, microBatch: 'auto' },
            size,
            seed: 1
        });
        const batch = await sampler.next();
        assert.equal(batch.personality!.images.length, 3 * 4 * 24 * 20 * 3);
        assert.equal(batch.emotion!.images.length, 8 * 24 * 20 * 3);
        assert.ok(batch.emotion!.labels.every((x) => Math.abs(x) <= 1));
        assert.ok(batch.personality!.labels.every((x) => x >= 0 && x <= 1));
    });
});
