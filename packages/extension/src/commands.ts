/**
 * The PersEmoN commands (palette, editor title, CodeLens, Runs view context menu). Each resolves
 * what it acts on from its argument (a Runs view item, a run directory, or a document and an
 * experiment name from CodeLens) and asks with a quick pick when it has none.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AnalysisPanel, runAnalyze } from './analyze/analysis-panel.js';
import { ComparePanel } from './compare/compare-panel.js';
import { findExperiments } from './experiments.js';
import { MetricsPanel, type PanelContext } from './panel/metrics-panel.js';
import { PredictPanel } from './predict/predict-panel.js';
import { MEDIA_FILTERS, predict, readMedia } from './predict/predict.js';
import { CLI_NOT_FOUND, execCli, findCli, type Cli } from './runner/cli.js';
import { describeRun } from './runner/describe.js';
import type { RunLauncher } from './runner/launcher.js';
import type { Run, RunRegistry } from './runner/registry.js';
import type { RunState } from './runner/state.js';
import { RunItem, SweepItem } from './runner/tree.js';
import { describeSweep } from './sweep/describe-sweep.js';
import type { SweepLauncher } from './sweep/sweep-launcher.js';
import { findSweeps } from './sweep/sweep-list.js';

export interface Parts {
    extensionUri: vscode.Uri;
    output: vscode.OutputChannel;
    registry: RunRegistry;
    launcher: RunLauncher;
    sweeps: SweepLauncher;
}

/** What a command may be invoked with. */
type Target = RunItem | SweepItem | string | vscode.Uri | undefined;

export function registerCommands(parts: Parts): vscode.Disposable[] {
    const commands = new Commands(parts);
    const table: Record<string, (target?: Target, experiment?: string, selection?: readonly unknown[]) => Promise<unknown>> = {
        'persemon.runExperiment': (t, e) => commands.runExperiment(t, e),
        'persemon.evaluateRun': (t, e) => commands.evaluate(t, e),
        'persemon.stopRun': t => commands.stop(t),
        'persemon.resumeRun': t => commands.resume(t),
        'persemon.showMetrics': (t, e) => commands.showMetrics(t, e),
        'persemon.compareRuns': () => commands.compare(),
        'persemon.runSweep': (t, e) => commands.runSweep(t, e),
        'persemon.stopSweep': t => commands.stopSweep(t),
        'persemon.compareTables': (t, _e, selection) => commands.compareTables(t, selection),
        'persemon.analyzeRun': (t, _e, selection) => commands.analyze(t, selection),
        'persemon.predict': t => commands.predict(t),
        'persemon.showJobSpec': (t, e) => commands.showJobSpec(t, e),
        'persemon.revealRun': t => commands.reveal(t),
        'persemon.deleteRun': t => commands.delete(t),
        'persemon.refreshRuns': () => parts.registry.discover()
    };
    // From the Runs view with several items selected, the second argument is the selection.
    return Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, async (target?: Target, second?: string | readonly unknown[]) => {
        try {
            await handler(target, typeof second === 'string' ? second : undefined, Array.isArray(second) ? second : undefined);
        } catch (error) {
            void vscode.window.showErrorMessage(`PersEmoN: ${error instanceof Error ? error.message : String(error)}`);
        }
    }));
}

class Commands {
    private readonly panels: PanelContext;

    constructor(private readonly parts: Parts) {
        this.panels = { extensionUri: parts.extensionUri, registry: parts.registry };
    }

    async runExperiment(target: Target, experiment?: string): Promise<void> {
        if (!trusted('run experiments')) return;
        const document = await this.document(target);
        if (!document) return;
        const name = await pickExperiment(document, experiment);
        if (!name) return;
        if (await hasErrors(document, name)) return;
        if (document.isDirty) await document.save();
        const cli = this.cli();
        if (!cli) return;
        const config = vscode.workspace.getConfiguration('persemon', document.uri);
        const dir = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: `Starting ${name}…` },
            () => this.parts.launcher.run(cli, document.fileName, {
                experiment: name,
                maxSteps: config.get<number | null>('run.maxSteps') ?? undefined,
                backend: config.get<string>('run.backend') || undefined
            }));
        MetricsPanel.createOrShow(this.panels, [dir]);
    }

    async evaluate(target: Target, experiment?: string): Promise<void> {
        if (!trusted('evaluate runs')) return;
        const run = await this.run(target, experiment, ['done', 'stopped', 'interrupted'], 'Evaluate which run?');
        if (!run) return;
        const cli = this.cli();
        if (!cli) return;
        const code = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: `Evaluating ${path.basename(run.dir)}…` },
            () => this.parts.launcher.evaluate(cli, run.dir));
        if (code === 0) MetricsPanel.createOrShow(this.panels, [run.dir]);
        else throw new Error(`evaluation of ${path.basename(run.dir)} failed (code ${code}); see the PersEmoN output`);
    }

    async stop(target: Target): Promise<void> {
        const run = await this.run(target, undefined, ['running', 'starting'], 'Stop which run?');
        if (!run) return;
        if (!this.parts.launcher.stop(run.dir)) {
            void vscode.window.showWarningMessage(`PersEmoN: ${path.basename(run.dir)} was not started from this window; stop it where it runs (Ctrl+C stops it cleanly).`);
        }
    }

    async resume(target: Target): Promise<void> {
        if (!trusted('resume runs')) return;
        const run = await this.run(target, undefined, ['stopped', 'interrupted', 'failed'], 'Resume which run?');
        if (!run) return;
        const cli = this.cli();
        if (!cli) return;
        this.parts.launcher.resume(cli, run.dir);
        MetricsPanel.createOrShow(this.panels, [run.dir]);
    }

    async showMetrics(target: Target, experiment?: string): Promise<void> {
        const run = await this.run(target, experiment, undefined, 'Show the metrics of which run?');
        if (run) MetricsPanel.createOrShow(this.panels, [run.dir]);
    }

    async compare(): Promise<void> {
        const picked = await vscode.window.showQuickPick(this.items(this.parts.registry.all()), {
            canPickMany: true, placeHolder: 'Overlay which runs?', matchOnDescription: true
        });
        if (picked && picked.length > 0) MetricsPanel.createOrShow(this.panels, picked.map(p => p.run.dir));
    }

    /** `persemon sweep FILE --sweep NAME` with the run settings' --max-steps and --backend; the Runs view shows it. */
    async runSweep(target: Target, sweep?: string): Promise<void> {
        if (!trusted('run sweeps')) return;
        const document = await this.document(target);
        if (!document) return;
        const name = await pickSweep(document, sweep);
        if (!name) return;
        if (await hasErrors(document, `sweep ${name}`)) return;
        if (document.isDirty) await document.save();
        const cli = this.cli();
        if (!cli) return;
        const config = vscode.workspace.getConfiguration('persemon', document.uri);
        const dir = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: `Starting sweep ${name}…` },
            () => this.parts.sweeps.start(cli, document.fileName, {
                sweep: name,
                maxSteps: config.get<number | null>('run.maxSteps') ?? undefined,
                backend: config.get<string>('run.backend') || undefined
            }));
        void vscode.window.showInformationMessage(`PersEmoN: sweep ${name} started in ${path.basename(dir)}; the Runs view shows its progress.`);
        await vscode.commands.executeCommand('persemon.runs.focus');
    }

    async stopSweep(target: Target): Promise<void> {
        const root = target instanceof SweepItem ? target.sweep.root : typeof target === 'string' ? target : undefined;
        if (!root) throw new Error('choose a sweep in the Runs view to stop');
        if (!this.parts.sweeps.stop(root)) {
            void vscode.window.showWarningMessage(`PersEmoN: ${path.basename(root)} was not started from this window; stop it where it runs (Ctrl+C stops it cleanly).`);
        }
    }

    /**
     * The compare panel on a sweep, or on the runs selected in the Runs view, or on what the quick
     * pick offers: sweeps and finished runs.
     */
    async compareTables(target: Target, selection?: readonly unknown[]): Promise<void> {
        if (!trusted('compare runs')) return;
        const registry = this.parts.registry;
        let sources: string[] | undefined;
        const chosen = (selection && selection.length > 0 ? selection : target ? [target] : [])
            .filter((t): t is RunItem | SweepItem | string => t instanceof RunItem || t instanceof SweepItem || typeof t === 'string');
        if (chosen.length > 0) {
            sources = chosen.map(t => (t instanceof SweepItem ? t.sweep.root : t instanceof RunItem ? t.run.dir : path.resolve(t)));
        } else {
            const sweeps = registry.sweeps().filter(s => s.record).map(s => {
                const text = describeSweep(s.record!, dir => registry.get(dir));
                return { label: `$(${text.icon.id.replace('~spin', '')}) ${text.label}`, description: `sweep: ${text.description}`, detail: s.root, path: s.root };
            });
            const runs = registry.all().filter(r => r.state === 'done' && !registry.sweepOf(r.dir)).map(r => {
                const text = describeRun(r.dir, r.summary, r.state);
                return { label: `$(${text.icon.id}) ${text.label}`, description: text.description, detail: r.dir, path: r.dir };
            });
            if (sweeps.length + runs.length === 0) {
                void vscode.window.showInformationMessage('PersEmoN: no sweep or finished run in this workspace to compare.');
                return;
            }
            const picked = await vscode.window.showQuickPick([...sweeps, ...runs], { canPickMany: true, placeHolder: 'Compare which sweep or runs?', matchOnDescription: true });
            if (!picked || picked.length === 0) return;
            sources = picked.map(p => p.path);
        }
        const cli = this.cli();
        if (!cli) return;
        const title = sources.length === 1 ? `Compare: ${path.basename(sources[0])}` : `Compare: ${sources.length} runs`;
        await ComparePanel.show(cli, sources, title);
    }

    /** `persemon analyze` on a run (or two selected, side by side), then its figures in the analysis view. */
    async analyze(target: Target, selection?: readonly unknown[]): Promise<void> {
        if (!trusted('analyze runs')) return;
        let runs = (selection && selection.length > 0 ? selection : []).filter((t): t is RunItem => t instanceof RunItem).map(t => t.run);
        if (runs.length === 0) {
            const run = target instanceof RunItem || typeof target === 'string' ? await this.run(target, undefined, undefined, '') : undefined;
            if (run) runs = [run];
        }
        if (runs.length === 0) {
            const candidates = this.parts.registry.all().filter(r => ['done', 'stopped', 'interrupted'].includes(r.state));
            if (candidates.length === 0) {
                void vscode.window.showInformationMessage('PersEmoN: no finished, stopped or interrupted run in this workspace to analyze.');
                return;
            }
            const picked = await vscode.window.showQuickPick(this.items(candidates), {
                canPickMany: true, placeHolder: 'Analyze which run? (two: side by side, e.g. with and without coherence)', matchOnDescription: true
            });
            runs = picked?.map(p => p.run) ?? [];
        }
        if (runs.length === 0) return;
        if (runs.length > 2) throw new Error(`analyze shows one run or two side by side, not ${runs.length}`);
        const cli = this.cli();
        if (!cli) return;
        const folder = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: `Analyzing ${runs.map(r => path.basename(r.dir)).join(' and ')} (Fig. 3 and 4)…` },
            () => runAnalyze(cli, runs.map(r => r.dir), this.parts.output));
        AnalysisPanel.show(folder);
    }

    async predict(target: Target): Promise<void> {
        if (!trusted('predict')) return;
        const run = await this.run(target, undefined, ['done', 'stopped', 'interrupted', 'running'], 'Predict with which run?');
        if (!run) return;
        const cli = this.cli();
        if (!cli) return;
        const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: MEDIA_FILTERS, openLabel: 'Predict' });
        if (!files?.[0]) return;
        const file = files[0].fsPath;
        const result = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: `Predicting ${path.basename(file)}…` },
            () => predict(cli, run.dir, file));
        PredictPanel.createOrShow(this.parts.extensionUri, { run: run.dir, result, media: await readMedia(file) });
    }

    async showJobSpec(target: Target, experiment?: string): Promise<void> {
        if (!trusted('compile experiments')) return;
        const document = await this.document(target);
        if (!document) return;
        const name = await pickExperiment(document, experiment);
        if (!name) return;
        if (document.isDirty) await document.save();
        const cli = this.cli();
        if (!cli) return;
        const result = await execCli(cli, ['compile', document.fileName, '--experiment', name], path.dirname(document.fileName));
        if (result.code !== 0) throw new Error(result.stderr.trim() || `persemon compile exited with code ${result.code}`);
        const spec = await vscode.workspace.openTextDocument({ language: 'json', content: result.stdout });
        await vscode.window.showTextDocument(spec, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }

    async reveal(target: Target): Promise<void> {
        const run = await this.run(target, undefined, undefined, 'Reveal which run?');
        if (!run) return;
        const uri = vscode.Uri.file(run.dir);
        const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
        await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
    }

    async delete(target: Target): Promise<void> {
        const run = await this.run(target, undefined, ['done', 'failed', 'stopped', 'interrupted'], 'Delete which run?');
        if (!run) return;
        if (this.parts.launcher.isRunning(run.dir)) throw new Error(`${path.basename(run.dir)} is running; stop it first`);
        const answer = await vscode.window.showWarningMessage(
            `Delete the run directory ${path.basename(run.dir)} with its checkpoints and predictions?`,
            { modal: true, detail: run.dir }, 'Delete');
        if (answer !== 'Delete') return;
        await fs.rm(run.dir, { recursive: true, force: true });
        this.parts.registry.forget(run.dir);
    }

    private cli(): Cli | undefined {
        const setting = vscode.workspace.getConfiguration('persemon').get<string>('cliPath') || undefined;
        const folders = (vscode.workspace.workspaceFolders ?? []).map(f => f.uri.fsPath);
        const cli = findCli({ setting, folders });
        if (!cli) {
            void vscode.window.showErrorMessage(`PersEmoN: ${CLI_NOT_FOUND}`, 'Open Settings').then(choice => {
                if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'persemon.cliPath');
            });
        }
        return cli;
    }

    private async document(target: Target): Promise<vscode.TextDocument | undefined> {
        if (target instanceof vscode.Uri) return vscode.workspace.openTextDocument(target);
        const active = vscode.window.activeTextEditor?.document;
        if (active?.languageId === 'persemon') return active;
        void vscode.window.showErrorMessage('PersEmoN: open a .persemon file first.');
        return undefined;
    }

    /**
     * The run a command acts on: a Runs view item or a run directory as given; for a document (and
     * an experiment), that experiment's newest run; otherwise a quick pick of runs in `states`.
     */
    private async run(target: Target, experiment: string | undefined, states: RunState[] | undefined, placeHolder: string): Promise<Run | undefined> {
        const registry = this.parts.registry;
        if (target instanceof RunItem) return target.run;
        if (typeof target === 'string') return registry.add(target);
        const candidates = registry.all().filter(r => !states || states.includes(r.state));
        if (target instanceof vscode.Uri && target.fsPath.endsWith('.persemon')) {
            const names = experiment ? [experiment] : findExperiments((await vscode.workspace.openTextDocument(target)).getText()).map(e => e.name);
            const newest = candidates.find(r => names.includes(r.summary.experiment ?? ''));
            if (newest) return newest;
            if (experiment) {
                void vscode.window.showInformationMessage(`PersEmoN: ${experiment} has no ${states ? states.join(' or ') + ' ' : ''}run yet.`);
                return undefined;
            }
        }
        if (candidates.length === 0) {
            void vscode.window.showInformationMessage(`PersEmoN: no ${states ? states.join(' or ') + ' ' : ''}runs in this workspace.`);
            return undefined;
        }
        return (await vscode.window.showQuickPick(this.items(candidates), { placeHolder, matchOnDescription: true }))?.run;
    }

    private items(runs: Run[]): (vscode.QuickPickItem & { run: Run })[] {
        return runs.map(run => {
            const text = describeRun(run.dir, run.summary, run.state);
            return { label: `$(${text.icon.id.replace('~spin', '')}) ${text.label}`, description: text.description, detail: run.dir, run };
        });
    }
}

async function pickSweep(document: vscode.TextDocument, given: string | undefined): Promise<string | undefined> {
    return given || pickDeclared(document, findSweeps(document.getText()).map(s => s.name), 'sweep');
}

/** Refuses to start `what` from a document with errors, listing the first of them. */
async function hasErrors(document: vscode.TextDocument, what: string): Promise<boolean> {
    const errors = vscode.languages.getDiagnostics(document.uri).filter(d => d.severity === vscode.DiagnosticSeverity.Error);
    if (errors.length === 0) return false;
    const list = errors.slice(0, 3).map(d => `line ${d.range.start.line + 1}: ${d.message}`).join('; ');
    const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
    const choice = await vscode.window.showErrorMessage(
        `PersEmoN: ${what} was not started: ${path.basename(document.fileName)} has ${errors.length} error${errors.length > 1 ? 's' : ''}: ${list}${more}`,
        'Show Problems');
    if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
    return true;
}

async function pickExperiment(document: vscode.TextDocument, given: string | undefined): Promise<string | undefined> {
    return given || pickDeclared(document, findExperiments(document.getText()).map(e => e.name), 'experiment');
}

/** The one declaration of a document, or the user's pick of several; none is an error naming the file. */
async function pickDeclared(document: vscode.TextDocument, names: string[], kind: 'experiment' | 'sweep'): Promise<string | undefined> {
    if (names.length === 0) {
        void vscode.window.showErrorMessage(`PersEmoN: ${path.basename(document.fileName)} declares no ${kind}.`);
        return undefined;
    }
    if (names.length === 1) return names[0];
    return vscode.window.showQuickPick(names, { placeHolder: `Which ${kind}?` });
}

/** Restricted Mode: the CLI may come from the workspace, so nothing that starts it runs. */
function trusted(action: string): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(`PersEmoN: cannot ${action} in Restricted Mode: it starts the persemon CLI, which may come from this workspace. Trust the workspace to ${action}.`, 'Manage Workspace Trust')
        .then(choice => choice && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
}
