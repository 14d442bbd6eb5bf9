/**
 * The compare panel: `persemon compare` over a sweep directory or run directories, shown as the
 * CLI prints it (its Markdown tables read back, its JSON for the chart), and exported to a file in
 * any of the CLI's formats by the CLI itself. The runtime's compare module runs in the CLI's
 * process, never in the extension host, which would otherwise load TensorFlow.js with it.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Comparison } from '@persemon/runtime';
import { execCli, type Cli } from '../runner/cli.js';
import { parseCompareMarkdown } from './cli-tables.js';
import { compareHtml, EXPORT_FORMATS, type ComparePage, type ExportFormat } from './compare-html.js';
import { chartSvg, defaultChoice, type ChartChoice } from './sweep-chart.js';

type Message = { type: 'export'; format: string } | { type: 'chart'; metric: string; setting: string } | { type: 'refresh' };

/** Runs `persemon compare SOURCES --format FORMAT`; its stdout, or an error with its stderr. */
export async function runCompare(cli: Cli, sources: string[], format: ExportFormat): Promise<{ text: string; notes: string[] }> {
    const result = await execCli(cli, ['compare', ...sources, '--format', format], path.dirname(sources[0]));
    if (result.code !== 0) throw new Error(result.stderr.trim() || `persemon compare exited with code ${result.code}`);
    const notes = result.stderr.split('\n').map(l => l.trim()).filter(l => l.startsWith('left out'));
    return { text: result.stdout, notes };
}

export class ComparePanel {
    static readonly viewType = 'persemon.compare';
    private static current: ComparePanel | undefined;
    private page: ComparePage | undefined;

    private constructor(private readonly panel: vscode.WebviewPanel, private cli: Cli, private sources: string[], private title: string) {
        panel.onDidDispose(() => {
            if (ComparePanel.current === this) ComparePanel.current = undefined;
        });
        panel.webview.onDidReceiveMessage((message: Message) => void this.receive(message).catch(error =>
            vscode.window.showErrorMessage(`PersEmoN: ${error instanceof Error ? error.message : String(error)}`)));
    }

    /** Opens (or reuses) the panel on `sources`; resolves once the tables are shown. */
    static async show(cli: Cli, sources: string[], title: string): Promise<ComparePanel> {
        let me = ComparePanel.current;
        if (me) {
            me.cli = cli;
            me.sources = sources;
            me.title = title;
            me.panel.title = title;
            me.panel.reveal(vscode.ViewColumn.Active);
        } else {
            const panel = vscode.window.createWebviewPanel(ComparePanel.viewType, title, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
            me = ComparePanel.current = new ComparePanel(panel, cli, sources, title);
        }
        await me.load();
        return me;
    }

    private async load(): Promise<void> {
        const [json, md] = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: 'persemon compare…' },
            () => Promise.all([runCompare(this.cli, this.sources, 'json'), runCompare(this.cli, this.sources, 'md')]));
        const comparison = JSON.parse(json.text) as Comparison;
        this.page = {
            title: this.title, sources: this.sources, tables: parseCompareMarkdown(md.text), comparison,
            choice: defaultChoice(comparison), notes: json.notes
        };
        this.panel.webview.html = compareHtml(this.page, { source: this.panel.webview.cspSource, nonce: randomBytes(16).toString('base64') });
    }

    private async receive(message: Message): Promise<void> {
        if (message.type === 'refresh') return this.load();
        if (message.type === 'chart' && this.page) {
            const choice: ChartChoice = { metric: message.metric, setting: message.setting };
            this.page.choice = choice;
            await this.panel.webview.postMessage({ type: 'chart', html: chartSvg(this.page.comparison, choice) });
            return;
        }
        if (message.type === 'export' && (EXPORT_FORMATS as readonly string[]).includes(message.format)) {
            const format = message.format as ExportFormat;
            const extension = { md: 'md', csv: 'csv', latex: 'tex', json: 'json' }[format];
            const folder = this.sources.length === 1 ? this.sources[0] : path.dirname(this.sources[0]);
            const target = await vscode.window.showSaveDialog({
                defaultUri: vscode.Uri.file(path.join(folder, `compare.${extension}`)),
                filters: { [format]: [extension] }, saveLabel: 'Export'
            });
            if (!target) return;
            const { text } = await runCompare(this.cli, this.sources, format);
            await fs.writeFile(target.fsPath, text);
            await this.panel.webview.postMessage({ type: 'note', text: `Exported ${path.basename(target.fsPath)} (${format})`, file: target.fsPath });
        }
    }
}
