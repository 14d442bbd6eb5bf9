/**
 * Evaluation of a model on one split: PAM, RAM and their fusion on personality videos, EAM on
 * emotion frames, each beside the constant-mean floor, plus the rows for predictions/*.csv. Only
 * the metrics the spec asks for are computed. Personality is predicted first and scored after, so
 * that a fusion search can choose its weights on one split's predictions before any is scored.
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
import type { EmotionReport, FusionReport, PersonalityReport } from './report.js';
import { fuse, fusionWeights } from './fusion.js';
import { constantPrediction, EmotionMetric, EmotionMetrics, labelMeans, personalityScores } from './metrics.js';
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

/** PAM's and RAM's traits for each labelled video of the split that has a face (no fusion yet). */
export async function predictPersonality(model: PersEmonModel, source: DataSource, split: string, spec: JobSpec): Promise<{ rows: PersonalityPrediction[]; skipped: number }> {
    const K = spec.sampling.segments;
    const size = spec.model.fem.input;
    const videos = source.videos(split).filter(v => v.traits);
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
        for (const [v, { video }] of pass.entries()) {
            const pick = (a: Float32Array | null) => a ? Array.from(a.subarray(v * TRAITS.length, (v + 1) * TRAITS.length)) : undefined;
            rows.push({ id: video.id, truth: video.traits!, pam: pick(pam), ram: pick(ram) });
        }
    }
    return { rows, skipped };
}

/**
 * The report of predicted rows: each predictor's metrics (those the spec asks for), fused with
 * `fusion` where both PAM and RAM predicted, and the floor when the training traits are known.
 * Returns the rows with their fused traits.
 */
export function scorePersonality(
    predicted: readonly PersonalityPrediction[], spec: JobSpec, fusion: FusionReport, trainTraits: readonly number[]
): { report: PersonalityReport; rows: PersonalityPrediction[] } {
    const metrics = spec.evaluation.metrics;
    const rows = predicted.map(r => r.pam && r.ram ? { ...r, fused: Array.from(fuse(r.pam, r.ram, { pam: fusion.pam, ram: fusion.ram })) } : { ...r });
    const report: PersonalityReport = {};
    const truth = rows.flatMap(r => r.truth);
    for (const key of ['pam', 'ram', 'fused'] as const) {
        if (rows[0][key]) report[key] = personalityScores(truth, rows.flatMap(r => r[key]!), metrics);
    }
    if (trainTraits.length > 0) {
        report.floor = personalityScores(truth, constantPrediction(labelMeans(trainTraits, TRAITS.length), rows.length), metrics);
    }
    if (report.fused) report.fusion = fusion;
    return { report, rows };
}

/**
 * Scores the split. `fusion` is how PAM and RAM are fused: the spec's fixed weights by default; a
 * spec with `fusion search` must pass the weights its search chose (run/evaluation.ts).
 */
export async function evaluatePersonality(
    model: PersEmonModel, source: DataSource, split: string, spec: JobSpec, fusion: FusionReport = { ...fusionWeights(spec.evaluation.fusion) }
): Promise<PersonalityEvaluation | null> {
    const { rows, skipped } = await predictPersonality(model, source, split, spec);
    if (rows.length === 0) return null;
    return { ...scorePersonality(rows, spec, fusion, trainingTraits(source)), skipped };
}

/** The training split's traits, row-major: the floor predicts their means. */
export function trainingTraits(source: DataSource): number[] {
    return source.videos('train').filter(v => v.traits).flatMap(v => v.traits!);
}

export async function evaluateEmotion(model: PersEmonModel, source: DataSource, split: string, spec: JobSpec): Promise<EmotionEvaluation | null> {
    const size = spec.model.fem.input;
    const trainLabels = source.videos('train').flatMap(v => (v.emotion ?? []).flatMap(l => l ?? []));
    const floorMeans = trainLabels.length > 0 ? labelMeans(trainLabels, EMOTIONS.length) : null;
    const metrics = new EmotionMetrics(spec.evaluation.metrics);
    const floor = new EmotionMetric();
    const rows: EmotionPrediction[] = [];
    let pending: Array<{ id: string; truth: [number, number]; crop: FaceCrop }> = [];
    const flush = () => {
        if (pending.length === 0) return;
        const pred = model.predictEmotion({ images: concatFloat32(pending.map(p => p.crop.data)) });
        const truth = pending.flatMap(p => p.truth);
        metrics.update(truth, pred.subarray(0, truth.length));
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
    const report: EmotionReport = metrics.compute();
    // The floor's MSE, beside EAM's: a constant has no PCC and a CCC of 0, which say nothing.
    if (floorMeans && report.mse) report.floor = floor.compute();
    return { report, rows };
}
