/**
 * Fig. 3 and Fig. 4 drawn as SVG by Vega-Lite specifications compiled to Vega and rendered headless
 * (a View with renderer 'none' writes SVG text: no browser, no DOM, no native canvas), and as PNG by
 * rasterising that SVG with @napi-rs/canvas (Skia), which the runtime already uses for images.
 * Every panel puts valence on x and arousal on y, as Russell's circumplex (the paper's Fig. 2) does.
 * Layers carry names (`..._grid`, `..._videos`, `..._points`) so the SVG's mark groups can be found.
 */
import { createCanvas, Image } from '@napi-rs/canvas';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { TRAITS } from '@persemon/language';
import type { Fig3Run, Fig4Run } from './figures.js';

type Spec = Record<string, unknown>;

const PANEL = 170;
const AXIS = { domain: [-1, 1], nice: false, zero: false };
/** The disk drawn as the ellipse centre ± sd, closed, in this many segments. */
const ELLIPSE_SEGMENTS = 64;

export async function renderSvg(spec: Spec): Promise<string> {
    const compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    try {
        return await view.toSVG();
    } finally {
        view.finalize();
    }
}

/** The SVG drawn at `scale` times its size on white. */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
        image.onload = () => resolve();
        image.onerror = (error) => reject(error instanceof Error ? error : new Error(String(error)));
        image.src = Buffer.from(svg);
    });
    const canvas = createCanvas(Math.ceil(image.width * scale), Math.ceil(image.height * scale));
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return canvas.encode('png');
}

/** One row per run: RAM's output per trait with its disk, then all five disks; test videos' mean emotion on each. */
export function fig3Spec(runs: readonly Fig3Run[]): Spec {
    const rows = runs.map((run, r) => {
        const title = `${run.experiment} (step ${run.step})`;
        if (!run.ram) return { title, width: PANEL, height: 40, data: { values: [{}] }, mark: { type: 'text', text: 'RAM is off in this run', align: 'left' } };
        const ram = run.ram;
        const step = ram.grid.valence.length > 1 ? (ram.grid.valence[1] - ram.grid.valence[0]) / 2 : 1;
        const all = TRAITS.flatMap((t) => ram.values[t]);
        const colour = { domain: [Math.min(...all), Math.max(...all)], scheme: 'viridis' };
        const panels = TRAITS.map((trait) => {
            const cells = ram.values[trait].map((y, i) => {
                const a = ram.grid.arousal[Math.floor(i / ram.grid.valence.length)];
                const v = ram.grid.valence[i % ram.grid.valence.length];
                // Each cell reaches half a step either side of its point, cut at the plane's edge.
                return { v0: Math.max(-1, v - step), v1: Math.min(1, v + step), a0: Math.max(-1, a - step), a1: Math.min(1, a + step), y };
            });
            return {
                title: trait, width: PANEL, height: PANEL,
                layer: [
                    {
                        name: `run${r}_${trait}_grid`, data: { values: cells }, mark: { type: 'rect', clip: true },
                        encoding: {
                            x: { field: 'v0', type: 'quantitative', scale: AXIS, title: 'valence' }, x2: { field: 'v1' },
                            y: { field: 'a0', type: 'quantitative', scale: AXIS, title: 'arousal' }, y2: { field: 'a1' },
                            color: { field: 'y', type: 'quantitative', scale: colour, title: 'RAM output' },
                        },
                    },
                    diskLayer(`run${r}_${trait}_disk`, [{ trait, disk: ram.disks[trait] }], { value: 'white' }),
                    videoLayer(`run${r}_${trait}_videos`, run),
                ],
            };
        });
        const disks = {
            title: 'disks (top decile)', width: PANEL, height: PANEL,
            layer: [
                diskLayer(`run${r}_all_disks`, TRAITS.map((trait) => ({ trait, disk: ram.disks[trait] })),
                    { field: 'trait', type: 'nominal', scale: { domain: [...TRAITS] }, title: 'trait' }),
                videoLayer(`run${r}_all_videos`, run),
            ],
        };
        // The trait panels share one colour scale (and legend); the disks panel colours by trait.
        return { title, hconcat: [{ hconcat: panels, resolve: { scale: { color: 'shared' } } }, disks], resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } } };
    });
    // No ARIA labels: one per grid cell would make the SVG several times larger.
    return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', vconcat: rows, config: { view: { stroke: '#999' }, aria: false } };
}

/** One panel per run: the 2-D map of FEM features, a point per frame, coloured by dataset. */
export function fig4Spec(runs: readonly Fig4Run[]): Spec {
    const datasets = [...new Set(runs.flatMap((run) => run.datasets.map((d) => d.dataset)))];
    const panels = runs.map((run, r) => {
        const sep = run.separation.features;
        const subtitle = `coherence ${run.coherence ? 'on' : 'off'}; `
            + (sep ? `${sep.k}-NN dataset accuracy ${sep.accuracy.toFixed(3)} (chance ${sep.chance.toFixed(2)})` : 'one dataset: no separation');
        return {
            name: `run${r}_points`,
            title: { text: `${run.experiment} (step ${run.step})`, subtitle, subtitlePadding: 4 },
            width: 2 * PANEL, height: 2 * PANEL,
            data: { values: run.points.map((p) => ({ x: p.x, y: p.y, dataset: p.dataset })) },
            mark: { type: 'point', filled: true, size: 18, opacity: 0.7 },
            encoding: {
                x: { field: 'x', type: 'quantitative', scale: { zero: false }, title: `${run.embedding.method} 1` },
                y: { field: 'y', type: 'quantitative', scale: { zero: false }, title: `${run.embedding.method} 2` },
                color: { field: 'dataset', type: 'nominal', scale: { domain: datasets } },
            },
        };
    });
    return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', hconcat: panels };
}

function diskLayer(name: string, disks: ReadonlyArray<{ trait: string; disk: { centre: { arousal: number; valence: number }; sd: { arousal: number; valence: number } } }>, color: Spec): Spec {
    const values = disks.flatMap(({ trait, disk }) => Array.from({ length: ELLIPSE_SEGMENTS + 1 }, (_, k) => {
        const t = (2 * Math.PI * k) / ELLIPSE_SEGMENTS;
        return { trait, k, v: disk.centre.valence + disk.sd.valence * Math.cos(t), a: disk.centre.arousal + disk.sd.arousal * Math.sin(t) };
    }));
    return {
        name, data: { values }, mark: { type: 'line', strokeWidth: 2, clip: true },
        encoding: {
            x: { field: 'v', type: 'quantitative', scale: AXIS, title: 'valence' },
            y: { field: 'a', type: 'quantitative', scale: AXIS, title: 'arousal' },
            detail: { field: 'trait' }, order: { field: 'k', type: 'quantitative' }, color,
        },
    };
}

function videoLayer(name: string, run: Fig3Run): Spec {
    return {
        name, data: { values: run.videos.map((v) => ({ a: v.arousal, v: v.valence, dataset: v.dataset, id: v.id })) },
        mark: { type: 'point', size: 12, filled: true, fill: 'white', opacity: 0.9, stroke: 'black', strokeWidth: 0.5, clip: true },
        encoding: {
            x: { field: 'v', type: 'quantitative', scale: AXIS, title: 'valence' },
            y: { field: 'a', type: 'quantitative', scale: AXIS, title: 'arousal' },
            shape: { field: 'dataset', type: 'nominal', title: 'test videos' },
        },
    };
}
