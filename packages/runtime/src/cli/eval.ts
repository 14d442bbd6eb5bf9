/** `persemon eval RUN_DIR [--split S]`: the run's latest checkpoint evaluated again. */
import { UsageError } from '../errors.js';
import { evaluateJob } from '../run/job.js';
import { openRunDir } from '../run/run-dir.js';
import type { Output } from './output.js';
import { Progress } from './progress.js';
import { formatReport, withFileErrors } from './run.js';
import { stringValue, type Verb } from './verb.js';

export const evalVerb: Verb = {
    name: 'eval',
    computes: true,
    actions: [{
        args: 'RUN_DIR',
        summary: 'evaluate the run\'s latest checkpoint again',
        description: 'Evaluates the run\'s latest checkpoint again and merges the result into its report.json\n'
            + '(the run itself is not ended); prints the results laid out like the paper\'s Table 4.',
        options: {
            split: { type: 'string', value: 'S', help: 'score split S of every evaluated dataset that has it (default: the experiment\'s splits)' },
        },
        exit: { 0: 'when the results are printed', 1: 'on a run directory without a checkpoint, or a failed evaluation' },
        run: async (args, out) => {
            if (args.positionals.length !== 1) throw new UsageError('eval needs exactly one RUN_DIR');
            await evaluate(args.positionals[0], stringValue(args, 'split'), out);
        },
    }],
};

async function evaluate(runDir: string, split: string | undefined, out: Output): Promise<void> {
    await withFileErrors(async () => {
        const dir = openRunDir(runDir);
        const progress = new Progress();
        const report = await evaluateJob(dir, { split, listeners: [e => progress.onEvent(e)] });
        out.line(formatReport(report));
    });
}
