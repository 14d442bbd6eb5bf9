/**
 * The `persemon` command: parses the verb, runs it, and alone decides the exit code
 * (0 success, 1 a user error such as a bad document or dataset, 2 bad arguments).
 */
import { CompileError, DocumentError, JobSpecError } from '@persemon/language';
import { parseArgs, stringOption } from './args.js';
import { check } from './check.js';
import { compile } from './compile.js';
import { UsageError, UserError } from '../errors.js';
import { lsp } from './lsp.js';
import { processOutput } from './output.js';

const USAGE = `usage: persemon <command> [arguments]

  check FILE...                          diagnostics as FILE:LINE:COL: error|warning: MESSAGE
  compile FILE [--experiment NAME]       the JobSpec as JSON on stdout
  lsp --stdio                            the language server, for any LSP editor`;

async function main(argv: string[]): Promise<void> {
    const [verb, ...rest] = argv;
    const out = processOutput;
    switch (verb) {
        case 'check':
            return check(parseArgs(rest, []).positionals, out);
        case 'compile': {
            const args = parseArgs(rest, ['experiment']);
            if (args.positionals.length !== 1) throw new UsageError('compile needs exactly one FILE');
            return compile(args.positionals[0], stringOption(args, 'experiment'), out);
        }
        case 'lsp':
            return lsp(rest);
        case undefined:
        case 'help':
        case '--help':
        case '-h':
            out.line(USAGE);
            return;
        default:
            throw new UsageError(`unknown command '${verb}'`);
    }
}

export function exitCodeFor(error: unknown): number {
    if (error instanceof UsageError) return 2;
    if (error instanceof UserError || error instanceof DocumentError || error instanceof CompileError
        || error instanceof JobSpecError) return 1;
    return 1;
}

main(process.argv.slice(2)).catch((error: unknown) => {
    const code = exitCodeFor(error);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`persemon: ${message}\n`);
    if (code === 2) process.stderr.write(`${USAGE}\n`);
    if (!(error instanceof Error) || !['UsageError', 'UserError', 'DocumentError', 'CompileError', 'JobSpecError'].includes(error.name)) {
        process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    }
    process.exitCode = code;
});
