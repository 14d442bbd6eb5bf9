/**
 * `persemon analyze`: the paper's Fig. 3 (RAM in the arousal-valence plane) and Fig. 4 (FEM's features
 * of both datasets in 2-D) for one run, or for several side by side, written with the JSON behind
 * them and an index (analysis.json) that names every file written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeFolder, writeFileAtomic } from '../run/run-dir.js';
import { fig3Spec, fig4Spec, renderSvg, svgToPng } from './draw.js';
import type { EmbeddingMethod } from './embedding.js';
import { fig3Run, fig4Run, type Fig3Run, type Fig4Run } from './figures.js';
import { GRID_SIZE } from './grid.js';
import { TOP_FRACTION } from './disk.js';
import { closeRun, openRun } from './open-run.js';

export type FigureFormat = 'svg' | 'png';

export interface AnalyzeOptions {
    /** Default: `<first run>/analysis`. */
    out?: string;
    /** SVG is always written; `png` adds a PNG of each figure. */
    format?: FigureFormat;
    /** Frames per dataset in Fig. 4. */
    frames?: number;
    embedding?: EmbeddingMethod;
    /** A checkpoint of each run (step, folder name or path); default the latest. */
    checkpoint?: string;
    /** Seeds Fig. 4's frame sample and embedding. */
    seed?: number;
    gridSize?: number;
    cacheDir?: string;
    /** Progress lines. */
    log?: (line: string) => void;
}

export const DEFAULT_FRAMES = 200;
export const DEFAULT_SEED = 1;

/** analysis.json: what the editor reads to find the figures (README, "persemon analyze"). */
export interface AnalysisIndex {
    version: 1;
    runs: Array<{ run: string; experiment: string; step: number; checkpoint: string }>;
    figures: Array<{ id: 'fig3' | 'fig4'; title: string; json: string; svg: string; png?: string }>;
}

export interface Fig3File {
    figure: 'fig3';
    disk: { definition: string; fraction: number };
    runs: Fig3Run[];
}

export interface Fig4File {
    figure: 'fig4';
    frames: number;
    seed: number;
    runs: Fig4Run[];
}

export const DISK_DEFINITION = 'the top decile of grid points by RAM output (ties at its lowest value included); '
    + 'centre: their output-weighted mean (arousal, valence); sd: their output-weighted standard deviation per axis '
    + 'about that centre; radius: sqrt(sd_arousal^2 + sd_valence^2)';

export async function analyze(runDirs: readonly string[], options: AnalyzeOptions = {}): Promise<{ out: string; index: AnalysisIndex }> {
    if (runDirs.length === 0) throw new RangeError('analyze needs at least one run directory');
    const log = options.log ?? (() => {});
    const frames = options.frames ?? DEFAULT_FRAMES;
    const seed = options.seed ?? DEFAULT_SEED;
    const method = options.embedding ?? 'umap';
    const fig3: Fig3Run[] = [];
    const fig4: Fig4Run[] = [];
    for (const dir of runDirs) {
        const run = await openRun(dir, { checkpoint: options.checkpoint, cacheDir: options.cacheDir });
        try {
            log(`${run.dir.root}: checkpoint of step ${run.step}`);
            fig3.push(await fig3Run(run, options.gridSize ?? GRID_SIZE));
            log(`  Fig. 3: RAM over the arousal-valence grid, ${fig3.at(-1)!.videos.length} test videos' mean emotion`);
            fig4.push(await fig4Run(run, frames, method, seed));
            log(`  Fig. 4: ${method} of ${fig4.at(-1)!.points.length} frames' FEM features`);
        } finally {
            closeRun(run);
        }
    }
    const out = path.resolve(options.out ?? path.join(runDirs[0], 'analysis'));
    makeFolder(out);
    const index: AnalysisIndex = { version: 1, runs: fig3.map((r) => ({ run: r.run, experiment: r.experiment, step: r.step, checkpoint: r.checkpoint })), figures: [] };
    const write = async (id: 'fig3' | 'fig4', title: string, data: object, spec: Record<string, unknown>) => {
        const base = id === 'fig3' ? 'fig3-ram' : 'fig4-features';
        writeFileAtomic(path.join(out, `${base}.json`), JSON.stringify(data, null, 1) + '\n');
        const svg = await renderSvg(spec);
        writeFileAtomic(path.join(out, `${base}.svg`), svg);
        const entry: AnalysisIndex['figures'][number] = { id, title, json: `${base}.json`, svg: `${base}.svg` };
        if (options.format === 'png') {
            writeFileAtomic(path.join(out, `${base}.png`), await svgToPng(svg));
            entry.png = `${base}.png`;
        } else fs.rmSync(path.join(out, `${base}.png`), { force: true });
        index.figures.push(entry);
    };
    await write('fig3', 'Fig. 3: RAM over the arousal-valence plane, each trait\'s disk, the test videos\' mean emotion',
        { figure: 'fig3', disk: { definition: DISK_DEFINITION, fraction: TOP_FRACTION }, runs: fig3 } satisfies Fig3File, fig3Spec(fig3));
    await write('fig4', 'Fig. 4: FEM features (fc5) of both datasets in 2-D, coloured by dataset',
        { figure: 'fig4', frames, seed, runs: fig4 } satisfies Fig4File, fig4Spec(fig4));
    writeFileAtomic(path.join(out, 'analysis.json'), JSON.stringify(index, null, 2) + '\n');
    return { out, index };
}
