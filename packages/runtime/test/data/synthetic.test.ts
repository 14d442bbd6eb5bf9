/** The built-in synthetic dataset: people, expressions, rendering, domains and the DataSource. */
import * as assert from 'node:assert/strict';
import type { DatasetKind, DatasetSpec, Size } from '@persemon/language';
import { BatchSampler } from '../../src/data/sampling.js';
import { peopleOf } from '../../src/data/splits.js';
import { faceGeometry, NEUTRAL_LOOK, randomIdentity, renderFrame, type Expression } from '../../src/data/synthetic/face-renderer.js';
import { clipTrajectory, expressionStyle, makePeople } from '../../src/data/synthetic/people.js';
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

describe('synthetic people', () => {
    it('maps traits to expression statistics as documented', () => {
        // All traits 0.5: means 0; spreads 0.05 + 0.06 + 0.04 and 0.05 + 0.03 + 0.06; persistence 0.5 + 0.15.
        const middle = expressionStyle([0.5, 0.5, 0.5, 0.5, 0.5]);
        assert.deepEqual(middle.mean, [0, 0]);
        assert.ok(Math.abs(middle.spread[0] - 0.15) < 1e-12 && Math.abs(middle.spread[1] - 0.14) < 1e-12);
        assert.ok(Math.abs(middle.persistence - 0.65) < 1e-12);
        assert.ok(Math.abs(middle.jitter - 0.06) < 1e-12 && Math.abs(middle.gaze - 0.4) < 1e-12);
        // Extraversion 1: arousal mean 1.2 * 0.5, valence mean 0.2 * 0.5.
        const extravert = expressionStyle([1, 0.5, 0.5, 0.5, 0.5]);
        assert.ok(Math.abs(extravert.mean[0] - 0.6) < 1e-12 && Math.abs(extravert.mean[1] - 0.1) < 1e-12);
        // Agreeableness 1 lifts valence by 0.6; neuroticism 1 lowers it by 0.3 and adds 0.05 jitter.
        assert.ok(Math.abs(expressionStyle([0.5, 1, 0.5, 0.5, 0.5]).mean[1] - 0.6) < 1e-12);
        const neurotic = expressionStyle([0.5, 0.5, 0.5, 1, 0.5]);
        assert.ok(Math.abs(neurotic.mean[1] + 0.3) < 1e-12 && Math.abs(neurotic.jitter - 0.11) < 1e-12);
        // Conscientiousness 1: steadier and looking at the camera.
        const steady = expressionStyle([0.5, 0.5, 1, 0.5, 0.5]);
        assert.ok(Math.abs(steady.persistence - 0.8) < 1e-12 && Math.abs(steady.gaze - 0.1) < 1e-12);
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

    it('makes personality readable from a short clip', () => {
        // Over 300 people, one 24-frame clip each: traits show in the clip's expression statistics.
        const random = new Random(8);
        const people = makePeople(300, random, 'x');
        const clips = people.map((p) => clipTrajectory(p.style, 24, random));
        const trait = (i: number) => people.map((p) => p.traits[i]);
        const meanArousal = clips.map((c) => mean(c.map((e) => e.arousal)));
        const meanValence = clips.map((c) => mean(c.map((e) => e.valence)));
        const gazeMagnitude = clips.map((c) => mean(c.map((e) => Math.abs(e.gazeX))));
        assert.ok(correlation(trait(0), meanArousal) > 0.4, 'extraversion: livelier');
        assert.ok(correlation(trait(1), meanValence) > 0.4, 'agreeableness: more positive');
        assert.ok(correlation(trait(3), meanValence) < -0.2, 'neuroticism: less positive');
        assert.ok(correlation(trait(2), gazeMagnitude) < -0.4, 'conscientiousness: steady gaze');
        assert.equal(new Set(people.map((p) => p.id)).size, 300);
        assert.ok(people.every((p) => p.traits.length === 5 && p.traits.every((t) => t > 0 && t < 1)));
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
