/**
 * Evaluation of a model on one split: PAM, RAM and their fusion on personality videos, EAM on
 * emotion frames, each beside the constant-mean floor, plus the rows for predictions/*.csv. The
 * metrics are streamed: updated after each pass of the model, computed once at the end.
 *
 * A personality video is scored, as TSN tests, from the middle frame of each of its K segments, so
 * the same model gives the same figures every time.
 */
import { EMOTIONS, TRAITS, type JobSpec } from '@persemon/language';
import type { PersEmonModel } from '../model/persemon-model.js';
import type { DataSource, FaceCrop, VideoItem } from '../data/source.js';
import { segmentBounds } from '../data/sampling.js';
import { concatFloat32 } from '../util/concat.js';
import { borrowNearest } from '../util/nearest.js';
import type { EmotionReport, PersonalityReport } from './report.js';
import { fuse } from './fusion.js';
import { constantPrediction, EmotionMetric, labelMeans, PersonalityMetric } from './metrics.js';
import type { EmotionPrediction, PersonalityPrediction } from './predictions.js';

/** Videos (or frames) rendered and predicted together: bounds memory while keeping passes large. */
const VIDEOS_PER_PASS = 8;
const FRAMES_PER_PASS = 128;

export interface PersonalityEvaluation {
    report: PersonalityReport;
    rows: PersonalityPrediction[];
    /** Videos with no face in any sampled frame. */
    skipped: number;
}

export interface EmotionEvaluation {
    report: EmotionReport;
    rows: EmotionPrediction[];
}

/** The middle frame of each of K equal segments. */
export function evaluationFrames(frameCount: number, segments: number): number[] {
    return Array.from({ length: segments }, (_, k) => {
        const [start, end] = segmentBounds(frameCount, segments, k);
        return Math.floor((start + end - 1) / 2);
    });
}

export async function evaluatePersonality(model: PersEmonModel, source: DataSource, split: string, spec: JobSpec): Promise<PersonalityEvaluation | null> {
    const K = spec.sampling.segments;
    const size = spec.model.fem.input;
    const videos = source.videos(split).filter(v => v.traits);
    const trainTraits = source.videos('train').filter(v => v.traits).flatMap(v => v.traits!);
    const floor = trainTraits.length > 0 ? labelMeans(trainTraits, TRAITS.length) : null;
    // Streamed: each pass updates the metrics of the predictors the model has, and the floor's.
    const metrics: Partial<Record<keyof PersonalityReport, PersonalityMetric>> = {};
    const rows: PersonalityPrediction[] = [];
    let skipped = 0;
    for (let i = 0; i < videos.length; i += VIDEOS_PER_PASS) {
        const pass: Array<{ video: VideoItem; crops: FaceCrop[] }> = [];
        for (const video of videos.slice(i, i + VIDEOS_PER_PASS)) {
            const crops = borrowNearest(await source.frames(video, evaluationFrames(video.frameCount, K), size));
            if (crops) pass.push({ video, crops });
            else skipped++;
        }
        if (pass.length === 0) continue;
        const images = concatFloat32(pass.flatMap(p => p.crops.map(c => c.data)));
        const { pam, ram } = model.predictPersonality({ images }, K);
        const passRows = pass.map(({ video }, v): PersonalityPrediction => {
            const pick = (a: Float32Array | null) => a ? Array.from(a.subarray(v * TRAITS.length, (v + 1) * TRAITS.length)) : undefined;
            const row: PersonalityPrediction = { id: video.id, truth: video.traits!, pam: pick(pam), ram: pick(ram) };
            if (row.pam && row.ram) row.fused = Array.from(fuse(row.pam, row.ram, spec.evaluation.fusion));
            return row;
        });
        const truth = passRows.flatMap(r => r.truth);
        for (const key of ['pam', 'ram', 'fused'] as const) {
            if (passRows[0][key]) (metrics[key] ??= new PersonalityMetric()).update(truth, passRows.flatMap(r => r[key]!));
        }
        if (floor) (metrics.floor ??= new PersonalityMetric()).update(truth, constantPrediction(floor, passRows.length));
        rows.push(...passRows);
    }
    if (rows.length === 0) return null;
    const report: PersonalityReport = {};
    for (const key of ['pam', 'ram', 'fused', 'floor'] as const) {
        if (metrics[key]) report[key] = metrics[key].compute();
    }
    return { report, rows, skipped };
}

export async function evaluateEmotion(model: PersEmonModel, source: DataSource, split: string, spec: JobSpec): Promise<EmotionEvaluation | null> {
    const size = spec.model.fem.input;
    const trainLabels = source.videos('train').flatMap(v => (v.emotion ?? []).flatMap(l => l ?? []));
    const floorMeans = trainLabels.length > 0 ? labelMeans(trainLabels, EMOTIONS.length) : null;
    const mse = new EmotionMetric();
    const floor = new EmotionMetric();
    const rows: EmotionPrediction[] = [];
    let pending: Array<{ id: string; truth: [number, number]; crop: FaceCrop }> = [];
    const flush = () => {
        if (pending.length === 0) return;
        const pred = model.predictEmotion({ images: concatFloat32(pending.map(p => p.crop.data)) });
        const truth = pending.flatMap(p => p.truth);
        mse.update(truth, pred.subarray(0, truth.length));
        if (floorMeans) floor.update(truth, constantPrediction(floorMeans, pending.length));
        pending.forEach((p, i) => rows.push({ id: p.id, truth: p.truth, pred: [pred[2 * i], pred[2 * i + 1]] }));
        pending = [];
    };
    for (const video of source.videos(split)) {
        const labelled = (video.emotion ?? []).flatMap((label, frame) => label && frame < video.frameCount ? [frame] : []);
        if (labelled.length === 0) continue;
        // A long clip is rendered a pass at a time, so no more than two passes' crops are held.
        for (let from = 0; from < labelled.length; from += FRAMES_PER_PASS) {
            const frames = labelled.slice(from, from + FRAMES_PER_PASS);
            const crops = await source.frames(video, frames, size);
            crops.forEach((crop, i) => {
                if (crop) pending.push({ id: `${video.id}#${frames[i]}`, truth: video.emotion![frames[i]]!, crop });
            });
            if (pending.length >= FRAMES_PER_PASS) flush();
        }
    }
    flush();
    if (rows.length === 0) return null;
    const report: EmotionReport = { mse: mse.compute() };
    if (floorMeans) report.floor = floor.compute();
    return { report, rows };
}
