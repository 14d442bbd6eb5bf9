/**
 * The `persemon` command: finds the verb, runs it, and alone decides the exit code
 * (0 success, 1 a user error such as a bad document or dataset, 2 bad arguments).
 */
import { relaunchForGpu } from '../backend/native/gpu-environment.js';
import { UsageError } from '../errors.js';
import { runtimePackage } from '../util/runtime-package.js';
import { processOutput, type Output } from './output.js';
import { perform, prepare, VerbUsageError } from './verb.js';
import { findVerb, overview } from './verbs.js';

async function main(argv: string[], out: Output): Promise<void> {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
        out.line(overview());
        return;
    }
    if (name === '--version') {
        const runtime = runtimePackage();
        out.line(`persemon ${runtime.version} at ${runtime.dir} (Node.js ${process.version})`);
        return;
    }
    // `persemon help VERB [ACTION]` is `persemon VERB [ACTION] --help`.
    const invocation = name === 'help' ? prepare(findVerb(rest[0]), [...rest.slice(1), '--help']) : prepare(findVerb(name), rest);
    if (invocation.verb.computes && 'action' in invocation) {
        const relaunched = await relaunchForGpu();
        if (relaunched !== null) {
            process.exitCode = relaunched;
            return;
        }
    }
    await perform(invocation, out);
}

/** Bad arguments exit 2; everything else, user error or failure, exits 1. */
function exitCodeFor(error: unknown): number {
    return error instanceof UsageError ? 2 : 1;
}

main(process.argv.slice(2), processOutput).catch((error: unknown) => {
    const code = exitCodeFor(error);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`persemon: ${message}\n`);
    // A verb's bad argument shows that verb's usage; an unknown verb, the list of them.
    if (code === 2) process.stderr.write(`${error instanceof VerbUsageError ? error.usage : overview()}\n`);
    // Typed errors carry their own message; a plain Error or TypeError is a bug, so show where.
    if (!(error instanceof Error) || ['Error', 'TypeError', 'RangeError', 'ReferenceError'].includes(error.name)) {
        process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    }
    process.exitCode = code;
});
