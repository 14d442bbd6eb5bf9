/** `persemon data inspect DIR --format chalearn|affwild|affwild2|folder [--json]`: what a loader sees. */
import { formatInspect, INSPECT_FORMATS, inspectDataset, type InspectFormat, type InspectReport } from '../data/inspect.js';
import { UsageError, UserError } from '../errors.js';
import { parseArgs, stringOption } from './args.js';
import type { Output } from './output.js';

export const DATA_USAGE = `usage: persemon data inspect DIR --format ${INSPECT_FORMATS.join('|')} [--json]

  What a dataset loader sees, without decoding a frame: items and labelled items per split, the
  mean and range of each label, and every problem found, each naming its file.

  exit status: 0 when the dataset is usable (at least one labelled item), its problems listed;
               1 when it is unusable (no labelled item, or no dataset there); 2 for bad arguments`;

export async function data(argv: string[], out: Output): Promise<void> {
    const [action, ...rest] = argv;
    if (action === 'help' || isHelp(action) || (action === 'inspect' && rest.some(isHelp))) {
        out.line(DATA_USAGE);
        return;
    }
    if (action !== 'inspect') throw new UsageError(action === undefined ? 'data needs an action: inspect' : `unknown data action '${action}' (there is: inspect)`);
    const args = parseArgs(rest, ['format'], ['json']);
    if (args.positionals.length !== 1) throw new UsageError('data inspect needs exactly one DIR');
    const format = stringOption(args, 'format');
    if (format === undefined) throw new UsageError(`data inspect needs --format ${INSPECT_FORMATS.join('|')}`);
    if (!isInspectFormat(format)) throw new UsageError(`--format must be ${INSPECT_FORMATS.join(', ')}, not '${format}'`);
    const report = await inspectDataset(args.positionals[0], format);
    // formatInspect ends with a newline; line() adds one.
    out.line(args.options.has('json') ? JSON.stringify(report, null, 2) : formatInspect(report).trimEnd());
    // The report is printed either way: its problems say why nothing is labelled.
    if (!usable(report)) throw new UserError(`${report.root}: no labelled item, so nothing to train or evaluate on (see the problems listed)`);
}

function usable(report: InspectReport): boolean {
    return Object.values(report.splits).some((split) => split.labelled > 0);
}

function isHelp(arg: string | undefined): boolean {
    return arg === '--help' || arg === '-h';
}

function isInspectFormat(value: string): value is InspectFormat {
    return (INSPECT_FORMATS as readonly string[]).includes(value);
}
