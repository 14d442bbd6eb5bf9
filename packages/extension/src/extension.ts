/** Activation: wires the language client, the runs model and its views, the panels and the commands. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { createClient } from './client.js';
import { ExperimentCodeLensProvider } from './codelens.js';
import { registerCommands } from './commands.js';
import { MetricsPanel } from './panel/metrics-panel.js';
import type { PanelState } from './panel/messages.js';
import { PredictPanel } from './predict/predict-panel.js';
import { RunLauncher } from './runner/launcher.js';
import { RunRegistry } from './runner/registry.js';
import { RunStatusBar } from './runner/status-bar.js';
import { RunsTreeProvider } from './runner/tree.js';
import { SweepLauncher } from './sweep/sweep-launcher.js';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    const output = vscode.window.createOutputChannel('PersEmoN');
    const registry = new RunRegistry(output);
    const launcher = new RunLauncher(registry, output);
    const sweeps = new SweepLauncher(registry, output);
    const tree = new RunsTreeProvider(registry);
    const panels = { extensionUri: context.extensionUri, registry };
    context.subscriptions.push(
        output,
        registry,
        launcher,
        sweeps,
        tree,
        // Several runs selected: Compare and Analyze act on all of them.
        vscode.window.createTreeView('persemon.runs', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true }),
        new RunStatusBar(registry),
        vscode.languages.registerCodeLensProvider({ language: 'persemon' }, new ExperimentCodeLensProvider()),
        vscode.window.registerWebviewPanelSerializer(MetricsPanel.viewType, {
            deserializeWebviewPanel: async (panel, state: PanelState | undefined) => MetricsPanel.revive(panel, panels, state)
        }),
        vscode.window.registerWebviewPanelSerializer(PredictPanel.viewType, {
            deserializeWebviewPanel: async panel => PredictPanel.revive(panel, context.extensionUri)
        }),
        ...registerCommands({ extensionUri: context.extensionUri, output, registry, launcher, sweeps })
    );
    void registry.discover();
    const serverOutput = vscode.window.createOutputChannel('PersEmoN Language Server');
    context.subscriptions.push(serverOutput);
    client = createClient(context, serverOutput);
    try {
        await client.start();
    } catch (error) {
        // Runs, charts and highlighting still work without the server.
        void vscode.window.showErrorMessage(`PersEmoN: the language server did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
}

export async function deactivate(): Promise<void> {
    await client?.stop();
}
