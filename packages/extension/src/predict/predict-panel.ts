/** The predict panel: the picked image or video with the face boxes and the predictions. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pageHtml, webviewOptions } from '../panel/html.js';
import type { PredictHostMessage, PredictPageMessage } from './messages.js';

type Shown = Omit<Extract<PredictHostMessage, { type: 'show' }>, 'type'>;

export class PredictPanel {
    static readonly viewType = 'persemon.predict';
    private static current: PredictPanel | undefined;

    private readonly disposables: vscode.Disposable[] = [];
    private ready = false;

    static createOrShow(extensionUri: vscode.Uri, shown: Shown): void {
        if (PredictPanel.current) {
            PredictPanel.current.panel.reveal();
            PredictPanel.current.show(shown);
            return;
        }
        const panel = vscode.window.createWebviewPanel(PredictPanel.viewType, 'PersEmoN Predict',
            vscode.ViewColumn.Beside, webviewOptions(extensionUri));
        PredictPanel.current = new PredictPanel(panel, extensionUri, shown);
    }

    /** After a reload the prediction is gone (it came from a process, not a file): say so. */
    static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): void {
        PredictPanel.current = new PredictPanel(panel, extensionUri, undefined);
    }

    private constructor(private readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private shown: Shown | undefined) {
        panel.webview.options = webviewOptions(extensionUri);
        panel.webview.html = pageHtml(panel.webview, extensionUri, { title: 'PersEmoN Predict', script: 'predict.js', blobMedia: true });
        this.disposables.push(
            panel.onDidDispose(() => this.dispose()),
            panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; }),
            panel.webview.onDidReceiveMessage((message: PredictPageMessage) => {
                if (message.type !== 'ready') return;
                this.ready = true;
                this.send();
            })
        );
        this.show(shown);
    }

    private show(shown: Shown | undefined): void {
        this.shown = shown;
        if (shown) this.panel.title = `Predict: ${path.basename(shown.result.source)}`;
        this.send();
    }

    private send(): void {
        if (!this.ready) return;
        const message: PredictHostMessage = this.shown ? { type: 'show', ...this.shown } : { type: 'gone' };
        void this.panel.webview.postMessage(message);
    }

    private dispose(): void {
        if (PredictPanel.current === this) PredictPanel.current = undefined;
        vscode.Disposable.from(...this.disposables).dispose();
    }
}
