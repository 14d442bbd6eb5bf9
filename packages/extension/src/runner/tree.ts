/** The Runs view: run directories with their state, backend and latest metrics. */
import * as vscode from 'vscode';
import { describeRun, type MetricLine } from './describe.js';
import type { Run, RunRegistry } from './registry.js';

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

class MetricItem extends vscode.TreeItem {
    constructor(line: MetricLine) {
        super(line.label, vscode.TreeItemCollapsibleState.None);
        this.description = line.description;
        this.contextValue = 'metric';
    }
}

type Node = RunItem | MetricItem;

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
        if (!node) return this.registry.all().map(run => new RunItem(run));
        if (node instanceof RunItem) return describeRun(node.run.dir, node.run.summary, node.run.state).metrics.map(m => new MetricItem(m));
        return [];
    }

    dispose(): void {
        if (this.pending) clearTimeout(this.pending);
        this.subscription.dispose();
        this.changeEmitter.dispose();
    }
}
