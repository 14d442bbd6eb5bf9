/**
 * The analysis view: `persemon analyze` on a run (or two side by side), then the paper's Fig. 3 and
 * Fig. 4 as the CLI drew them, read from the folder's analysis.json. The SVGs are self-contained,
 * so the page shows them as images and needs no script.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { execCli, type Cli } from '../runner/cli.js';
import { readAnalysis } from './analysis-index.js';
import { analysisHtml } from './analysis-html.js';

/** `persemon analyze RUN [RUN_B]`: the analysis folder its last stdout line names. */
export async function runAnalyze(cli: Cli, runs: string[], output: vscode.OutputChannel): Promise<string> {
    output.appendLine(`$ persemon analyze ${runs.join(' ')}`);
    const result = await execCli(cli, ['analyze', ...runs], path.dirname(runs[0]));
    for (const line of result.stderr.split('\n').filter(Boolean)) output.appendLine(`[analyze] ${line}`);
    if (result.code !== 0) {
        const reason = result.stderr.trim().split('\n').slice(-3).join('\n');
        throw new Error(`persemon analyze failed (code ${result.code}): ${reason || 'see the PersEmoN output'}`);
    }
    const folder = result.stdout.trim().split('\n').at(-1);
    if (!folder) throw new Error('persemon analyze printed no analysis folder');
    return path.resolve(path.dirname(runs[0]), folder);
}

export class AnalysisPanel {
    static readonly viewType = 'persemon.analysis';
    private static current: AnalysisPanel | undefined;

    private constructor(private readonly panel: vscode.WebviewPanel) {
        panel.onDidDispose(() => {
            if (AnalysisPanel.current === this) AnalysisPanel.current = undefined;
        });
    }

    static show(folder: string): void {
        const analysis = readAnalysis(folder);
        const title = `Analysis: ${analysis.runs.map(r => path.basename(r.run)).join(' | ') || path.basename(path.dirname(folder))}`;
        const options = { enableScripts: false, localResourceRoots: [vscode.Uri.file(folder)] };
        let me = AnalysisPanel.current;
        if (me) {
            me.panel.webview.options = options;
            me.panel.title = title;
            me.panel.reveal(vscode.ViewColumn.Active);
        } else {
            me = AnalysisPanel.current = new AnalysisPanel(vscode.window.createWebviewPanel(AnalysisPanel.viewType, title, vscode.ViewColumn.Active, options));
        }
        me.panel.webview.html = analysisHtml(analysis, title, file => me!.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString(), me.panel.webview.cspSource);
    }
}
