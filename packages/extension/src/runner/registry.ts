/**
 * The run directories this editor knows: those under the workspace folders (found by their
 * events.jsonl, also when a terminal started them) and those the editor started elsewhere. Each is
 * followed by one EventTail; everything else (tree, status bar, panel) listens here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BadLine, RunEvent } from './events.js';
import { EventTail } from './tail.js';
import { emptySummary, foldEvents, runState, type RunState, type RunSummary } from './state.js';
import { experimentFromDir } from './describe.js';

export interface Run {
    readonly dir: string;
    readonly summary: RunSummary;
    readonly state: RunState;
    /** Bytes of events.jsonl already delivered through onDidAppend (whole lines only). */
    readonly offset: number;
}

export interface Appended {
    run: Run;
    events: RunEvent[];
}

class Entry implements Run {
    readonly summary = emptySummary();
    state: RunState = 'starting';
    owned = false;
    tail: EventTail;

    constructor(readonly dir: string, listener: (entry: Entry, events: RunEvent[], bad: BadLine[]) => void) {
        this.summary.experiment = experimentFromDir(dir);
        this.tail = new EventTail(dir, (events, bad) => listener(this, events, bad));
    }

    get offset(): number {
        return this.tail.completeOffset;
    }
}

/** How often states are re-derived, so a silent run becomes `interrupted`. */
const RECHECK_MS = 30_000;

export class RunRegistry implements vscode.Disposable {
    private readonly entries = new Map<string, Entry>();
    private readonly changeEmitter = new vscode.EventEmitter<Run | undefined>();
    private readonly appendEmitter = new vscode.EventEmitter<Appended>();
    private readonly disposables: vscode.Disposable[] = [this.changeEmitter, this.appendEmitter];

    /** A run's state or summary changed; undefined when the list itself changed. */
    readonly onDidChange = this.changeEmitter.event;
    /** New events of a run, in order, exactly once each. */
    readonly onDidAppend = this.appendEmitter.event;

    constructor(private readonly output: vscode.OutputChannel) {
        const watcher = vscode.workspace.createFileSystemWatcher('**/events.jsonl', false, true, false);
        this.disposables.push(
            watcher,
            watcher.onDidCreate(uri => this.add(path.dirname(uri.fsPath))),
            watcher.onDidDelete(uri => this.forget(path.dirname(uri.fsPath))),
            vscode.workspace.onDidChangeWorkspaceFolders(() => void this.discover())
        );
        const timer = setInterval(() => this.recheck(), RECHECK_MS);
        this.disposables.push({ dispose: () => clearInterval(timer) });
    }

    /** Finds the run directories under the workspace folders. */
    async discover(): Promise<void> {
        const files = await vscode.workspace.findFiles('**/events.jsonl', '**/node_modules/**');
        for (const file of files) this.add(path.dirname(file.fsPath));
        for (const dir of [...this.entries.keys()]) {
            if (!fs.existsSync(dir)) this.forget(dir);
        }
    }

    /** Newest first (run directories end in their start time). */
    all(): Run[] {
        return [...this.entries.values()].sort((a, b) => runTime(b.dir).localeCompare(runTime(a.dir)) || a.dir.localeCompare(b.dir));
    }

    get(dir: string): Run | undefined {
        return this.entries.get(path.resolve(dir));
    }

    /** Starts following a run directory (idempotent) and returns it. */
    add(dir: string): Run {
        const key = path.resolve(dir);
        let entry = this.entries.get(key);
        if (entry) return entry;
        entry = new Entry(key, (e, events, bad) => this.onEvents(e, events, bad));
        this.entries.set(key, entry);
        entry.tail.start();
        this.updateState(entry);
        this.changeEmitter.fire(undefined);
        return entry;
    }

    forget(dir: string): void {
        const key = path.resolve(dir);
        const entry = this.entries.get(key);
        if (!entry) return;
        entry.tail.dispose();
        this.entries.delete(key);
        this.changeEmitter.fire(undefined);
    }

    /** Marks whether a process this editor started is working on the run. */
    setOwned(dir: string, owned: boolean): void {
        const entry = this.entries.get(path.resolve(dir));
        if (!entry) return;
        entry.owned = owned;
        entry.tail.read();
        if (this.updateState(entry)) this.changeEmitter.fire(entry);
    }

    dispose(): void {
        for (const entry of this.entries.values()) entry.tail.dispose();
        this.entries.clear();
        vscode.Disposable.from(...this.disposables).dispose();
    }

    private onEvents(entry: Entry, events: RunEvent[], bad: BadLine[]): void {
        for (const line of bad) this.output.appendLine(`${entry.tail.file}:${line.line}: not an event, skipped: ${line.text}`);
        if (events.length === 0) return;
        foldEvents(entry.summary, events);
        this.updateState(entry);
        this.appendEmitter.fire({ run: entry, events });
        this.changeEmitter.fire(entry);
    }

    private updateState(entry: Entry): boolean {
        const state = runState(entry.summary, { ownProcess: entry.owned, lastWrite: entry.tail.lastWrite, now: Date.now() });
        const changed = state !== entry.state;
        entry.state = state;
        return changed;
    }

    private recheck(): void {
        for (const entry of this.entries.values()) {
            if (this.updateState(entry)) this.changeEmitter.fire(entry);
        }
    }
}

function runTime(dir: string): string {
    return /(\d{8}-\d{6})$/.exec(dir)?.[1] ?? '';
}
