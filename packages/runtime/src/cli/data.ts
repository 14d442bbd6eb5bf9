/** `persemon data inspect DIR --format chalearn|affwild|affwild2|folder [--json]`: what a loader sees. */
import { formatInspect, INSPECT_FORMATS, inspectDataset, type InspectFormat, type InspectReport } from '../data/inspect.js';
import { UsageError, UserError } from '../errors.js';
import type { Output } from './output.js';
import { flag, stringValue, type Verb } from './verb.js';

export const dataVerb: Verb = {
    name: 'data',
    actions: [{
        name: 'inspect',
        args: 'DIR',
        summary: 'what a dataset loader sees: items, labels, problems',
        description: 'What a dataset loader sees, without decoding a frame: items and labelled items per split, the\n'
            + 'mean and range of each label, and every problem found, each naming its file.',
        options: {
            format: { type: 'string', value: INSPECT_FORMATS.join('|'), required: true, help: 'the dataset\'s layout' },
            json: { type: 'boolean', help: 'the report as JSON' },
        },
        exit: {
            0: 'when the dataset is usable (at least one labelled item), its problems listed',
            1: 'when it is unusable (no labelled item, or no dataset there)',
        },
        run: async (args, out) => {
            if (args.positionals.length !== 1) throw new UsageError('data inspect needs exactly one DIR');
            const format = stringValue(args, 'format');
            if (format === undefined) throw new UsageError(`data inspect needs --format ${INSPECT_FORMATS.join('|')}`);
            if (!isInspectFormat(format)) throw new UsageError(`--format must be ${INSPECT_FORMATS.join(', ')}, not '${format}'`);
            await inspect(args.positionals[0], format, flag(args, 'json'), out);
        },
    }],
};

async function inspect(dir: string, format: InspectFormat, json: boolean, out: Output): Promise<void> {
    const report = await inspectDataset(dir, format);
    // formatInspect ends with a newline; line() adds one.
    out.line(json ? JSON.stringify(report, null, 2) : formatInspect(report).trimEnd());
    // The report is printed either way: its problems say why nothing is labelled.
    if (!usable(report)) throw new UserError(`${report.root}: no labelled item, so nothing to train or evaluate on (see the problems listed)`);
}

function usable(report: InspectReport): boolean {
    return Object.values(report.splits).some((split) => split.labelled > 0);
}

function isInspectFormat(value: string): value is InspectFormat {
    return (INSPECT_FORMATS as readonly string[]).includes(value);
}
