/** `persemon data inspect DIR --format chalearn|affwild|affwild2|folder [--json]`: what a loader sees. */
import { formatInspect, INSPECT_FORMATS, inspectDataset, type InspectFormat } from '../data/inspect.js';
import { UsageError } from '../errors.js';
import { parseArgs, stringOption } from './args.js';
import type { Output } from './output.js';

export async function data(argv: string[], out: Output): Promise<void> {
    const [action, ...rest] = argv;
    if (action !== 'inspect') throw new UsageError(action === undefined ? 'data needs an action: inspect' : `unknown data action '${action}' (there is: inspect)`);
    const args = parseArgs(rest, ['format'], ['json']);
    if (args.positionals.length !== 1) throw new UsageError('data inspect needs exactly one DIR');
    const format = stringOption(args, 'format');
    if (format === undefined) throw new UsageError(`data inspect needs --format ${INSPECT_FORMATS.join('|')}`);
    if (!isInspectFormat(format)) throw new UsageError(`--format must be ${INSPECT_FORMATS.join(', ')}, not '${format}'`);
    const report = await inspectDataset(args.positionals[0], format);
    // formatInspect ends with a newline; line() adds one.
    out.line(args.options.has('json') ? JSON.stringify(report, null, 2) : formatInspect(report).trimEnd());
}

function isInspectFormat(value: string): value is InspectFormat {
    return (INSPECT_FORMATS as readonly string[]).includes(value);
}
