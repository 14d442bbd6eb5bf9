/**
 * `persemon analyze RUN_DIR [RUN_DIR_B] [--out DIR] [--format svg|png] [--frames N] [--embedding umap|tsne]
 * [--checkpoint C] [--seed N] [--grid N]`: the paper's Fig. 3 and Fig. 4 for a run (two runs side by
 * side), as SVG (and PNG) with the JSON behind them; prints the folder they were written to.
 */
import { UsageError } from '../errors.js';
import { analyze, DEFAULT_FRAMES, DEFAULT_SEED, type FigureFormat } from '../analyze/analyze.js';
import { EMBEDDINGS, type EmbeddingMethod } from '../analyze/embedding.js';
import { GRID_SIZE } from '../analyze/grid.js';
import type { Output } from './output.js';
import { withFileErrors } from './run.js';
import { stringValue, wholeValue, type Verb } from './verb.js';

const FORMATS: readonly FigureFormat[] = ['svg', 'png'];

export const analyzeVerb: Verb = {
    name: 'analyze',
    computes: true,
    actions: [{
        args: 'RUN_DIR [RUN_DIR_B]',
        summary: 'the paper\'s Fig. 3 (RAM in the arousal-valence plane)\nand Fig. 4 (FEM features of both datasets in 2-D)',
        description: 'With the run\'s latest checkpoint, writes into RUN_DIR/analysis/ (or --out):\n'
            + '  fig3-ram.svg/.json       RAM\'s output per trait over a grid of (arousal, valence) in [-1,1]^2,\n'
            + '                           each trait\'s disk (the top decile of that grid), the test videos\' mean emotion\n'
            + '  fig4-features.svg/.json  a 2-D embedding of FEM\'s fc5 features of N frames of each dataset,\n'
            + '                           coloured by dataset, with a k-NN dataset-classification accuracy\n'
            + '  analysis.json            the files written, for the editor\n'
            + 'Two run directories (e.g. with and without coherence) are drawn side by side, the paper\'s Fig. 4.',
        options: {
            out: { type: 'string', value: 'DIR', help: 'write the figures into DIR (default: RUN_DIR/analysis)' },
            format: { type: 'string', value: 'svg|png', help: 'png: a PNG of each figure beside its SVG (default: svg only)' },
            frames: { type: 'string', value: 'N', help: `frames drawn from each dataset for Fig. 4 (default ${DEFAULT_FRAMES})` },
            embedding: { type: 'string', value: 'umap|tsne', help: 'Fig. 4\'s 2-D embedding (default umap; tsne is exact, O(N^2))' },
            checkpoint: { type: 'string', value: 'C', help: 'the checkpoint to analyse: a step, a step-NNNNNNN folder name or its path\n(default: the latest intact one)' },
            seed: { type: 'string', value: 'N', help: `seeds Fig. 4's frame sample and embedding (default ${DEFAULT_SEED})` },
            grid: { type: 'string', value: 'N', help: `points per axis of Fig. 3's grid (default ${GRID_SIZE}: steps of 0.05)` },
        },
        exit: { 0: 'when the figures are written', 1: 'on a missing run directory, a run without a checkpoint, or unreadable data' },
        run: async (args, out) => {
            if (args.positionals.length < 1 || args.positionals.length > 2) throw new UsageError('analyze needs one RUN_DIR, or two to compare');
            const format = stringValue(args, 'format') ?? 'svg';
            if (!FORMATS.includes(format as FigureFormat)) throw new UsageError(`--format must be svg or png, not '${format}'`);
            const embedding = stringValue(args, 'embedding') ?? 'umap';
            if (!EMBEDDINGS.includes(embedding as EmbeddingMethod)) throw new UsageError(`--embedding must be umap or tsne, not '${embedding}'`);
            const options = {
                out: stringValue(args, 'out'),
                format: format as FigureFormat,
                frames: wholeValue(args, 'frames', 1),
                embedding: embedding as EmbeddingMethod,
                checkpoint: stringValue(args, 'checkpoint'),
                seed: wholeValue(args, 'seed'),
                gridSize: wholeValue(args, 'grid', 2),
            };
            await run(args.positionals, options, out);
        },
    }],
};

async function run(runDirs: string[], options: Parameters<typeof analyze>[1], out: Output): Promise<void> {
    await withFileErrors(async () => {
        const { out: folder, index } = await analyze(runDirs, { ...options, log: (line) => out.info(line) });
        for (const figure of index.figures) out.info(`${figure.title}: ${[figure.svg, figure.png, figure.json].filter(Boolean).join(', ')}`);
        out.line(folder);
    });
}
