/** Segment sampling (paper section 3.2) and the training batch sampler. */
import * as assert from 'node:assert/strict';
import type { DatasetKind, SamplingSpec, Size } from '@persemon/language';
import { BatchSampler, sampleSegments, segmentBounds, type Batch } from '../../src/data/sampling.js';
import type { DataCounts, DataSource, FaceCrop, VideoItem } from '../../src/data/source.js';
import { Random } from '../../src/util/random.js';

const SIZE: Size = { height: 2, width: 1 };

/**
 * A dataset whose crops say where they came from: every value of the crop of frame f of video v is
 * v * 1000 + f. Frames listed in `faceless` have no face.
 */
class FakeSource implements DataSource {
    readonly reads: Array<{ video: string; indices: number[] }> = [];

    constructor(
        readonly name: string,
        readonly kind: DatasetKind,
        private readonly items: VideoItem[],
        private readonly faceless = new Set<string>()
    ) {}

    splits(): string[] {
        return ['train'];
    }

    videos(split: string): VideoItem[] {
        assert.equal(split, 'train');
        return this.items;
    }

    async frames(video: VideoItem, indices: number[], size: Size): Promise<Array<FaceCrop | null>> {
        this.reads.push({ video: video.id, indices: [...indices] });
        const v = this.items.indexOf(video);
        return indices.map((f) =>
            this.faceless.has(`${video.id}#${f}`)
                ? null
                : { data: new Float32Array(size.height * size.width * 3).fill(v * 1000 + f), height: size.height, width: size.width }
        );
    }

    problems() {
        return [];
    }

    counts(): DataCounts {
        return { items: this.items.length, read: 0, skipped: 0, facesNotFound: 0, reasons: {} };
    }
}

function personalityVideos(count: number, frames: number): VideoItem[] {
    return Array.from({ length: count }, (_, v) => ({
        id: `p${v}`,
        person: `person${v}`,
        frameCount: frames,
        traits: [v / 10, 0.1, 0.2, 0.3, 0.4]
    }));
}

/** Video v has frames 0..3 labelled [v, f / 10], except frame 2 of video 1, which has no label. */
function emotionVideos(count: number): VideoItem[] {
    return Array.from({ length: count }, (_, v) => ({
        id: `e${v}`,
        person: `person${v}`,
        frameCount: 4,
        emotion: Array.from({ length: 4 }, (_, f) => (v === 1 && f === 2 ? null : ([v / 10, f / 10] as [number, number])))
    }));
}

function spec(segments: number, personalityVideos: number, emotionFrames: number): SamplingSpec {
    return { segments, personalityVideos, emotionFrames, microBatch: 'auto' };
}

/** The (video, frame) a crop of the fake source encodes. */
function decode(value: number): [number, number] {
    return [Math.floor(value / 1000), value % 1000];
}

describe('segment sampling', () => {
    it('cuts a video into K equal segments', () => {
        for (let k = 0; k < 10; k++) assert.deepEqual(segmentBounds(100, 10, k), [10 * k, 10 * k + 10]);
        // 10 frames in 3 segments: floor(10 / 3) = 3 and floor(20 / 3) = 6.
        assert.deepEqual([0, 1, 2].map((k) => segmentBounds(10, 3, k)), [[0, 3], [3, 6], [6, 10]]);
    });

    it('covers every frame exactly once when F >= K', () => {
        // ChaLearn clips have 459 frames: segments of 45 or 46, back to back.
        let next = 0;
        for (let k = 0; k < 10; k++) {
            const [start, end] = segmentBounds(459, 10, k);
            assert.equal(start, next);
            assert.ok(end - start === 45 || end - start === 46);
            next = end;
        }
        assert.equal(next, 459);
    });

    it('repeats frames in order when a video has fewer frames than segments', () => {
        const frames = [...Array(10).keys()].map((k) => segmentBounds(3, 10, k));
        assert.deepEqual(frames, [[0, 1], [0, 1], [0, 1], [0, 1], [1, 2], [1, 2], [1, 2], [2, 3], [2, 3], [2, 3]]);
        assert.deepEqual(sampleSegments(3, 10, new Random(1)), [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
        assert.deepEqual(sampleSegments(1, 4, new Random(1)), [0, 0, 0, 0]);
    });

    it('draws frame k from [10k, 10k + 9] and reaches every frame of a segment', () => {
        const random = new Random(3);
        const seen = Array.from({ length: 10 }, () => new Set<number>());
        for (let draw = 0; draw < 400; draw++) {
            sampleSegments(100, 10, random).forEach((f, k) => {
                assert.ok(f >= 10 * k && f <= 10 * k + 9, `frame ${f} of segment ${k}`);
                seen[k].add(f);
            });
        }
        seen.forEach((frames, k) => assert.equal(frames.size, 10, `segment ${k} reached ${[...frames]}`));
    });

    it('refuses impossible requests', () => {
        assert.throws(() => segmentBounds(0, 10, 0), /needs frames/);
        assert.throws(() => segmentBounds(100, 0, 0), /segments must be/);
        assert.throws(() => segmentBounds(100, 10, 10), /segment 10 is not one of 10/);
    });
});

describe('BatchSampler', () => {
    const personality = () => new FakeSource('chalearn', 'personality', personalityVideos(6, 20));
    const emotion = () => new FakeSource('affwild', 'emotion', emotionVideos(3));
    const sampler = (seed: number, p = personality(), e = emotion()) =>
        new BatchSampler({ personality: p, emotion: e, sampling: spec(4, 3, 5), size: SIZE, seed });
    const crop = SIZE.height * SIZE.width * 3;

    it('lays out personality crops video-major with each video\'s traits', async () => {
        const batch = await sampler(1).next();
        const p = batch.personality!;
        assert.equal(p.images.length, 3 * 4 * crop);
        assert.equal(p.labels.length, 3 * 5);
        batch.ids.personality.forEach(({ video, frames }, i) => {
            const v = Number(video.slice(1));
            assert.deepEqual(Array.from(p.labels.subarray(i * 5, i * 5 + 5)), Array.from(Float32Array.from([v / 10, 0.1, 0.2, 0.3, 0.4])));
            frames.forEach((f, k) => {
                assert.ok(f >= 5 * k && f < 5 * k + 5, `20 frames / 4 segments: frame ${f} in segment ${k}`);
                for (let j = 0; j < crop; j++) assert.deepEqual(decode(p.images[(i * 4 + k) * crop + j]), [v, f]);
            });
        });
    });

    it('gives emotion frames with their labels', async () => {
        const batch = await sampler(1).next();
        const e = batch.emotion!;
        assert.equal(e.count, 5);
        assert.equal(e.images.length, 5 * crop);
        batch.ids.emotion.forEach(({ video, frame }, i) => {
            const v = Number(video.slice(1));
            assert.deepEqual(decode(e.images[i * crop]), [v, frame]);
            assert.deepEqual(Array.from(e.labels.subarray(2 * i, 2 * i + 2)), [Math.fround(v / 10), Math.fround(frame / 10)]);
        });
    });

    it('visits every item once per pass, in a new order each pass', async () => {
        // 6 videos, 3 a batch: two batches per pass. 11 labelled frames, 5 a batch.
        const s = sampler(7);
        const batches: Batch[] = [];
        for (let i = 0; i < 4; i++) batches.push(await s.next());
        const videos = batches.map((b) => b.ids.personality.map((p) => p.video));
        assert.deepEqual([...videos[0], ...videos[1]].sort(), ['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
        assert.deepEqual([...videos[2], ...videos[3]].sort(), ['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
        assert.notDeepEqual([...videos[0], ...videos[1]], [...videos[2], ...videos[3]]);
        const frames = batches.flatMap((b) => b.ids.emotion.map((e) => `${e.video}#${e.frame}`));
        const firstPass = frames.slice(0, 11).sort();
        assert.deepEqual(firstPass, ['e0#0', 'e0#1', 'e0#2', 'e0#3', 'e1#0', 'e1#1', 'e1#3', 'e2#0', 'e2#1', 'e2#2', 'e2#3']);
        assert.equal(s.state().personality!.epoch, 1);
        assert.equal(s.state().emotion!.epoch, 1);
    });

    it('is deterministic for a seed', async () => {
        const a = sampler(5);
        const b = sampler(5);
        for (let i = 0; i < 3; i++) assert.deepEqual(await a.next(), await b.next());
        assert.notDeepEqual((await sampler(6).next()).ids, (await sampler(5).next()).ids);
    });

    it('resumes from an exported state with the identical next batch', async () => {
        const first = sampler(11);
        for (let i = 0; i < 3; i++) await first.next();
        const saved = JSON.parse(JSON.stringify(first.state()));
        const expected = await first.next();
        const resumed = sampler(99);
        resumed.restore(saved);
        assert.deepEqual(await resumed.next(), expected);
        assert.deepEqual(resumed.state(), first.state());
    });

    it('refuses a state taken on other data', async () => {
        const saved = sampler(1).state();
        const other = new BatchSampler({ personality: new FakeSource('c', 'personality', personalityVideos(7, 20)), emotion: emotion(), sampling: spec(4, 3, 5), size: SIZE, seed: 1 });
        assert.throws(() => other.restore(saved), /personality data has 7 training items, the checkpoint was taken with 6/);
        const noEmotion = new BatchSampler({ personality: personality(), sampling: spec(4, 3, 5), size: SIZE, seed: 1 });
        assert.throws(() => noEmotion.restore(saved), /emotion stream is not part of this run/);
    });

    it('redraws a faceless frame from the same segment and borrows a neighbour when a segment has none', async () => {
        // Video p0, 8 frames in 4 segments of 2: frames 0 and 1 (all of segment 0) and 5 have no face.
        const faceless = new Set(['p0#0', 'p0#1', 'p0#5']);
        const source = new FakeSource('c', 'personality', personalityVideos(1, 8), faceless);
        const s = new BatchSampler({ personality: source, sampling: spec(4, 1, 0), size: SIZE, seed: 2 });
        for (let i = 0; i < 20; i++) {
            const batch = await s.next();
            const [frames] = batch.ids.personality.map((p) => p.frames);
            assert.equal(frames[0], frames[1], 'segment 0 borrows segment 1');
            assert.ok(frames[1] === 2 || frames[1] === 3);
            assert.equal(frames[2], 4, 'segment 2 redraws 4 instead of 5');
            assert.ok(frames[3] === 6 || frames[3] === 7);
            frames.forEach((f, k) => assert.deepEqual(decode(batch.personality!.images[k * crop]), [0, f]));
        }
    });

    it('skips a video with no face at all, and an emotion frame with no face', async () => {
        const faceless = new Set(Array.from({ length: 20 }, (_, f) => `p1#${f}`));
        const s = new BatchSampler({ personality: new FakeSource('c', 'personality', personalityVideos(3, 20), faceless), sampling: spec(4, 2, 0), size: SIZE, seed: 3 });
        for (let i = 0; i < 5; i++) assert.ok((await s.next()).ids.personality.every((p) => p.video !== 'p1'));

        const noFaces = new Set(['e0#0', 'e0#1', 'e0#2', 'e0#3', 'e2#1']);
        const e = new BatchSampler({ emotion: new FakeSource('a', 'emotion', emotionVideos(3), noFaces), sampling: spec(4, 0, 3), size: SIZE, seed: 3 });
        for (let i = 0; i < 5; i++) {
            const ids = (await e.next()).ids.emotion;
            assert.equal(ids.length, 3);
            assert.ok(ids.every(({ video, frame }) => !noFaces.has(`${video}#${frame}`)));
        }
    });

    it('says so when no video has a face', async () => {
        const faceless = new Set(Array.from({ length: 20 }, (_, f) => `p0#${f}`));
        const s = new BatchSampler({ personality: new FakeSource('c', 'personality', personalityVideos(1, 20), faceless), sampling: spec(4, 1, 0), size: SIZE, seed: 3 });
        await assert.rejects(s.next(), /dataset c: no face found in 1 videos in a row/);
    });

    it('checks its sources', () => {
        assert.throws(() => new BatchSampler({ personality: emotion(), sampling: spec(4, 3, 5), size: SIZE, seed: 1 }), /affwild has emotion labels where personality labels are needed/);
        assert.throws(() => new BatchSampler({ personality: personality(), sampling: spec(0, 3, 5), size: SIZE, seed: 1 }), /segments must be a positive whole number/);
    });
});
