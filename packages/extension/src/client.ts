/**
 * The language client: starts the bundled language server (dist/server.js, built from
 * @persemon/language) over node IPC. Bundled, not the workspace's CLI, so editing also works in
 * untrusted workspaces and without the runtime installed.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';

export function createClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
    const module = context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
        run: { module, transport: TransportKind.ipc },
        debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } }
    };
    const clientOptions: LanguageClientOptions = {
        documentSelector: [{ language: 'persemon' }],
        synchronize: {
            configurationSection: 'persemon',
            fileEvents: vscode.workspace.createFileSystemWatcher('**/*.persemon')
        },
        outputChannel: output
    };
    // The id 'persemon' makes vscode-languageclient honour the `persemon.trace.server` setting.
    return new LanguageClient('persemon', 'PersEmoN Language Server', serverOptions, clientOptions);
}
