/** `persemon lsp --stdio`: the language server, for any LSP editor. */
import { UsageError } from '../errors.js';

export async function lsp(argv: string[]): Promise<void> {
    if (!argv.includes('--stdio') && !argv.includes('--node-ipc') && !argv.some(a => a.startsWith('--socket'))) {
        throw new UsageError('lsp needs a transport: --stdio (or --node-ipc, --socket=PORT)');
    }
    const { startServer } = await import('@persemon/language');
    startServer();
}
