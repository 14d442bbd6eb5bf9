/**
 * The language server: Langium's, with the .persemon services, on a connection that takes its
 * transport from the command line (`--stdio`, `--node-ipc`, `--socket=PORT`).
 */
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { publishVersionedDiagnostics } from './lsp/versioned-diagnostics.js';
import { createPersemonServices } from './persemon-module.js';
import { guardFraming } from './stdio-framing.js';

export function startServer(): void {
    const connection = createConnection(ProposedFeatures.all);
    const { shared } = createPersemonServices({ connection, ...NodeFileSystem });
    publishVersionedDiagnostics(connection, shared);
    // A request the client refuses (registering a file watcher, say) rejects a promise inside Langium
    // that nobody awaits; Node would end the server for it, and every open document with it.
    process.on('unhandledRejection', reason => {
        connection.console.error(`persemon lsp: ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}`);
    });
    startLanguageServer(shared);
    // Once the connection's reader listens, so that both see every chunk.
    if (process.argv.includes('--stdio')) guardFraming(process.stdin);
}
