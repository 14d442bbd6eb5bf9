/**
 * The `persemon` command: parses the verb, runs it, and alone decides the exit code
 * (0 success, 1 a user error such as a bad document or dataset, 2 bad arguments).
 */
import { intOption, parseArgs, stringOption } from './args.js';
import { relaunchForGpu } from '../backend/native/gpu-environment.js';
import { backends } from './backends.js';
import { check } from './check.js';
import { compile } from './compile.js';
import { data } from './data.js';
import { UsageError } from '../errors.js';
import { lsp } from './lsp.js';
import { processOutput } from './output.js';
import { predict } from './predict.js';
import { evaluate, resume, run } from './run.js';
import { synth } from './synth.js';
import { weights } from './weights.js';

const USAGE = `usage: persemon <command> [arguments]

  check FILE...                          diagnostics as FILE:LINE:COL: error|warning: MESSAGE
  compile FILE [--experiment NAME]       the JobSpec as JSON on stdout
  lsp --stdio                            the language server, for any LSP editor
  run FILE [--experiment NAME] [--out DIR] [--max-steps N] [--backend B]
                                         train and evaluate; prints the run directory first
  resume RUN_DIR [--max-steps N] [--accept-spec-change]
                                         continue a stopped or killed run from its last checkpoint,
                                         up to the --max-steps it was started with unless given anew;
                                         refused when spec.json changed since, unless accepted
  eval RUN_DIR [--split S]               evaluate the run's latest checkpoint again
  predict RUN_DIR IMAGE_OR_VIDEO [--json]
                                         arousal, valence and Big Five of each face; a video:
                                         per frame (up to 100 evenly spaced) and video-level
  data inspect DIR --format chalearn|affwild|affwild2|folder [--json]
                                         what a dataset loader sees: items, labels, problems
  synth --format chalearn|affwild --out DIR [--videos N] [--frames F] [--seed S]
                                         write the synthetic faces in a real dataset format
  backends [--json]                      which compute backends load here, and why not
  backends install node|gpu [--wheel FILE|DIR] [--force]
                                         build the native TensorFlow engine from TensorFlow's
                                         wheel (pip); the gpu one with its CUDA 12 wheels
  weights import FILE [--out F]          SphereFace-20's .caffemodel or PyTorch state_dict .pth -> FEM's init
                                         weights file (default: FILE's name with .weights)`;

/** Verbs that compute with TensorFlow.js, and so may need the GPU engine's environment. */
const COMPUTING_VERBS = new Set(['run', 'resume', 'eval', 'predict', 'backends']);

async function main(argv: string[]): Promise<void> {
    const [verb, ...rest] = argv;
    const out = processOutput;
    if (COMPUTING_VERBS.has(verb)) {
        const relaunched = await relaunchForGpu();
        if (relaunched !== null) {
            process.exitCode = relaunched;
            return;
        }
    }
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
        case 'run': {
            const args = parseArgs(rest, ['experiment', 'out', 'max-steps', 'backend']);
            if (args.positionals.length !== 1) throw new UsageError('run needs exactly one FILE (.persemon or JobSpec .json)');
            return run({
                file: args.positionals[0], experiment: stringOption(args, 'experiment'), out: stringOption(args, 'out'),
                maxSteps: intOption(args, 'max-steps', 1), backend: stringOption(args, 'backend')
            }, out);
        }
        case 'resume': {
            const args = parseArgs(rest, ['max-steps'], ['accept-spec-change']);
            if (args.positionals.length !== 1) throw new UsageError('resume needs exactly one RUN_DIR');
            return resume({
                runDir: args.positionals[0], maxSteps: intOption(args, 'max-steps', 1),
                acceptSpecChange: args.options.has('accept-spec-change')
            }, out);
        }
        case 'eval': {
            const args = parseArgs(rest, ['split']);
            if (args.positionals.length !== 1) throw new UsageError('eval needs exactly one RUN_DIR');
            return evaluate(args.positionals[0], stringOption(args, 'split'), out);
        }
        case 'predict':
            return predict(rest, out);
        case 'data':
            return data(rest, out);
        case 'synth':
            return synth(rest, out);
        case 'weights':
            return weights(rest, out);
        case 'backends':
            return backends(rest, out);
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

/** Bad arguments exit 2; everything else, user error or failure, exits 1. */
export function exitCodeFor(error: unknown): number {
    return error instanceof UsageError ? 2 : 1;
}

main(process.argv.slice(2)).catch((error: unknown) => {
    const code = exitCodeFor(error);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`persemon: ${message}\n`);
    if (code === 2) process.stderr.write(`${USAGE}\n`);
    // Typed errors carry their own message; a plain Error or TypeError is a bug, so show where.
    if (!(error instanceof Error) || ['Error', 'TypeError', 'RangeError', 'ReferenceError'].includes(error.name)) {
        process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    }
    process.exitCode = code;
});
