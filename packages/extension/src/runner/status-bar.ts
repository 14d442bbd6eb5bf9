/** The status-bar item: step, loss and images/s of the run that logged last, while one is running. */
import * as vscode from 'vscode';
import { statusText } from './describe.js';
import type { Run, RunRegistry } from './registry.js';

export class RunStatusBar implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem('persemon.run', vscode.StatusBarAlignment.Left, 10);
    private readonly subscription: vscode.Disposable;
    private current: Run | undefined;

    constructor(registry: RunRegistry) {
        this.item.name = 'PersEmoN run';
        this.subscription = registry.onDidChange(run => this.update(run));
    }

    private update(run: Run | undefined): void {
        if (run && (run.state === 'running' || run.state === 'starting')) this.current = run;
        const shown = this.current;
        if (!shown) return;
        if (shown.state !== 'running' && shown.state !== 'starting') {
            this.item.hide();
            this.current = undefined;
            return;
        }
        this.item.text = `$(pulse) ${statusText(shown.summary)}`;
        this.item.tooltip = `${shown.dir}\nClick to show its metrics`;
        this.item.command = { command: 'persemon.showMetrics', title: 'Show Metrics', arguments: [shown.dir] };
        this.item.show();
    }

    dispose(): void {
        this.subscription.dispose();
        this.item.dispose();
    }
}
