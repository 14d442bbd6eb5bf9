/**
 * The editor's data path without the editor: how long the extension host takes to follow and load
 * a run of 100,000 train events, how soon an appended event reaches a listener, and what one chart
 * frame costs the page (smoothing and downsampling every curve). The whole path through a real VS
 * Code is timed by the end-to-end test (test/e2e/artifacts/results.json).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOGGED_LOSS_TERMS } from '@persemon/runtime/events';
import { COLUMNS, shapeEvents, TrainColumns } from 'persemon-vscode/panel/columns';
import { minMaxBuckets, smooth } from 'persemon-vscode/panel/downsample';
import { EventTail, readEvents } from 'persemon-vscode/runner/tail';
import { median } from './median.js';

const EVENTS = 100_000;
/** A chart about as wide as a half-screen panel, in CSS pixels. */
const WIDTH = 700;

function trainLine(step: number): string {
    const total = 2 * Math.exp(-step / 20000) + 0.1 * Math.sin(step / 50) + 0.3;
    return JSON.stringify({
        type: 'train', time: new Date(1_700_000_000_000 + step * 1000).toISOString(), step, lr: 0.01, images_per_s: 80 + Math.sin(step),
        loss: { total, per: total * 0.4, emo: total * 0.3, d: 0.69, adv: 0.69, ram: total * 0.1 }
    }) + '\n';
}

/** Appends one event and resolves with the ms until the tail delivered it. */
function appendLatency(dir: string, pollMs: number, watch: boolean, step: number): Promise<number> {
    return new Promise((resolve, reject) => {
        let started = 0;
        // Also keeps the process alive: the tail's own watcher and timer do not.
        const timeout = setTimeout(() => reject(new Error(`step ${step} not delivered within 10 s`)), 10_000);
        const tail = new EventTail(dir, events => {
            if (!events.some(e => e.step === step)) return;
            tail.dispose();
            clearTimeout(timeout);
            resolve(performance.now() - started);
        }, { pollMs });
        tail.start();
        if (!watch) (tail as unknown as { stopWatching(): void }).stopWatching();
        started = performance.now();
        fs.appendFileSync(path.join(dir, 'events.jsonl'), trainLine(step));
    });
}

export async function run(): Promise<Record<string, number>> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-bench-'));
    try {
        const file = path.join(dir, 'events.jsonl');
        fs.writeFileSync(file, Array.from({ length: EVENTS }, (_, i) => trainLine(i + 1)).join(''));
        const bytes = fs.statSync(file).size;

        // The registry's tail reading a long run it discovers.
        let t = performance.now();
        let delivered = 0;
        const tail = new EventTail(dir, events => { delivered += events.length; });
        tail.start();
        const tailInitialMs = performance.now() - t;
        tail.dispose();
        if (delivered !== EVENTS) throw new Error(`tail delivered ${delivered} events`);

        // The panel loading it: read, parse, shape into columns, copy for posting.
        t = performance.now();
        const events = await readEvents(file, 0, bytes);
        const table = new TrainColumns();
        table.append(shapeEvents(events).train);
        const panelLoadMs = performance.now() - t;
        t = performance.now();
        const chunk = table.chunk();
        const chunkMs = performance.now() - t;
        const postedBytes = COLUMNS.reduce((n, c) => n + chunk[c].byteLength, 0);

        // One frame of the page: every train curve smoothed and bucketed to the chart's width.
        const frames: number[] = [];
        for (let i = 0; i < 5; i++) {
            t = performance.now();
            const xs = table.view('step');
            for (const term of LOGGED_LOSS_TERMS) {
                minMaxBuckets(xs, table.view(term), WIDTH);
                minMaxBuckets(xs, smooth(table.view(term), 0.6), WIDTH);
            }
            minMaxBuckets(xs, table.view('lr'), WIDTH);
            minMaxBuckets(xs, smooth(table.view('images_per_s'), 0.6), WIDTH);
            frames.push(performance.now() - t);
        }

        const watched: number[] = [];
        const polled: number[] = [];
        for (let i = 1; i <= 5; i++) watched.push(await appendLatency(dir, 500, true, EVENTS + i));
        for (let i = 6; i <= 10; i++) polled.push(await appendLatency(dir, 500, false, EVENTS + i));

        return {
            events: EVENTS,
            file_mb: Math.round(bytes / 1e5) / 10,
            tail_initial_read_ms: Math.round(tailInitialMs),
            panel_load_ms: Math.round(panelLoadMs),
            chunk_float32_ms: Math.round(chunkMs),
            posted_mb: Math.round(postedBytes / 1e5) / 10,
            frame_shaping_median_ms: Math.round(median(frames) * 10) / 10,
            append_to_listener_watch_median_ms: Math.round(median(watched) * 10) / 10,
            append_to_listener_poll_only_median_ms: Math.round(median(polled)),
            append_to_listener_poll_only_max_ms: Math.round(Math.max(...polled))
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
