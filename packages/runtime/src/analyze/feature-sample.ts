/**
 * FEM's fc5 features of a seeded sample of frames from each dataset of a run (Fig. 4): N frames
 * drawn uniformly without replacement from all frames of the split the run evaluates that dataset on
 * (every split, for a dataset it does not evaluate). The draw depends only on the seed and the
 * dataset's videos, so two runs on the same data are shown the same frames.
 */
import type { JobSpec } from '@persemon/language';
import type { DataSource, VideoItem } from '../data/source.js';
import { evaluationTargets } from '../eval/targets.js';
import type { PersEmonModel } from '../model/persemon-model.js';
import { concatFloat32 } from '../util/concat.js';
import { Random } from '../util/random.js';

export interface SampledFrame {
    dataset: string;
    video: string;
    frame: number;
}

export interface DatasetSample {
    dataset: string;
    kind: string;
    splits: string[];
    /** Frames drawn, and those with a face whose features were taken. */
    drawn: number;
    used: number;
}

export interface FeatureSample {
    frames: SampledFrame[];
    /** Row-major, `dim` per frame, in the order of `frames`. */
    features: Float32Array;
    dim: number;
    datasets: DatasetSample[];
}

/** Videos rendered together. */
const VIDEOS_PER_PASS = 16;

export async function sampleFeatures(model: PersEmonModel, sources: ReadonlyMap<string, DataSource>, spec: JobSpec, perDataset: number, seed: number): Promise<FeatureSample> {
    const frames: SampledFrame[] = [];
    const parts: Float32Array[] = [];
    const datasets: DatasetSample[] = [];
    const targets = evaluationTargets(spec);
    for (const dataset of spec.datasets) {
        const source = sources.get(dataset.name)!;
        const evaluated = targets.find((t) => t.dataset === dataset.name)?.split;
        const splits = evaluated !== undefined && source.splits().includes(evaluated) ? [evaluated] : source.splits();
        const videos = splits.flatMap((s) => source.videos(s));
        const drawn = drawFrames(videos.map((v) => v.frameCount), perDataset, new Random(seed));
        // By video, so each video is opened once.
        const byVideo = new Map<number, number[]>();
        for (const [video, frame] of drawn) byVideo.set(video, [...(byVideo.get(video) ?? []), frame]);
        const jobs = [...byVideo.entries()].sort((x, y) => x[0] - y[0]);
        let used = 0;
        for (let i = 0; i < jobs.length; i += VIDEOS_PER_PASS) {
            const crops: Float32Array[] = [];
            for (const [v, indices] of jobs.slice(i, i + VIDEOS_PER_PASS)) {
                const video: VideoItem = videos[v];
                const got = await source.frames(video, indices, spec.model.fem.input);
                got.forEach((crop, k) => {
                    if (!crop) return;
                    crops.push(crop.data);
                    frames.push({ dataset: dataset.name, video: video.id, frame: indices[k] });
                });
            }
            if (crops.length === 0) continue;
            parts.push(model.extractFeatures(concatFloat32(crops)));
            used += crops.length;
        }
        datasets.push({ dataset: dataset.name, kind: dataset.kind, splits, drawn: drawn.length, used });
    }
    return { frames, features: concatFloat32(parts), dim: model.features, datasets };
}

/**
 * `count` distinct (video, frame) pairs drawn uniformly from all frames of videos of the given frame
 * counts (all of them when there are no more), sorted by video then frame.
 */
export function drawFrames(frameCounts: readonly number[], count: number, random: Random): Array<[number, number]> {
    const starts: number[] = [];
    let total = 0;
    for (const c of frameCounts) {
        starts.push(total);
        total += c;
    }
    let chosen: number[];
    if (total <= count) chosen = Array.from({ length: total }, (_, i) => i);
    else {
        const picked = new Set<number>();
        while (picked.size < count) picked.add(random.int(0, total));
        chosen = [...picked].sort((x, y) => x - y);
    }
    return chosen.map((g) => {
        // The last video starting at or before g.
        let lo = 0, hi = starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (starts[mid] <= g) lo = mid;
            else hi = mid - 1;
        }
        return [lo, g - starts[lo]];
    });
}
