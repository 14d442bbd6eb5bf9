/**
 * The page shell shared by the webview panels: a strict CSP (`default-src 'none'`) where the page's
 * own script and stylesheet run only with a per-load nonce. They are inlined from media/ rather than
 * fetched: in a remote window (code-server, SSH) each fetched file is a round trip through the
 * webview's service worker to the extension host, which made the panel open half a second later.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

export interface PageParts {
    title: string;
    /** Under media/out/. */
    script: string;
    /** The predict panel shows the picked file through blob: URLs. */
    blobMedia?: boolean;
    /**
     * A line per run above the page, saying which CLI and which engine it ran with: the host
     * sends `{ type: 'about', lines }` whenever they change, and this shell writes them as text.
     */
    about?: boolean;
}

/** The shell's own script for `about`: plain text only, so nothing in a path can become markup. */
const ABOUT_SCRIPT = `(() => {
    const about = document.getElementById('about');
    window.addEventListener('message', event => {
        const message = event.data;
        if (!message || message.type !== 'about' || !Array.isArray(message.lines)) return;
        about.replaceChildren(...message.lines.map(line => {
            const row = document.createElement('div');
            row.textContent = String(line);
            return row;
        }));
    });
})();`;

const files = new Map<string, string>();

/** A file of the extension's media/, read once: it does not change while the extension runs. */
function media(extensionUri: vscode.Uri, ...file: string[]): string {
    const uri = vscode.Uri.joinPath(extensionUri, 'media', ...file);
    let text = files.get(uri.fsPath);
    if (text === undefined) {
        // `</script` cannot occur inside an inline script; the bundler never emits it, but be sure.
        text = fs.readFileSync(uri.fsPath, 'utf8').replace(/<\/(script|style)/gi, '<\\/$1');
        files.set(uri.fsPath, text);
    }
    return text;
}

export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, parts: PageParts): string {
    const nonce = randomBytes(18).toString('base64');
    const blob = parts.blobMedia ? ' blob:' : '';
    const csp = [
        `default-src 'none'`,
        `img-src ${webview.cspSource}${blob}`,
        `media-src ${webview.cspSource}${blob}`,
        `style-src 'nonce-${nonce}'`,
        `script-src 'nonce-${nonce}'`
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${parts.title}</title>
<style nonce="${nonce}">${media(extensionUri, 'panel.css')}</style>
</head>
<body>
${parts.about ? `<header id="about" class="facts"></header>
<script nonce="${nonce}">${ABOUT_SCRIPT}</script>
` : ''}<main id="app"></main>
<script nonce="${nonce}">${media(extensionUri, 'out', parts.script)}</script>
</body>
</html>`;
}
