/** `persemon lsp --stdio`: the language server, for any LSP editor. */
import { UsageError } from '../errors.js';
import { flag, stringValue, type Verb } from './verb.js';

export const lspVerb: Verb = {
    name: 'lsp',
    actions: [{
        summary: 'the language server, for any LSP editor',
        description: 'The language server: diagnostics, completion, hover and the rest, for any editor that\n'
            + 'speaks the Language Server Protocol. The server reads its transport from these options.',
        options: {
            stdio: { type: 'boolean', help: 'talk over stdin and stdout' },
            'node-ipc': { type: 'boolean', help: 'talk over Node\'s IPC channel (the parent spawned it with one)' },
            socket: { type: 'string', value: 'PORT', help: 'talk over a TCP connection to this port' },
            pipe: { type: 'string', value: 'NAME', help: 'talk over this named pipe' },
            clientProcessId: { type: 'string', value: 'PID', help: 'the editor\'s process: the server ends when it does' },
        },
        exit: { 0: 'when the editor shut the server down', 1: 'when the editor went away without doing so' },
        run: async (args) => {
            if (!flag(args, 'stdio') && !flag(args, 'node-ipc') && stringValue(args, 'socket') === undefined && stringValue(args, 'pipe') === undefined) {
                throw new UsageError('lsp needs a transport: --stdio (or --node-ipc, --socket=PORT, --pipe=NAME)');
            }
            const { startServer } = await import('@persemon/language');
            startServer();
        },
    }],
};
