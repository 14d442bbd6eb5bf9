/**
 * The Runs view: sweeps, each with its progress and its points beneath, and run directories with
 * their state, backend and latest metrics.
 */
import * as vscode from 'vscode';
import { describeSweep } from '../sweep/describe-sweep.js';
import { describeSettings, pointRunDir, type SweepPointRecord } from '../sweep/sweep-file.js';
import { describeRun, type MetricLine } from './describe.js';
import type { Run, RunRegistry, Sweep } from './registry.js';

export class RunItem extends vscode.TreeItem {
    constructor(readonly run: Run) {
        const text = describeRun(run.dir, run.summary, run.state);
        super(text.label, text.metrics.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        this.id = run.dir;
        this.description = text.description;
        this.tooltip = text.tooltip;
        this.iconPath = new vscode.ThemeIcon(text.icon.id, text.icon.color ? new vscode.ThemeColor(text.icon.color) : undefined);
        this.contextValue = text.contextValue;
        this.resourceUri = vscode.Uri.file(run.dir);
        this.command = { command: 'persemon.showMetrics', title: 'Show Metrics', arguments: [this] };
    }
}

export class SweepItem extends vscode.TreeItem {
    constructor(readonly sweep: Sweep, registry: RunRegistry) {
        const text = sweep.record && describeSweep(sweep.record, dir => registry.get(dir));
        super(text ? text.label : sweep.root, text ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        this.id = `sweep:${sweep.root}`;
        this.resourceUri = vscode.Uri.file(sweep.root);
        if (!text) {
            this.description = 'unreadable sweep.json';
            this.tooltip = sweep.error;
            this.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
            this.contextValue = 'sweep.unreadable';
            return;
        }
        this.description = text.description;
        this.tooltip = text.tooltip;
        this.iconPath = new vscode.ThemeIcon(text.icon.id, text.icon.color ? new vscode.ThemeColor(text.icon.color) : undefined);
        this.contextValue = text.contextValue;
    }
}

/** A point of a sweep whose run has not started (or left no events.jsonl). */
class PointItem extends vscode.TreeItem {
    constructor(root: string, point: SweepPointRecord, state: string) {
        super(point.name, vscode.TreeItemCollapsibleState.None);
        this.id = `point:${pointRunDir(root, point.name)}`;
        this.description = state;
        this.tooltip = [`${point.experiment} (${state})`, describeSettings(point), point.error].filter(Boolean).join('\n');
        this.iconPath = new vscode.ThemeIcon(state === 'failed' ? 'error' : state === 'running' ? 'loading~spin' : 'circle-outline',
            state === 'failed' ? new vscode.ThemeColor('testing.iconFailed') : undefined);
        this.contextValue = `point.${state}`;
    }
}

class MetricItem extends vscode.TreeItem {
    constructor(line: MetricLine) {
        super(line.label, vscode.TreeItemCollapsibleState.None);
        this.description = line.description;
        this.contextValue = 'metric';
    }
}

type Node = SweepItem | RunItem | PointItem | MetricItem;

export class RunsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
    private readonly changeEmitter = new vscode.EventEmitter<Node | undefined>();
    readonly onDidChangeTreeData = this.changeEmitter.event;
    private readonly subscription: vscode.Disposable;
    private pending: NodeJS.Timeout | undefined;

    constructor(private readonly registry: RunRegistry) {
        this.subscription = registry.onDidChange(() => this.refresh());
    }

    /** Coalesces bursts of events (a live run logs many per second) into one redraw. */
    refresh(): void {
        if (this.pending) return;
        this.pending = setTimeout(() => {
            this.pending = undefined;
            this.changeEmitter.fire(undefined);
        }, 200);
    }

    getTreeItem(node: Node): vscode.TreeItem {
        return node;
    }

    getChildren(node?: Node): Node[] {
        if (!node) return this.roots();
        if (node instanceof SweepItem) {
            const record = node.sweep.record;
            if (!record) return [];
            return describeSweep(record, dir => this.registry.get(dir)).points
                .map(p => (p.run ? new RunItem(p.run) : new PointItem(record.root, p.record, p.state)));
        }
        if (node instanceof RunItem) return describeRun(node.run.dir, node.run.summary, node.run.state).metrics.map(m => new MetricItem(m));
        return [];
    }

    /** Sweeps and the runs outside any known sweep, newest first (both names end in their start time). */
    private roots(): Node[] {
        const sweeps = this.registry.sweeps();
        const runs = this.registry.all().filter(run => !this.registry.sweepOf(run.dir));
        const items: Array<{ time: string; node: Node }> = [
            ...sweeps.map(s => ({ time: startTime(s.root), node: new SweepItem(s, this.registry) as Node })),
            ...runs.map(r => ({ time: startTime(r.dir), node: new RunItem(r) as Node }))
        ];
        return items.sort((a, b) => b.time.localeCompare(a.time)).map(i => i.node);
    }

    dispose(): void {
        if (this.pending) clearTimeout(this.pending);
        this.subscription.dispose();
        this.changeEmitter.dispose();
    }
}

function startTime(dir: string): string {
    return /(\d{8}-\d{6})(-\d+)?$/.exec(dir)?.[1] ?? '';
}
