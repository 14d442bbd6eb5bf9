/**
 * The data behind the paper's Fig. 3 and Fig. 4 for one run, as analysis/*.json holds it (README,
 * "persemon analyze").
 */
import { TRAITS, type Trait } from '@persemon/language';
import { traitDisk, TOP_FRACTION, type Disk } from './disk.js';
import { embed, type EmbeddingMethod } from './embedding.js';
import { sampleFeatures, type DatasetSample, type SampledFrame } from './feature-sample.js';
import { avGrid, GRID_SIZE } from './grid.js';
import type { AnalysedRun } from './open-run.js';
import { ramOverGrid } from './ram-map.js';
import { knnSeparation, type Separation } from './separation.js';
import { videoEmotions, type VideoEmotion } from './video-emotion.js';

/** Which run and checkpoint a figure's panel shows. */
export interface RunInfo {
    run: string;
    experiment: string;
    step: number;
    checkpoint: string;
    coherence: boolean;
}

export interface RamMap {
    /** The consensus RAM was trained with, and K: each grid point is a video of K frames of that emotion. */
    consensus: string;
    segments: number;
    grid: { arousal: number[]; valence: number[] };
    /** Per trait, RAM's output at each grid point, row-major: index r·valence.length + c is (arousal[r], valence[c]). */
    values: Record<Trait, number[]>;
    disks: Record<Trait, Disk>;
}

export interface Fig3Run extends RunInfo {
    /** Null when the run has RAM off. */
    ram: RamMap | null;
    /** Each evaluated test video's mean EAM emotion; empty when the run has EAM and RAM off. */
    videos: VideoEmotion[];
}

export interface FeaturePoint extends SampledFrame {
    x: number;
    y: number;
}

export interface Fig4Run extends RunInfo {
    datasets: DatasetSample[];
    embedding: { method: EmbeddingMethod; params: Record<string, number> };
    points: FeaturePoint[];
    /** Between the datasets, on the fc5 features and on the 2-D map; null with one dataset or too few frames. */
    separation: { features: Separation | null; embedding: Separation | null };
}

export async function fig3Run(run: AnalysedRun, gridSize = GRID_SIZE): Promise<Fig3Run> {
    const { model, spec } = run;
    let ram: RamMap | null = null;
    if (model.ram) {
        const grid = avGrid(gridSize);
        const values = ramOverGrid(model.ram, grid, spec.sampling.segments);
        ram = {
            consensus: spec.model.ram.consensus.kind,
            segments: spec.sampling.segments,
            grid,
            values: Object.fromEntries(TRAITS.map((t) => [t, Array.from(values[t], (x) => round(x))])) as Record<Trait, number[]>,
            disks: Object.fromEntries(TRAITS.map((t) => [t, roundDisk(traitDisk(grid, values[t], TOP_FRACTION))])) as Record<Trait, Disk>,
        };
    }
    const videos = (await videoEmotions(model, run.sources, spec)).map((v) => ({
        ...v, arousal: round(v.arousal), valence: round(v.valence),
        ...(v.truth ? { truth: { arousal: round(v.truth.arousal), valence: round(v.truth.valence) } } : {}),
    }));
    return { ...runInfo(run), ram, videos };
}

export async function fig4Run(run: AnalysedRun, frames: number, method: EmbeddingMethod, seed: number): Promise<Fig4Run> {
    const sample = await sampleFeatures(run.model, run.sources, run.spec, frames, seed);
    const labels = sample.frames.map((f) => f.dataset);
    const n = sample.frames.length;
    const map = n >= 3 ? embed(method, sample.features, sample.dim, seed) : null;
    const points = sample.frames.map((f, i) => ({ ...f, x: map ? round(map.coords[2 * i]) : 0, y: map ? round(map.coords[2 * i + 1]) : 0 }));
    return {
        ...runInfo(run),
        datasets: sample.datasets,
        embedding: { method, params: map?.params ?? {} },
        points,
        separation: {
            features: knnSeparation(sample.features, sample.dim, labels),
            embedding: map ? knnSeparation(map.coords, 2, labels) : null,
        },
    };
}

function runInfo(run: AnalysedRun): RunInfo {
    return { run: run.dir.root, experiment: run.spec.experiment, step: run.step, checkpoint: run.checkpoint, coherence: run.spec.model.coherence.enabled };
}

function roundDisk(d: Disk): Disk {
    return {
        centre: { arousal: round(d.centre.arousal), valence: round(d.centre.valence) },
        sd: { arousal: round(d.sd.arousal), valence: round(d.sd.valence) },
        radius: round(d.radius), threshold: round(d.threshold), points: d.points,
    };
}

/** Six decimals: float32 outputs carry no more. */
function round(x: number): number {
    return Math.round(x * 1e6) / 1e6;
}
