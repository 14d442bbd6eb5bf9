/**
 * `persemon analyze` on short quickstart runs: both figures as SVG that a real renderer (Skia, through
 * @napi-rs/canvas) loads, with one mark per point, PNG beside them, and the JSON behind them; RAM's
 * grid recomputed from the checkpoint's own tensors with plain arithmetic; two runs side by side;
 * a bad run directory named in a one-line error, exit 1.
 *
 * Until `analyze` is registered among the CLI's verbs, the same arguments go through the verb's
 * module in this process, with main's exit codes (bad arguments 2, any other error 1).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Image } from '@napi-rs/canvas';
import { TRAITS } from '@persemon/language';
import { decodeWeights } from '@persemon/runtime';
import { analyzeVerb } from '../packages/runtime/src/cli/analyze.js';
import { invoke } from '../packages/runtime/src/cli/verb.js';
import { VERBS } from '../packages/runtime/src/cli/verbs.js';
import { UsageError } from '../packages/runtime/src/errors.js';
import { persemon, root, workspace } from './helpers/cli.js';

const REGISTERED = VERBS.some((v) => v.name === 'analyze');

async function analyzeCli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    if (REGISTERED) {
        const r = persemon(['analyze', ...args]);
        return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    }
    let stdout = '';
    let stderr = '';
    try {
        await invoke(analyzeVerb, args, { line: (t) => (stdout += t + '\n'), info: (t) => (stderr += t + '\n') });
        return { status: 0, stdout, stderr };
    } catch (error) {
        return { status: error instanceof UsageError ? 2 : 1, stdout, stderr: stderr + `persemon: ${(error as Error).message}\n` };
    }
}

/**
 * The items of a named layer: the <path>s in its mark groups (`<g class="mark-symbol role-mark NAME_marks" ...>`;
 * a line layer split by series has one such group per series).
 */
function markItems(svg: string, name: string): number {
    const groups = [...svg.matchAll(new RegExp(`<g class="mark-[a-z]+ role-mark ${name}_marks"[^>]*>`, 'g'))];
    assert.ok(groups.length > 0, `no mark group ${name}`);
    // Marks of these kinds hold one <path> per item and no nested groups.
    return groups.reduce((n, open) => n + (svg.slice(open.index! + open[0].length, svg.indexOf('</g>', open.index)).match(/<path /g) ?? []).length, 0);
}

/** Every element closed in order: what an XML parser would demand of the tags. */
function assertWellFormed(svg: string): void {
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* width="\d+(\.\d+)?" height="\d+(\.\d+)?"/);
    const stack: string[] = [];
    for (const [, close, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)(?:"[^"]*"|[^>"])*?(\/?)>/g)) {
        if (close) assert.equal(stack.pop(), name, `</${name}> closes another element`);
        else if (!selfClosing) stack.push(name);
    }
    assert.deepEqual(stack, []);
}

async function rendered(svg: string): Promise<{ width: number; height: number }> {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
        image.onload = () => resolve();
        image.onerror = reject;
        image.src = Buffer.from(svg);
    });
    return { width: image.width, height: image.height };
}

function trainQuickstart(file: string, out: string): string {
    const r = persemon(['run', file, '--max-steps', '5', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n')[0];
}

describe(`persemon analyze${REGISTERED ? '' : ' (through its module: the verb is not registered yet)'}`, function () {
    this.timeout(600_000);
    const { dir } = workspace('', 'unused.persemon');
    let runA: string;
    let runB: string;

    before(() => {
        runA = trainQuickstart(path.join(root, 'examples/quickstart.persemon'), path.join(dir, 'runs'));
        // The same experiment without coherence: the paper's Fig. 4 sets the two side by side.
        const text = fs.readFileSync(path.join(root, 'examples/quickstart.persemon'), 'utf8');
        const without = text.replace('experiment Quickstart {', 'experiment QuickstartNoCoherence {').replace(/^\s*coherence \{ \}\s*$/m, '');
        assert.notEqual(without, text);
        fs.writeFileSync(path.join(dir, 'nocoherence.persemon'), without);
        runB = trainQuickstart(path.join(dir, 'nocoherence.persemon'), path.join(dir, 'runs'));
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('writes Fig. 3 and Fig. 4 as SVG and PNG with the JSON behind them, into RUN_DIR/analysis', async () => {
        const r = await analyzeCli([runA, '--frames', '30', '--format', 'png']);
        assert.equal(r.status, 0, r.stderr);
        const out = path.join(runA, 'analysis');
        assert.equal(r.stdout.trim().split('\n').at(-1), out);
        const index = JSON.parse(fs.readFileSync(path.join(out, 'analysis.json'), 'utf8'));
        assert.deepEqual(index.figures.map((f: { id: string }) => f.id), ['fig3', 'fig4']);
        assert.deepEqual(index.runs.map((x: { run: string; step: number }) => [x.run, x.step]), [[runA, 5]]);
        for (const figure of index.figures) {
            for (const file of [figure.json, figure.svg, figure.png]) assert.ok(fs.existsSync(path.join(out, file)), `${file} written`);
            assert.deepEqual([...fs.readFileSync(path.join(out, figure.png)).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        }

        const fig3 = JSON.parse(fs.readFileSync(path.join(out, 'fig3-ram.json'), 'utf8'));
        const run3 = fig3.runs[0];
        assert.equal(run3.ram.grid.arousal.length, 41);
        assert.equal(run3.ram.consensus, 'average');
        // Quickstart's test splits: personas (400 people, 2 clips) and moods (120 people, 2 clips) hold out people;
        // every test video of both has a mean emotion, each from K = 6 frames.
        const spec = JSON.parse(fs.readFileSync(path.join(runA, 'spec.json'), 'utf8'));
        assert.equal(spec.sampling.segments, 6);
        const datasets = new Set(run3.videos.map((v: { dataset: string }) => v.dataset));
        assert.deepEqual([...datasets].sort(), ['moods', 'personas']);
        const predicted = fs.readFileSync(path.join(runA, 'predictions/test-personality.csv'), 'utf8').trim().split('\n').length - 1;
        assert.equal(run3.videos.filter((v: { dataset: string }) => v.dataset === 'personas').length, predicted);
        for (const v of run3.videos) {
            assert.equal(v.frames, 6);
            assert.ok(Math.abs(v.arousal) <= 1 && Math.abs(v.valence) <= 1);
            assert.equal(v.truth !== undefined, v.dataset === 'moods');
        }
        for (const t of TRAITS) {
            assert.equal(run3.ram.values[t].length, 41 * 41);
            const disk = run3.ram.disks[t];
            assert.ok(disk.points >= 169, `${t}: top decile of 1681 points is at least 169`);
            assert.ok(Math.abs(disk.centre.arousal) <= 1 && Math.abs(disk.centre.valence) <= 1 && disk.radius >= 0);
        }

        const svg3 = fs.readFileSync(path.join(out, 'fig3-ram.svg'), 'utf8');
        assertWellFormed(svg3);
        assert.ok((await rendered(svg3)).width > 0);
        for (const t of TRAITS) {
            assert.equal(markItems(svg3, `run0_${t}_grid`), 41 * 41, `${t}: one cell per grid point`);
            assert.equal(markItems(svg3, `run0_${t}_videos`), run3.videos.length, `${t}: one symbol per test video`);
        }
        assert.equal(markItems(svg3, 'run0_all_disks'), 5, 'one closed line per trait\'s disk');

        const fig4 = JSON.parse(fs.readFileSync(path.join(out, 'fig4-features.json'), 'utf8'));
        const run4 = fig4.runs[0];
        assert.equal(fig4.frames, 30);
        assert.deepEqual(run4.datasets.map((d: { dataset: string; drawn: number; used: number }) => [d.dataset, d.drawn, d.used]), [['personas', 30, 30], ['moods', 30, 30]]);
        assert.equal(run4.points.length, 60);
        assert.equal(run4.embedding.method, 'umap');
        assert.equal(run4.coherence, true);
        for (const key of ['features', 'embedding'] as const) {
            const s = run4.separation[key];
            assert.ok(s.accuracy >= 0 && s.accuracy <= 1 && s.chance === 0.5 && s.k === 5, JSON.stringify(s));
        }
        const svg4 = fs.readFileSync(path.join(out, 'fig4-features.svg'), 'utf8');
        assertWellFormed(svg4);
        assert.ok((await rendered(svg4)).width > 0);
        assert.equal(markItems(svg4, 'run0_points'), 60, 'one symbol per frame');
    });

    it('draws RAM exactly as the checkpoint\'s weights compute it, by plain arithmetic', () => {
        const fig3 = JSON.parse(fs.readFileSync(path.join(runA, 'analysis/fig3-ram.json'), 'utf8'));
        const { grid, values } = fig3.runs[0].ram;
        const weights = decodeWeights(fs.readFileSync(path.join(runA, 'checkpoints/step-0000005/weights.bin')));
        const tensor = (name: string) => weights.tensors.find((t) => t.name === name)!;
        const [w1, b1, w2, b2] = ['ram/fc1/weight', 'ram/fc1/bias', 'ram/fc2/weight', 'ram/fc2/bias'].map(tensor);
        const hidden = b1.values.length;
        assert.deepEqual(w1.shape, [2, hidden]);
        assert.deepEqual(w2.shape, [hidden, 5]);
        let worst = 0;
        grid.arousal.forEach((a: number, r: number) => grid.valence.forEach((v: number, c: number) => {
            const h = Array.from({ length: hidden }, (_, j) => Math.max(0, a * w1.values[j] + v * w1.values[hidden + j] + b1.values[j]));
            TRAITS.forEach((t, k) => {
                const z = h.reduce((s, x, j) => s + x * w2.values[j * 5 + k], b2.values[k]);
                worst = Math.max(worst, Math.abs(values[t][r * grid.valence.length + c] - 1 / (1 + Math.exp(-z))));
            });
        }));
        // float32 in the model, six decimals in the JSON.
        assert.ok(worst < 2e-6, `largest difference ${worst}`);
    });

    it('sets two runs side by side, with and without coherence, in --out', async () => {
        const out = path.join(dir, 'both');
        const r = await analyzeCli([runA, runB, '--out', out, '--frames', '20', '--embedding', 'tsne', '--grid', '11']);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout.trim().split('\n').at(-1), out);
        const fig4 = JSON.parse(fs.readFileSync(path.join(out, 'fig4-features.json'), 'utf8'));
        assert.deepEqual(fig4.runs.map((x: { experiment: string; coherence: boolean }) => [x.experiment, x.coherence]), [['Quickstart', true], ['QuickstartNoCoherence', false]]);
        assert.equal(fig4.runs[1].embedding.method, 'tsne');
        // The same seed draws the same frames of the same data for both runs.
        const frames = (run: { points: Array<{ dataset: string; video: string; frame: number }> }) => run.points.map((p) => `${p.dataset}/${p.video}#${p.frame}`);
        assert.deepEqual(frames(fig4.runs[1]), frames(fig4.runs[0]));
        const svg4 = fs.readFileSync(path.join(out, 'fig4-features.svg'), 'utf8');
        assert.equal(markItems(svg4, 'run0_points'), 40);
        assert.equal(markItems(svg4, 'run1_points'), 40);
        const fig3 = JSON.parse(fs.readFileSync(path.join(out, 'fig3-ram.json'), 'utf8'));
        assert.equal(fig3.runs.length, 2);
        assert.equal(fig3.runs[1].ram.values.openness.length, 121);
        assert.equal(markItems(fs.readFileSync(path.join(out, 'fig3-ram.svg'), 'utf8'), 'run1_openness_grid'), 121);
        assert.ok(!fs.existsSync(path.join(out, 'fig3-ram.png')), 'no PNG unless asked for');
    });

    it('refuses a missing run directory, a folder that is no run, and a run without a checkpoint, naming them (exit 1)', async () => {
        const missing = path.join(dir, 'no-such-run');
        let r = await analyzeCli([missing]);
        assert.equal(r.status, 1);
        assert.match(r.stderr, new RegExp(`persemon: ${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: no such run directory`));
        r = await analyzeCli([dir]);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /not a run directory \(no spec\.json\)/);
        const bare = path.join(dir, 'bare');
        fs.mkdirSync(path.join(bare, 'checkpoints'), { recursive: true });
        fs.copyFileSync(path.join(runA, 'spec.json'), path.join(bare, 'spec.json'));
        r = await analyzeCli([bare]);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /bare: has no checkpoint to analyse/);
        r = await analyzeCli([runA, '--checkpoint', '7']);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /--checkpoint 7: no such checkpoint of .* \(it has: step-0000005\)/);
        assert.ok(!fs.existsSync(path.join(bare, 'analysis')), 'nothing written for a run it refused');
    });

    it('analyses the checkpoint named by --checkpoint: a step, a folder name or a path', async () => {
        for (const [n, checkpoint] of ['5', 'step-0000005', path.join(runA, 'checkpoints/step-0000005')].entries()) {
            const out = path.join(dir, `checkpoint-${n}`);
            const r = await analyzeCli([runA, '--checkpoint', checkpoint, '--out', out, '--frames', '4', '--grid', '3']);
            assert.equal(r.status, 0, r.stderr);
            const index = JSON.parse(fs.readFileSync(path.join(out, 'analysis.json'), 'utf8'));
            assert.deepEqual([index.runs[0].step, index.runs[0].checkpoint], [5, path.join(runA, 'checkpoints/step-0000005')]);
        }
    });

    it('refuses bad arguments with exit 2', async () => {
        assert.equal((await analyzeCli([runA, '--format', 'gif'])).status, 2);
        assert.equal((await analyzeCli([runA, '--embedding', 'pca'])).status, 2);
        assert.equal((await analyzeCli([runA, '--frames', '0'])).status, 2);
        assert.equal((await analyzeCli([])).status, 2);
    });
});
