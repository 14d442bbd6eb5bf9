/**
 * The PersEmoN commands (palette, editor title, CodeLens, Runs view context menu). Each resolves
 * what it acts on from its argument (a Runs view item, a run directory, or a document and an
 * experiment name from CodeLens) and asks with a quick pick when it has none.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findExperiments } from './experiments.js';
import { MetricsPanel, type PanelContext } from './panel/metrics-panel.js';
import { PredictPanel } from './predict/predict-panel.js';
import { MEDIA_FILTERS, predict, readMedia } from './predict/predict.js';
import { CLI_NOT_FOUND, execCli, findCli, type Cli } from './runner/cli.js';
import { describeRun } from './runner/describe.js';
import type { RunLauncher } from './runner/launcher.js';
import type { Run, RunRegistry } from './runner/registry.js';
import type { RunState } from './runner/state.js';
import { RunItem } from './runner/tree.js';

export interface Parts {
    extensionUri: vscode.Uri;
    output: vscode.OutputChannel;
    registry: RunRegistry;
    launcher: RunLauncher;
}

/** What a command may be invoked with. */
type Target = RunItem | string | vscode.Uri | undefined;

export function registerCommands(parts: Parts): vscode.Disposable[] {
    const commands = new Commands(parts);
    const table: Record<string, (target?: Target, experiment?: string) => Promise<unknown>> = {
        'persemon.runExperiment': (t, e) => commands.runExperiment(t, e),
        'persemon.evaluateRun': (t, e) => commands.evaluate(t, e),
        'persemon.stopRun': t => commands.stop(t),
        'persemon.resumeRun': t => commands.resume(t),
        'persemon.showMetrics': (t, e) => commands.showMetrics(t, e),
        'persemon.compareRuns': () => commands.compare(),
        'persemon.predict': t => commands.predict(t),
        'persemon.showJobSpec': (t, e) => commands.showJobSpec(t, e),
        'persemon.revealRun': t => commands.reveal(t),
        'persemon.deleteRun': t => commands.delete(t),
        'persemon.refreshRuns': () => parts.registry.discover()
    };
    return Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, async (target?: Target, experiment?: string) => {
        try {
            await handler(target, experiment);
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
        const errors = vscode.languages.getDiagnostics(document.uri).filter(d => d.severity === vscode.DiagnosticSeverity.Error);
        if (errors.length > 0) {
            const list = errors.slice(0, 3).map(d => `line ${d.range.start.line + 1}: ${d.message}`).join('; ');
            const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
            const choice = await vscode.window.showErrorMessage(
                `PersEmoN: ${name} was not started: ${path.basename(document.fileName)} has ${errors.length} error${errors.length > 1 ? 's' : ''}: ${list}${more}`,
                'Show Problems');
            if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
            return;
        }
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

async function pickExperiment(document: vscode.TextDocument, given: string | undefined): Promise<string | undefined> {
    if (given) return given;
    const names = findExperiments(document.getText()).map(e => e.name);
    if (names.length === 0) {
        void vscode.window.showErrorMessage(`PersEmoN: ${path.basename(document.fileName)} declares no experiment.`);
        return undefined;
    }
    if (names.length === 1) return names[0];
    return vscode.window.showQuickPick(names, { placeHolder: 'Which experiment?' });
}

/** Restricted Mode: the CLI may come from the workspace, so nothing that starts it runs. */
function trusted(action: string): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(`PersEmoN: cannot ${action} in Restricted Mode: it starts the persemon CLI, which may come from this workspace. Trust the workspace to ${action}.`, 'Manage Workspace Trust')
        .then(choice => choice && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
}
