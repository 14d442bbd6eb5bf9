/**
 * `persemon compare SWEEP_DIR|RUN_DIR... [--format md|csv|latex|json] [--by SETTING]... [--split S]`:
 * the paper's Table 4 and Tables 5-6 over finished runs, mean ± sd over seeds, only the settings that
 * differ as columns, and a paired t-test of each configuration against the first.
 */
import { resolveSettingPath, type JobSpec } from '@persemon/language';
import { UsageError, UserError } from '../errors.js';
import { COMPARE_FORMATS, formatComparison, type CompareFormat } from '../compare/format.js';
import { loadComparedRuns } from '../compare/load.js';
import { buildComparison } from '../compare/table.js';
import { withFileErrors } from './run.js';
import { stringValue, stringValues, type Verb } from './verb.js';

export const compareVerb: Verb = {
    name: 'compare',
    actions: [{
        args: 'SWEEP_DIR|RUN_DIR...',
        summary: 'Table 4 and Tables 5-6 over runs: mean ± sd over seeds,\nthe settings that differ as columns, a paired t-test',
        description: 'Reads report.json and spec.json of finished runs (each argument a sweep directory or a run\n'
            + 'directory; unfinished runs are left out and listed on stderr) and prints the paper\'s layouts:\n'
            + 'Table 4 (A and R² per trait for PAM+RAM, PAM and RAM) and Tables 5-6 (personality A, R², and\n'
            + 'MSE, PCC, CCC where the runs report them, and emotion MSE per dimension, PCC and CCC), one row\n'
            + 'per configuration. A configuration is the runs that share every setting that differs between\n'
            + 'the runs, the seed aside (or the settings named by --by); cells are mean ± sample sd over its\n'
            + 'runs. Each configuration is compared with the first by a two-sided paired t-test over the runs\n'
            + 'paired by the settings left over (the seed), on personality A and R² and emotion MSE.',
        options: {
            format: { type: 'string', value: 'md|csv|latex|json', help: 'the output format (default md); csv holds one number a row' },
            by: { type: 'string', value: 'SETTING', multiple: true, help: 'a dotted setting that makes configurations (repeatable, or comma-separated);\nthe rest pairs runs for the t-test' },
            split: { type: 'string', value: 'S', help: 'the split to read first (default test, then what the reports hold)' },
        },
        exit: { 0: 'when the tables were printed', 1: 'on a path that is not a sweep or run directory, or no finished run' },
        run: async (args, out) => {
            if (args.positionals.length === 0) throw new UsageError('compare needs at least one SWEEP_DIR or RUN_DIR');
            const format = stringValue(args, 'format') ?? 'md';
            if (!(COMPARE_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be ${COMPARE_FORMATS.join(', ')}, not '${format}'`);
            const by = stringValues(args, 'by').flatMap(b => b.split(',')).map(b => b.trim());
            await withFileErrors(async () => {
                const { runs, skipped } = loadComparedRuns(args.positionals);
                for (const s of skipped) out.info(`left out ${s.dir}: ${s.reason}`);
                if (runs.length === 0) throw new UserError(`${args.positionals.join(', ')}: no finished run to compare (none has a report.json)`);
                const settings = by.length === 0 ? undefined : by.map(b => {
                    const resolved = resolveSettingPath(runs[0].spec as unknown as JobSpec, b);
                    if ('problem' in resolved) throw new UsageError(`--by ${b}: ${resolved.problem}`);
                    return resolved.path;
                });
                const comparison = buildComparison(runs, { by: settings, split: stringValue(args, 'split') });
                out.line(formatComparison(comparison, format as CompareFormat).replace(/\n$/, ''));
            });
        },
    }],
};
