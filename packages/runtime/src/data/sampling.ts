/**
 * How training batches are drawn, as the paper does (section 3.2, after TSN): a personality video of
 * F frames is cut into K segments of equal duration and gives one random frame from each, drawn anew
 * every time the video is used; emotion batches are single labelled frames. Both streams go through
 * their training items in a seeded shuffled order, reshuffled for every pass.
 */
import { TRAITS, type SamplingSpec, type Size } from '@persemon/language';
import { borrowNearest } from '../util/nearest.js';
import { mapLimit } from '../util/pool.js';
import { Random, type RandomState } from '../util/random.js';
import type { DataSource, FaceCrop, VideoItem } from './source.js';

/**
 * Frames [start, end) of segment `k` of `segments` equal segments of a video. When the video has
 * fewer frames than segments, each segment still gets one frame and neighbouring segments share
 * frames in order.
 */
export function segmentBounds(frameCount: number, segments: number, k: number): [number, number] {
    if (!(Number.isInteger(frameCount) && frameCount > 0)) throw new Error(`a video needs frames to sample, not ${frameCount}`);
    if (!(Number.isInteger(segments) && segments > 0)) throw new Error(`segments must be a positive whole number, not ${segments}`);
    if (!(Number.isInteger(k) && k >= 0 && k < segments)) throw new Error(`segment ${k} is not one of ${segments}`);
    const start = Math.floor((k * frameCount) / segments);
    return [start, Math.max(start + 1, Math.floor(((k + 1) * frameCount) / segments))];
}

/** One random frame from each of the K segments, in order. */
export function sampleSegments(frameCount: number, segments: number, random: Random): number[] {
    return Array.from({ length: segments }, (_, k) => {
        const [start, end] = segmentBounds(frameCount, segments, k);
        return random.int(start, end);
    });
}

export interface Batch {
    /** N face crops, N x H x W x 3, and their [arousal, valence] labels, N x 2. */
    emotion?: { images: Float32Array; labels: Float32Array; count: number };
    /** V videos of K crops each, video-major (V x K x H x W x 3), and their Big Five, V x 5. */
    personality?: { images: Float32Array; labels: Float32Array; videos: number; segments: number };
    /** Where each crop came from, in batch order. */
    ids: { emotion: Array<{ video: string; frame: number }>; personality: Array<{ video: string; frames: number[] }> };
}

/** One stream's place in its shuffled passes; the order itself is rebuilt from `orderSeed`. */
export interface StreamState {
    items: number;
    epoch: number;
    position: number;
    orderSeed: number;
}

/** Everything a resumed run needs to draw exactly the batches the uninterrupted run would have. */
export interface SamplerState {
    random: RandomState;
    personality: StreamState | null;
    emotion: StreamState | null;
}

export interface SamplerOptions {
    personality?: DataSource | null;
    emotion?: DataSource | null;
    sampling: SamplingSpec;
    /** FEM input size. */
    size: Size;
    seed: number;
    /** Defaults to `train`. */
    split?: string;
}

/**
 * Frames with no face are redrawn this many times from the same segment (or, for emotion, the same
 * video) before the segment borrows its nearest neighbour's face or the frame gives way to the next.
 */
const REDRAWS = 3;
/** Videos read at once: enough to overlap decoding, few enough for 2 cores. */
const CONCURRENCY = 4;

/** A shuffled pass over `items` things, reshuffled when it runs out. */
class Order {
    private order: Uint32Array;

    constructor(private s: StreamState) {
        this.order = shuffled(s.items, s.orderSeed);
    }

    next(random: Random): number {
        if (this.s.position >= this.order.length) {
            this.s = { items: this.s.items, epoch: this.s.epoch + 1, position: 0, orderSeed: random.uint32() };
            this.order = shuffled(this.s.items, this.s.orderSeed);
        }
        return this.order[this.s.position++];
    }

    state(): StreamState {
        return { ...this.s };
    }
}

function shuffled(n: number, seed: number): Uint32Array {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const random = new Random(seed);
    for (let i = n - 1; i > 0; i--) {
        const j = random.int(0, i + 1);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    return order;
}

/** A labelled video and its labelled frames. */
interface EmotionVideo {
    video: VideoItem;
    frames: Int32Array;
}

export class BatchSampler {
    private random: Random;
    private readonly size: Size;
    private readonly segments: number;
    private readonly videoCount: number;
    private readonly frameCount: number;
    private readonly personality: { source: DataSource; videos: VideoItem[]; order: Order } | null = null;
    private readonly emotion: { source: DataSource; videos: EmotionVideo[]; starts: Float64Array; order: Order } | null = null;

    constructor(options: SamplerOptions) {
        const { sampling, size } = options;
        const split = options.split ?? 'train';
        this.random = new Random(options.seed);
        this.size = { height: size.height, width: size.width };
        this.segments = sampling.segments;
        this.videoCount = sampling.personalityVideos;
        this.frameCount = sampling.emotionFrames;
        if (!(Number.isInteger(this.segments) && this.segments > 0)) throw new Error(`sampling: segments must be a positive whole number, not ${this.segments}`);

        if (options.personality && this.videoCount > 0) {
            const source = expectKind(options.personality, 'personality');
            const videos = source.videos(split).filter((v) => v.traits && v.frameCount > 0);
            if (videos.length === 0) throw new Error(`dataset ${source.name}: split ${split} has no labelled videos to train on`);
            this.personality = { source, videos, order: this.newOrder(videos.length) };
        }
        if (options.emotion && this.frameCount > 0) {
            const source = expectKind(options.emotion, 'emotion');
            const videos: EmotionVideo[] = [];
            for (const video of source.videos(split)) {
                const labelled: number[] = [];
                video.emotion?.forEach((label, i) => i < video.frameCount && label && labelled.push(i));
                if (labelled.length > 0) videos.push({ video, frames: Int32Array.from(labelled) });
            }
            if (videos.length === 0) throw new Error(`dataset ${source.name}: split ${split} has no labelled frames to train on`);
            // starts[i]: index of video i's first frame among all labelled frames, so one order covers every frame.
            const starts = new Float64Array(videos.length + 1);
            videos.forEach((v, i) => (starts[i + 1] = starts[i] + v.frames.length));
            this.emotion = { source, videos, starts, order: this.newOrder(starts[videos.length]) };
        }
    }

    private newOrder(items: number): Order {
        return new Order({ items, epoch: 0, position: 0, orderSeed: this.random.uint32() });
    }

    async next(): Promise<Batch> {
        const batch: Batch = { ids: { emotion: [], personality: [] } };
        if (this.personality) batch.personality = await this.personalityPart(batch);
        if (this.emotion) batch.emotion = await this.emotionPart(batch);
        return batch;
    }

    /** Take it between batches: a batch being drawn has moved the streams but not yet returned. */
    state(): SamplerState {
        return {
            random: this.random.state(),
            personality: this.personality?.order.state() ?? null,
            emotion: this.emotion?.order.state() ?? null
        };
    }

    /** Continues from a state taken by `state()` on a sampler built from the same data and spec. */
    restore(state: SamplerState): void {
        const check = (name: string, mine: Order | undefined, theirs: StreamState | null): Order | undefined => {
            if (!mine && !theirs) return undefined;
            if (!mine || !theirs) throw new Error(`sampler state: the ${name} stream is ${mine ? 'missing from the checkpoint' : 'not part of this run'}`);
            if (mine.state().items !== theirs.items) {
                throw new Error(`sampler state: the ${name} data has ${mine.state().items} training items, the checkpoint was taken with ${theirs.items}`);
            }
            return new Order({ ...theirs });
        };
        const personality = check('personality', this.personality?.order, state.personality);
        const emotion = check('emotion', this.emotion?.order, state.emotion);
        this.random = Random.fromState(state.random);
        if (this.personality && personality) this.personality.order = personality;
        if (this.emotion && emotion) this.emotion.order = emotion;
    }

    private async personalityPart(batch: Batch): Promise<NonNullable<Batch['personality']>> {
        const { source, videos, order } = this.personality!;
        const K = this.segments;
        const crop = this.size.height * this.size.width * 3;
        const images = new Float32Array(this.videoCount * K * crop);
        const labels = new Float32Array(this.videoCount * TRAITS.length);
        let filled = 0;
        let failures = 0;
        while (filled < this.videoCount) {
            // Every random choice is made before any await, so parallel reads cannot reorder them.
            const picks = Array.from({ length: this.videoCount - filled }, () => ({ video: videos[order.next(this.random)], random: this.random.fork() }));
            const results = await mapLimit(picks, CONCURRENCY, (p) => this.videoFrames(source, p.video, p.random));
            results.forEach((result, i) => {
                if (!result) {
                    if (++failures >= videos.length) throw new Error(`dataset ${source.name}: no face found in ${failures} videos in a row`);
                    return;
                }
                failures = 0;
                result.crops.forEach((c, k) => images.set(c.data, (filled * K + k) * crop));
                labels.set(picks[i].video.traits!, filled * TRAITS.length);
                batch.ids.personality.push({ video: picks[i].video.id, frames: result.frames });
                filled++;
            });
        }
        return { images, labels, videos: this.videoCount, segments: K };
    }

    /** K crops of one video; a faceless segment is redrawn, then borrows its nearest neighbour's face. */
    private async videoFrames(source: DataSource, video: VideoItem, random: Random): Promise<{ frames: number[]; crops: FaceCrop[] } | null> {
        const K = this.segments;
        const frames = sampleSegments(video.frameCount, K, random);
        const crops = this.checked(source, video, await source.frames(video, frames, this.size));
        const tried = frames.map((f) => new Set([f]));
        for (let round = 0; round < REDRAWS; round++) {
            const redo: number[] = [];
            for (let k = 0; k < K; k++) {
                if (crops[k]) continue;
                const [start, end] = segmentBounds(video.frameCount, K, k);
                const untried = range(start, end).filter((f) => !tried[k].has(f));
                if (untried.length === 0) continue;
                frames[k] = untried[random.int(0, untried.length)];
                tried[k].add(frames[k]);
                redo.push(k);
            }
            if (redo.length === 0) break;
            const again = this.checked(source, video, await source.frames(video, redo.map((k) => frames[k]), this.size));
            redo.forEach((k, i) => (crops[k] = again[i]));
        }
        const filled = borrowNearest(crops.map((crop, k) => crop && { crop, frame: frames[k] }));
        if (!filled) return null;
        return { frames: filled.map((f) => f.frame), crops: filled.map((f) => f.crop) };
    }

    private async emotionPart(batch: Batch): Promise<NonNullable<Batch['emotion']>> {
        const { source, videos, starts, order } = this.emotion!;
        const crop = this.size.height * this.size.width * 3;
        const images = new Float32Array(this.frameCount * crop);
        const labels = new Float32Array(this.frameCount * 2);
        let filled = 0;
        let failures = 0;
        while (filled < this.frameCount) {
            // Group this round's frames by video so each video is read once, in the order first met.
            const groups = new Map<number, { frames: number[]; random?: Random }>();
            for (let i = filled; i < this.frameCount; i++) {
                const item = order.next(this.random);
                const v = upperBound(starts, item) - 1;
                const group = groups.get(v) ?? { frames: [] };
                group.frames.push(videos[v].frames[item - starts[v]]);
                groups.set(v, group);
            }
            for (const group of groups.values()) group.random = this.random.fork();
            const entries = [...groups.entries()];
            const results = await mapLimit(entries, CONCURRENCY, ([v, g]) => this.labelledFrames(source, videos[v], g.frames, g.random!));
            results.forEach((result, i) => {
                const video = videos[entries[i][0]].video;
                result.forEach(({ frame, crop: c }) => {
                    if (!c) {
                        if (++failures >= starts[videos.length]) throw new Error(`dataset ${source.name}: no face found in ${failures} frames in a row`);
                        return;
                    }
                    failures = 0;
                    images.set(c.data, filled * crop);
                    labels.set(video.emotion![frame]!, filled * 2);
                    batch.ids.emotion.push({ video: video.id, frame });
                    filled++;
                });
            });
        }
        return { images, labels, count: this.frameCount };
    }

    /** Crops of labelled frames of one video; a faceless frame is redrawn from the video's other labelled frames. */
    private async labelledFrames(source: DataSource, ev: EmotionVideo, wanted: number[], random: Random): Promise<Array<{ frame: number; crop: FaceCrop | null }>> {
        const frames = [...wanted];
        const crops = this.checked(source, ev.video, await source.frames(ev.video, frames, this.size));
        const tried = new Set(frames);
        for (let round = 0; round < REDRAWS; round++) {
            const redo: number[] = [];
            for (let i = 0; i < frames.length; i++) {
                if (crops[i]) continue;
                const untried = Array.from(ev.frames).filter((f) => !tried.has(f));
                if (untried.length === 0) break;
                frames[i] = untried[random.int(0, untried.length)];
                tried.add(frames[i]);
                redo.push(i);
            }
            if (redo.length === 0) break;
            const again = this.checked(source, ev.video, await source.frames(ev.video, redo.map((i) => frames[i]), this.size));
            redo.forEach((i, j) => (crops[i] = again[j]));
        }
        return frames.map((frame, i) => ({ frame, crop: crops[i] }));
    }

    private checked(source: DataSource, video: VideoItem, crops: Array<FaceCrop | null>): Array<FaceCrop | null> {
        for (const c of crops) {
            if (c && (c.height !== this.size.height || c.width !== this.size.width || c.data.length !== c.height * c.width * 3)) {
                throw new Error(`dataset ${source.name}: video ${video.id} gave a ${c.height}x${c.width} crop, ${this.size.height}x${this.size.width} was asked for`);
            }
        }
        return crops;
    }
}

function expectKind(source: DataSource, kind: DataSource['kind']): DataSource {
    if (source.kind !== kind) throw new Error(`dataset ${source.name} has ${source.kind} labels where ${kind} labels are needed`);
    return source;
}

function range(start: number, end: number): number[] {
    return Array.from({ length: end - start }, (_, i) => start + i);
}

/** The first index whose value is greater than `x` in an ascending array. */
function upperBound(values: Float64Array, x: number): number {
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (values[mid] <= x) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

