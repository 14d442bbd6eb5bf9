/** `persemon compile FILE [--experiment NAME]`: the JobSpec as JSON on stdout. */
import { compileFile } from '@persemon/language';
import { UsageError } from '../errors.js';
import type { Output } from './output.js';
import { stringValue, type Verb } from './verb.js';

export const compileVerb: Verb = {
    name: 'compile',
    actions: [{
        args: 'FILE',
        summary: 'the JobSpec as JSON on stdout',
        description: 'The JobSpec of an experiment, everything it inherits resolved, as JSON on stdout:\n'
            + 'what `persemon run` accepts in place of the document.',
        options: {
            experiment: { type: 'string', value: 'NAME', help: 'the experiment to compile (needed when the file holds several)' },
        },
        exit: { 0: 'when the JobSpec is printed', 1: 'when the document has an error or no such experiment' },
        run: async (args, out) => {
            if (args.positionals.length !== 1) throw new UsageError('compile needs exactly one FILE');
            await compile(args.positionals[0], stringValue(args, 'experiment'), out);
        },
    }],
};

async function compile(file: string, experiment: string | undefined, out: Output): Promise<void> {
    const spec = await compileFile(file, experiment);
    out.line(JSON.stringify(spec, null, 2));
}
