/**
 * A small canvas line chart: axes with round ticks, a legend, several series, crisp on high-DPI
 * screens. Series arrive already downsampled; drawing is linear in the points given.
 */
import { niceTicks } from '../../src/panel/downsample.js';

export interface Series {
    label: string;
    color: string;
    xs: number[];
    ys: number[];
    dash?: number[];
    width?: number;
    /** Drawn faintly (the raw curve under a smoothed one) and left out of the legend. */
    faint?: boolean;
}

export interface Theme {
    foreground: string;
    grid: string;
    background: string;
    font: string;
}

const PAD = { left: 56, right: 12, top: 10, bottom: 26 };
const LEGEND_ROW = 16;

export function drawChart(canvas: HTMLCanvasElement, series: readonly Series[], theme: Theme, xLabel = 'step'): void {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
    }
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = theme.font;
    ctx.textBaseline = 'middle';

    const legendHeight = drawLegend(ctx, series.filter(s => !s.faint), theme, width);
    const plot = { x: PAD.left, y: PAD.top + legendHeight, w: width - PAD.left - PAD.right, h: height - PAD.top - PAD.bottom - legendHeight };
    if (plot.w < 20 || plot.h < 20) return;

    const range = extent(series);
    if (!range) {
        ctx.fillStyle = theme.foreground;
        ctx.textAlign = 'center';
        ctx.fillText('waiting for data…', plot.x + plot.w / 2, plot.y + plot.h / 2);
        return;
    }
    const xTicks = niceTicks(range.x0, range.x1, Math.max(2, Math.floor(plot.w / 90)), true);
    // A little air above and below, so extreme points are not cut by the plot's edge.
    const air = (range.y1 - range.y0) * 0.04;
    range.y0 -= air;
    range.y1 += air;
    const yTicks = niceTicks(range.y0, range.y1, Math.max(2, Math.floor(plot.h / 40)));
    const x0 = Math.min(range.x0, xTicks[0] ?? range.x0);
    const x1 = Math.max(range.x1, xTicks.at(-1) ?? range.x1);
    const y0 = Math.min(range.y0, yTicks[0] ?? range.y0);
    const y1 = Math.max(range.y1, yTicks.at(-1) ?? range.y1);
    const sx = (x: number) => plot.x + ((x - x0) / (x1 - x0 || 1)) * plot.w;
    const sy = (y: number) => plot.y + plot.h - ((y - y0) / (y1 - y0 || 1)) * plot.h;

    ctx.strokeStyle = theme.grid;
    ctx.lineWidth = 1;
    ctx.fillStyle = theme.foreground;
    ctx.textAlign = 'right';
    for (const t of yTicks) {
        const y = Math.round(sy(t)) + 0.5;
        line(ctx, plot.x, y, plot.x + plot.w, y);
        ctx.fillText(tickLabel(t, yTicks), plot.x - 6, y);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of xTicks) {
        const x = Math.round(sx(t)) + 0.5;
        line(ctx, x, plot.y, x, plot.y + plot.h);
        ctx.fillText(tickLabel(t, xTicks), x, plot.y + plot.h + 6);
    }
    ctx.textAlign = 'left';
    ctx.fillText(xLabel, 2, plot.y + plot.h + 6);

    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x, plot.y, plot.w, plot.h);
    ctx.clip();
    for (const s of series) {
        if (s.xs.length === 0) continue;
        ctx.strokeStyle = s.color;
        ctx.fillStyle = s.color;
        ctx.globalAlpha = s.faint ? 0.25 : 1;
        ctx.lineWidth = s.width ?? 1.5;
        ctx.setLineDash(s.dash ?? []);
        if (s.xs.length === 1) {
            ctx.beginPath();
            ctx.arc(sx(s.xs[0]), sy(s.ys[0]), 2.5, 0, 2 * Math.PI);
            ctx.fill();
            continue;
        }
        ctx.beginPath();
        ctx.moveTo(sx(s.xs[0]), sy(s.ys[0]));
        for (let i = 1; i < s.xs.length; i++) ctx.lineTo(sx(s.xs[i]), sy(s.ys[i]));
        ctx.stroke();
    }
    ctx.restore();
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
}

function drawLegend(ctx: CanvasRenderingContext2D, series: readonly Series[], theme: Theme, width: number): number {
    if (series.length < 2) return 0;
    let x = PAD.left;
    let row = 0;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    for (const s of series) {
        const w = 22 + ctx.measureText(s.label).width + 14;
        if (x + w > width - PAD.right && x > PAD.left) {
            x = PAD.left;
            row++;
        }
        const y = PAD.top + row * LEGEND_ROW + LEGEND_ROW / 2;
        ctx.strokeStyle = s.color;
        ctx.lineWidth = 2;
        ctx.setLineDash(s.dash ?? []);
        line(ctx, x, y, x + 16, y);
        ctx.setLineDash([]);
        ctx.fillStyle = theme.foreground;
        ctx.fillText(s.label, x + 22, y);
        x += w;
    }
    return (row + 1) * LEGEND_ROW + 4;
}

function extent(series: readonly Series[]): { x0: number; x1: number; y0: number; y1: number } | undefined {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const s of series) {
        for (let i = 0; i < s.xs.length; i++) {
            const x = s.xs[i], y = s.ys[i];
            if (!Number.isFinite(y)) continue;
            if (x < x0) x0 = x;
            if (x > x1) x1 = x;
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
        }
    }
    return x0 <= x1 ? { x0, x1, y0, y1 } : undefined;
}

function line(ctx: CanvasRenderingContext2D, xa: number, ya: number, xb: number, yb: number): void {
    ctx.beginPath();
    ctx.moveTo(xa, ya);
    ctx.lineTo(xb, yb);
    ctx.stroke();
}

function tickLabel(value: number, ticks: number[]): string {
    const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(value) || 1;
    const magnitude = Math.max(...ticks.map(Math.abs));
    if (magnitude >= 1e5 || (magnitude > 0 && magnitude < 1e-3)) return value.toExponential(1);
    const digits = Math.max(0, Math.min(6, -Math.floor(Math.log10(step))));
    return value.toFixed(digits);
}
