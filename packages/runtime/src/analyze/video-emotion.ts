/**
 * The test videos' mean emotion for Fig. 3: EAM's [arousal, valence] on the frames a video is scored
 * from (the middle frame of each of its K segments, as evaluation scores personality and as RAM
 * then sees it), averaged per video. Computed for every split the run evaluates, personality and
 * emotion datasets alike; an emotion video also carries the mean of its frame labels.
 */
import type { JobSpec } from '@persemon/language';
import type { DataSource } from '../data/source.js';
import { evaluationFrames } from '../eval/evaluate.js';
import { evaluationTargets } from '../eval/targets.js';
import type { PersEmonModel } from '../model/persemon-model.js';
import { concatFloat32 } from '../util/concat.js';

export interface VideoEmotion {
    dataset: string;
    split: string;
    id: string;
    arousal: number;
    valence: number;
    /** Frames with a face that the mean is over. */
    frames: number;
    /** Mean of the video's frame labels; emotion datasets only. */
    truth?: { arousal: number; valence: number };
}

/** Videos rendered and predicted together. */
const VIDEOS_PER_PASS = 16;

export async function videoEmotions(model: PersEmonModel, sources: ReadonlyMap<string, DataSource>, spec: JobSpec): Promise<VideoEmotion[]> {
    if (!model.eam) return [];
    const K = spec.sampling.segments;
    const size = spec.model.fem.input;
    const out: VideoEmotion[] = [];
    for (const { dataset, split } of uniqueSplits(spec)) {
        const source = sources.get(dataset)!;
        if (!source.splits().includes(split)) continue;
        const videos = source.videos(split);
        for (let i = 0; i < videos.length; i += VIDEOS_PER_PASS) {
            const pass = [];
            for (const video of videos.slice(i, i + VIDEOS_PER_PASS)) {
                const crops = (await source.frames(video, evaluationFrames(video.frameCount, K), size)).filter((c) => c !== null);
                if (crops.length > 0) pass.push({ video, crops });
            }
            if (pass.length === 0) continue;
            const emotion = model.predictEmotion({ images: concatFloat32(pass.flatMap((p) => p.crops.map((c) => c!.data))) });
            let frame = 0;
            for (const { video, crops } of pass) {
                let a = 0, v = 0;
                for (let k = 0; k < crops.length; k++, frame++) {
                    a += emotion[2 * frame];
                    v += emotion[2 * frame + 1];
                }
                const row: VideoEmotion = { dataset, split, id: video.id, arousal: a / crops.length, valence: v / crops.length, frames: crops.length };
                const labels = (video.emotion ?? []).filter((l) => l !== null);
                if (labels.length > 0) {
                    row.truth = { arousal: mean(labels.map((l) => l![0])), valence: mean(labels.map((l) => l![1])) };
                }
                out.push(row);
            }
        }
    }
    return out;
}

/** Each (dataset, split) the run evaluates, once, personality first. */
function uniqueSplits(spec: JobSpec): Array<{ dataset: string; split: string }> {
    const seen = new Set<string>();
    return evaluationTargets(spec).filter((t) => {
        const key = `${t.dataset}\u0000${t.split}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

function mean(values: number[]): number {
    return values.reduce((s, x) => s + x, 0) / values.length;
}
