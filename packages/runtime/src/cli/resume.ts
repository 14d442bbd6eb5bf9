/** `persemon resume RUN_DIR [--max-steps N] [--accept-spec-change]`: a stopped or killed run, continued exactly. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError, UserError } from '../errors.js';
import { openRunDir } from '../run/run-dir.js';
import type { Output } from './output.js';
import { train, withFileErrors } from './run.js';
import { flag, wholeValue, type Verb } from './verb.js';

export const resumeVerb: Verb = {
    name: 'resume',
    computes: true,
    actions: [{
        args: 'RUN_DIR',
        summary: 'continue a stopped or killed run from its last checkpoint,\n'
            + 'up to the --max-steps it was started with unless given anew;\n'
            + 'refused when spec.json changed since, unless accepted',
        description: 'Continues a stopped or killed run from its latest checkpoint: weights, optimiser state,\n'
            + 'sampler and random state, without logging a step twice. Prints the run directory first, then\n'
            + 'as `persemon run` does.',
        options: {
            'max-steps': { type: 'string', value: 'N', help: 'stop after N iterations (default: the cap the run was started with)' },
            'accept-spec-change': { type: 'boolean', help: 'continue although spec.json changed since the run started\n(the start event records the former hash)' },
        },
        exit: { 0: 'when the run ended or stopped on request', 1: 'on a run directory that cannot be resumed, or a failed run' },
        run: async (args, out) => {
            if (args.positionals.length !== 1) throw new UsageError('resume needs exactly one RUN_DIR');
            await resume(args.positionals[0], wholeValue(args, 'max-steps', 1), flag(args, 'accept-spec-change'), out);
        },
    }],
};

async function resume(runDir: string, maxSteps: number | undefined, acceptSpecChange: boolean, out: Output): Promise<void> {
    await withFileErrors(async () => {
        const dir = openRunDir(runDir);
        if (fs.existsSync(dir.reportFile) && !fs.existsSync(path.join(dir.checkpointsDir, 'latest'))) {
            throw new UserError(`${runDir}: has a report but no checkpoint to resume from`);
        }
        out.line(dir.root);
        await train(dir.root, { maxSteps, acceptSpecChange }, out);
    });
}
