/**
 * The run directories this editor knows: those under the workspace folders (found by their
 * events.jsonl, also when a terminal started them) and those the editor started elsewhere. Each is
 * followed by one EventTail; everything else (tree, status bar, panel) listens here. Sweep
 * directories (found by their sweep.json, or as the parent of a point's run) are known beside them,
 * so that a sweep's points that have not started yet are known too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BadLine, RunEvent } from './events.js';
import { EventTail } from './tail.js';
import { emptySummary, foldEvents, runState, type RunState, type RunSummary } from './state.js';
import { experimentFromDir } from './describe.js';
import { readSweepDir, SWEEP_FILE, sweepRootOf, type SweepRecord } from '../sweep/sweep-file.js';

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

/** A sweep directory as last read; `error` when its sweep.json could not be read (then `record` is the last good one, if any). */
export interface Sweep {
    readonly root: string;
    readonly record?: SweepRecord;
    readonly error?: string;
}

/** How often states are re-derived, so a silent run becomes `interrupted`. */
const RECHECK_MS = 30_000;

export class RunRegistry implements vscode.Disposable {
    private readonly entries = new Map<string, Entry>();
    private readonly sweepEntries = new Map<string, Sweep>();
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
        // sweep.json is rewritten whole (renamed into place) by `persemon sweep` as points start and end.
        const sweeps = vscode.workspace.createFileSystemWatcher(`**/${SWEEP_FILE}`);
        this.disposables.push(
            sweeps,
            sweeps.onDidCreate(uri => this.addSweep(path.dirname(uri.fsPath), true)),
            sweeps.onDidChange(uri => this.addSweep(path.dirname(uri.fsPath), true)),
            sweeps.onDidDelete(uri => this.forgetSweep(path.dirname(uri.fsPath)))
        );
        const timer = setInterval(() => this.recheck(), RECHECK_MS);
        this.disposables.push({ dispose: () => clearInterval(timer) });
    }

    /** Finds the run directories under the workspace folders. */
    async discover(): Promise<void> {
        const [files, sweepFiles] = await Promise.all([
            vscode.workspace.findFiles('**/events.jsonl', '**/node_modules/**'),
            vscode.workspace.findFiles(`**/${SWEEP_FILE}`, '**/node_modules/**')
        ]);
        for (const file of sweepFiles) this.addSweep(path.dirname(file.fsPath), true);
        for (const file of files) this.add(path.dirname(file.fsPath));
        for (const dir of [...this.entries.keys()]) {
            if (!fs.existsSync(dir)) this.forget(dir);
        }
        for (const root of [...this.sweepEntries.keys()]) {
            if (!fs.existsSync(path.join(root, SWEEP_FILE))) this.forgetSweep(root);
        }
    }

    /** The sweep directories known, newest first. */
    sweeps(): Sweep[] {
        return [...this.sweepEntries.values()].sort((a, b) => runTime(b.root).localeCompare(runTime(a.root)) || a.root.localeCompare(b.root));
    }

    getSweep(root: string): Sweep | undefined {
        return this.sweepEntries.get(path.resolve(root));
    }

    /** The sweep a run directory is a point of, when that sweep is known. */
    sweepOf(runDir: string): Sweep | undefined {
        const root = sweepRootOf(runDir, file => this.sweepEntries.has(path.dirname(file)));
        return root ? this.sweepEntries.get(root) : undefined;
    }

    /**
     * Starts knowing a sweep directory, or reads its sweep.json again (`reread`), and follows the
     * run directories of its points that exist already.
     */
    addSweep(root: string, reread = false): Sweep {
        const key = path.resolve(root);
        const known = this.sweepEntries.get(key);
        if (known && !reread) return known;
        let sweep: Sweep;
        try {
            sweep = { root: key, record: readSweepDir(key) };
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            // A sweep.json caught mid-write keeps the last good reading; the next change event reads it again.
            sweep = { root: key, record: known?.record, error: message };
            if (message !== known?.error) this.output.appendLine(message);
        }
        this.sweepEntries.set(key, sweep);
        for (const point of sweep.record?.points ?? []) {
            const dir = path.join(key, 'runs', point.name);
            if (!this.entries.has(dir) && fs.existsSync(path.join(dir, 'events.jsonl'))) this.add(dir);
        }
        this.changeEmitter.fire(undefined);
        return sweep;
    }

    forgetSweep(root: string): void {
        if (this.sweepEntries.delete(path.resolve(root))) this.changeEmitter.fire(undefined);
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
        // A point's run found before its sweep (a watcher event, a run directory given to a command).
        const sweepRoot = sweepRootOf(key);
        if (sweepRoot && !this.sweepEntries.has(sweepRoot)) this.addSweep(sweepRoot);
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
        this.sweepEntries.clear();
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
