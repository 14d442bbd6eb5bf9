/**
 * Diagnostics published with the version of the text they were computed on, as a client that asks
 * for `versionSupport` expects (Langium publishes none). Those of a text the editor has changed
 * since are not sent: they would point at the wrong places, and the build of the new text, which
 * the change has started, publishes its own.
 */
import { URI } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type { Connection } from 'vscode-languageserver';

export function publishVersionedDiagnostics(connection: Connection, shared: LangiumSharedServices): void {
    const send = connection.sendDiagnostics.bind(connection);
    // Langium's handler calls the connection's sendDiagnostics; this is the one place to add the version.
    connection.sendDiagnostics = async params => {
        const open = shared.workspace.TextDocuments.get(params.uri);
        const document = shared.workspace.LangiumDocuments.getDocument(URI.parse(params.uri));
        // Closed (read from disk) or deleted: there is no version to give.
        if (!open || !document) return send(params);
        if (document.parseResult.value.$cstNode?.root.fullText !== open.getText()) return;
        return send({ ...params, version: open.version });
    };
}
