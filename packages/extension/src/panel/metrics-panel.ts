/**
 * The metrics panel: live curves, evaluation metrics and the final table of one or several runs.
 * The host reads events (the registry's tails) and sends columns; the page only draws. A reload
 * rebuilds it from events.jsonl through the serializer and the run list the page saved.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeCli } from '../runner/cli.js';
import type { EvalEvent, RunEvent, StartEvent } from '../runner/events.js';
import { runCli } from '../runner/launcher.js';
import type { Appended, Run, RunRegistry } from '../runner/registry.js';
import { readEvents } from '../runner/tail.js';
import { experimentFromDir } from '../runner/describe.js';
import { shapeEvents, TrainColumns } from './columns.js';
import { pageHtml, webviewOptions } from './html.js';
import type { HostMessage, PageMessage, PanelState, RunInfo } from './messages.js';

export interface PanelContext {
    extensionUri: vscode.Uri;
    registry: RunRegistry;
}

interface Shown {
    train: TrainColumns;
    evals: EvalEvent[];
    /** Bytes of events.jsonl that train and evals hold. */
    offset: number;
    /** Events that arrived while the file was being read: applied after it. */
    pending: RunEvent[] | undefined;
}

/**
 * The runs shown last, kept after the panel closes so that reopening one reads only what was
 * appended since (a 100,000-step log takes the better part of a second to parse).
 */
const recent = new Map<string, Shown>();
const RECENT_RUNS = 4;

function remember(dir: string, shown: Shown): void {
    recent.delete(dir);
    recent.set(dir, shown);
    for (const old of recent.keys()) {
        if (recent.size <= RECENT_RUNS) break;
        recent.delete(old);
    }
}

export class MetricsPanel {
    static readonly viewType = 'persemon.metrics';
    private static current: MetricsPanel | undefined;

    private shown = new Map<string, Shown>();
    private loaded: Promise<void> = Promise.resolve();
    private ready = false;
    /** The page has the current runs' history: from now on it gets increments. */
    private synced = false;
    private readonly disposables: vscode.Disposable[] = [];
    /** The `about` lines the page has: sent again only when they change. */
    private about = '';

    static createOrShow(context: PanelContext, dirs: string[]): MetricsPanel {
        if (MetricsPanel.current) {
            // Like a new panel, keep the focus where it is: a quick pick opened next (Stop Run's
            // "which run?") would otherwise lose it to the webview and close.
            MetricsPanel.current.panel.reveal(undefined, true);
            MetricsPanel.current.show(dirs);
            return MetricsPanel.current;
        }
        const panel = vscode.window.createWebviewPanel(MetricsPanel.viewType, 'PersEmoN Metrics',
            { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(context.extensionUri));
        MetricsPanel.current = new MetricsPanel(panel, context, dirs);
        return MetricsPanel.current;
    }

    static revive(panel: vscode.WebviewPanel, context: PanelContext, state: PanelState | undefined): void {
        const dirs = (state?.runs ?? []).filter(dir => fs.existsSync(path.join(dir, 'events.jsonl')));
        MetricsPanel.current = new MetricsPanel(panel, context, dirs);
    }

    private constructor(private readonly panel: vscode.WebviewPanel, private readonly context: PanelContext, dirs: string[]) {
        panel.webview.options = webviewOptions(context.extensionUri);
        panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'persemon.svg');
        panel.webview.html = pageHtml(panel.webview, context.extensionUri, { title: 'PersEmoN Metrics', script: 'metrics.js', about: true });
        this.disposables.push(
            panel.onDidDispose(() => this.dispose()),
            // A hidden webview is unloaded; it says `ready` again when shown.
            panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = this.synced = false; }),
            panel.webview.onDidReceiveMessage((message: PageMessage) => void this.onMessage(message)),
            context.registry.onDidAppend(appended => this.onAppend(appended)),
            context.registry.onDidChange(run => {
                if (!run || !this.synced || !this.shown.has(run.dir)) return;
                this.post({ type: 'info', run: info(run) });
                void this.sendAbout();
            })
        );
        this.show(dirs);
    }

    /**
     * Replaces the runs shown. Each is read from its events.jsonl up to the registry tail's offset,
     * while the page loads; what the tail delivers meanwhile is queued and applied after.
     */
    show(dirs: string[]): void {
        this.shown = new Map();
        this.synced = false;
        const loads: Promise<void>[] = [];
        for (const dir of dirs) {
            const run = this.context.registry.add(dir);
            const cached = recent.get(run.dir);
            const shown: Shown = cached && cached.offset <= run.offset && !cached.pending
                ? { ...cached, pending: [] }
                : { train: new TrainColumns(), evals: [], offset: 0, pending: [] };
            this.shown.set(run.dir, shown);
            loads.push(this.load(run, shown));
        }
        this.loaded = Promise.all(loads).then(() => undefined);
        this.panel.title = dirs.length === 1 ? `Metrics: ${path.basename(dirs[0])}` : `Metrics: ${dirs.length} runs`;
        if (this.ready) void this.sendAll();
    }

    private async load(run: Run, shown: Shown): Promise<void> {
        const file = path.join(run.dir, 'events.jsonl');
        const end = run.offset;
        const events = fs.existsSync(file) ? await readEvents(file, shown.offset, end) : [];
        const { train, evals } = shapeEvents([...events, ...shown.pending!]);
        shown.train.append(train);
        shown.evals.push(...evals);
        shown.offset = Math.max(end, shown.offset);
        shown.pending = undefined;
        remember(run.dir, shown);
    }

    private async sendAll(): Promise<void> {
        const shown = this.shown;
        await this.loaded;
        if (shown !== this.shown || !this.ready) return;
        const runs = [...shown.keys()].map(dir => this.context.registry.get(dir)).filter((r): r is Run => r !== undefined);
        const smoothing = vscode.workspace.getConfiguration('persemon').get<number>('chart.smoothing', 0.6);
        this.post({ type: 'reset', runs: runs.map(info), smoothing });
        for (const [dir, data] of shown) this.post({ type: 'append', run: dir, train: data.train.chunk(), evals: data.evals });
        this.synced = true;
        this.about = '';
        await this.sendAbout();
    }

    /** Which CLI and which engine each run shown used (shell's `about`, see html.ts). */
    private async sendAbout(): Promise<void> {
        const runs = [...this.shown.keys()].map(dir => this.context.registry.get(dir)).filter((r): r is Run => r !== undefined);
        const lines = await Promise.all(runs.map(async run => {
            const launched = runCli(run.dir);
            // A run started elsewhere (a terminal, another window) names its runtime in its start event.
            const logged = run.summary.start?.runtime;
            const cli = launched ? describeCli(launched.cli, await launched.version)
                : logged ? `persemon ${logged.version} (${logged.dir})` : 'not started from this window';
            return `${path.basename(run.dir)}: engine ${engine(run.summary.start)} · CLI ${cli}`;
        }));
        const text = lines.join('\n');
        if (text === this.about || !this.ready) return;
        this.about = text;
        void this.panel.webview.postMessage({ type: 'about', lines });
    }

    private onAppend({ run, events }: Appended): void {
        const data = this.shown.get(run.dir);
        if (!data) return;
        if (data.pending) {
            data.pending.push(...events);
            return;
        }
        data.offset = run.offset;
        const more = shapeEvents(events);
        if (more.train.step.length === 0 && more.evals.length === 0) return;
        data.train.append(more.train);
        data.evals.push(...more.evals);
        if (this.synced) this.post({ type: 'append', run: run.dir, train: more.train, evals: more.evals });
    }

    private async onMessage(message: PageMessage): Promise<void> {
        switch (message.type) {
            case 'ready':
                this.ready = true;
                return this.sendAll();
            case 'exportPng':
                return this.exportPng(message.chart, message.dataUrl);
            case 'openFolder':
                return void vscode.commands.executeCommand('persemon.revealRun', message.run);
        }
    }

    private async exportPng(chart: string, dataUrl: string): Promise<void> {
        const first = [...this.shown.keys()][0];
        const base = first ? vscode.Uri.file(path.join(first, `${chart}.png`)) : undefined;
        const target = await vscode.window.showSaveDialog({ defaultUri: base, filters: { 'PNG image': ['png'] } });
        if (!target) return;
        await vscode.workspace.fs.writeFile(target, Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
        this.post({ type: 'exported', file: target.fsPath });
    }

    private post(message: HostMessage): void {
        if (this.ready) void this.panel.webview.postMessage(message);
    }

    private dispose(): void {
        if (MetricsPanel.current === this) MetricsPanel.current = undefined;
        vscode.Disposable.from(...this.disposables).dispose();
    }
}

function info(run: Run): RunInfo {
    const start = run.summary.start;
    return {
        id: run.dir,
        label: path.basename(run.dir),
        experiment: run.summary.experiment ?? experimentFromDir(run.dir),
        state: run.state,
        backend: start?.backend,
        backendVersion: start?.backend_version,
        threads: start?.threads,
        iterations: run.summary.iterations,
        step: run.summary.step,
        imagesPerS: run.summary.imagesPerS
    };
}

/** The engine of the run's latest start event, as the runtime logged it. */
function engine(start: StartEvent | undefined): string {
    if (!start) return 'not started yet';
    const parts = [`${start.backend} ${start.backend_version}`];
    if (start.tensorflow) parts.push(`TensorFlow ${start.tensorflow}`);
    if (start.threads) parts.push(`${start.threads} threads`);
    return start.engine_source ? `${parts.join(', ')} (${start.engine_source})` : parts.join(', ');
}
