/**
 * An editor's side of `persemon lsp --stdio` for the tests and the language bench: spawns the
 * server from source, speaks LSP over its stdin and stdout, and waits for published diagnostics.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
    ConfigurationRequest, createProtocolConnection, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification,
    InitializedNotification, InitializeRequest, type ProtocolConnection, type ProtocolRequestType, type PublishDiagnosticsParams,
    PublishDiagnosticsNotification, type Range, RegistrationRequest, ShutdownRequest, StreamMessageReader, StreamMessageWriter
} from 'vscode-languageserver-protocol/node.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The command line that starts the server from source. */
export const SERVER_ARGS = ['--conditions=source', '--import', 'tsx', 'packages/runtime/src/cli/main.ts', 'lsp', '--stdio'];

interface Waiter {
    uri: string;
    accept: (params: PublishDiagnosticsParams) => boolean;
    resolve: (params: PublishDiagnosticsParams) => void;
    reject: (error: Error) => void;
}

export class LspSession {
    readonly connection: ProtocolConnection;
    /** Everything the server wrote to stderr. */
    stderr = '';
    /** Resolves with the exit code when the server process ends. */
    readonly exited: Promise<number | null>;
    /** Every publish, in order of arrival. */
    readonly published: PublishDiagnosticsParams[] = [];
    protected readonly waiters = new Set<Waiter>();

    constructor(readonly server: ChildProcess) {
        server.stderr!.on('data', chunk => { this.stderr += chunk; });
        this.exited = new Promise(resolve => server.on('exit', code => {
            for (const waiter of this.waiters) waiter.reject(new Error(`the server exited with ${code} while waiting for diagnostics of ${waiter.uri}\n${this.stderr}`));
            this.waiters.clear();
            resolve(code);
        }));
        this.connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
        this.connection.onNotification(PublishDiagnosticsNotification.type, params => {
            this.published.push(params);
            for (const waiter of this.waiters) {
                if (waiter.uri === params.uri && waiter.accept(params)) {
                    this.waiters.delete(waiter);
                    waiter.resolve(params);
                }
            }
        });
        this.connection.listen();
    }

    /**
     * Spawns the server (from the repository at `from`, this one unless told) and initializes it as
     * an editor would, asking for versioned diagnostics; with `folder`, as the workspace folder open.
     */
    static async start(from = root, folder?: string): Promise<LspSession> {
        const session = new LspSession(spawn(process.execPath, SERVER_ARGS, { cwd: from, stdio: ['pipe', 'pipe', 'pipe'] }));
        // What an editor answers when the server asks to watch files or for its settings.
        session.connection.onRequest(RegistrationRequest.type, () => null);
        session.connection.onRequest(ConfigurationRequest.type, params => params.items.map(() => null));
        const rootUri = folder ? pathToFileURL(folder).href : null;
        await session.connection.sendRequest(InitializeRequest.type, {
            processId: process.pid, rootUri, workspaceFolders: rootUri ? [{ uri: rootUri, name: path.basename(folder!) }] : null,
            capabilities: {
                workspace: { workspaceFolders: true, configuration: true },
                textDocument: {
                    hover: { contentFormat: ['markdown'] }, completion: {},
                    publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true }
                }
            }
        });
        await session.connection.sendNotification(InitializedNotification.type, {});
        return session;
    }

    /**
     * The latest publish for `uri` if `accept` takes it, else the next one it takes; fails after
     * `timeoutMs` or when the server exits.
     */
    diagnostics(uri: string, accept: (params: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 30_000): Promise<PublishDiagnosticsParams> {
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.waiters.delete(waiter);
                reject(new Error(`no accepted diagnostics for ${uri} within ${timeoutMs} ms; last published: ${JSON.stringify(this.published.filter(p => p.uri === uri).at(-1))}\n${this.stderr}`));
            }, timeoutMs);
            const waiter: Waiter = {
                uri, accept,
                resolve: params => { clearTimeout(timer); resolve(params); },
                reject: error => { clearTimeout(timer); reject(error); }
            };
            const latest = this.published.findLast(p => p.uri === uri);
            if (latest && accept(latest)) waiter.resolve(latest);
            else if (this.server.exitCode !== null) waiter.reject(new Error(`the server has exited with ${this.server.exitCode}\n${this.stderr}`));
            else this.waiters.add(waiter);
        });
    }

    /** A request's answer; fails when the server exits first instead of waiting forever. */
    request<P, R, E>(type: ProtocolRequestType<P, R, unknown, E, unknown>, params: P): Promise<R> {
        const died = this.exited.then(code => {
            throw new Error(`the server exited with ${code} before answering ${type.method}\n${this.stderr}`);
        });
        return Promise.race([this.connection.sendRequest(type, params), died]);
    }

    open(uri: string, text: string, version = 1): Promise<void> {
        return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'persemon', version, text } });
    }

    /** Replaces the whole text, as an editor that syncs full documents does. */
    change(uri: string, text: string, version: number): Promise<void> {
        return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    }

    /** Replaces `range` with `text`, as an editor that syncs changes incrementally does. */
    edit(uri: string, range: Range, text: string, version: number): Promise<void> {
        return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    }

    /** Shutdown, then exit; resolves with the exit code. */
    async shutdown(): Promise<number | null> {
        await this.connection.sendRequest(ShutdownRequest.type);
        await this.connection.sendNotification(ExitNotification.type);
        return this.exited;
    }

    dispose(): void {
        this.connection.dispose();
        if (this.server.exitCode === null) this.server.kill();
    }
}
