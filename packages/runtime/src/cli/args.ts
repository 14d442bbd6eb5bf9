/** A small argv parser: positionals plus `--flag value` / `--flag=value` / boolean `--flag`. */
import { UsageError } from '../errors.js';

export interface ParsedArgs {
    positionals: string[];
    options: Map<string, string | true>;
}

export function parseArgs(argv: string[], valued: readonly string[], booleans: readonly string[] = []): ParsedArgs {
    const positionals: string[] = [];
    const options = new Map<string, string | true>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith('--')) {
            positionals.push(arg);
            continue;
        }
        const eq = arg.indexOf('=');
        const name = arg.slice(2, eq < 0 ? undefined : eq);
        if (booleans.includes(name)) {
            if (eq >= 0) throw new UsageError(`--${name} takes no value`);
            options.set(name, true);
        } else if (valued.includes(name)) {
            const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
            if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
            options.set(name, value);
        } else {
            throw new UsageError(`unknown option --${name}`);
        }
    }
    return { positionals, options };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
    const value = args.options.get(name);
    return typeof value === 'string' ? value : undefined;
}

export function intOption(args: ParsedArgs, name: string, min = 0): number | undefined {
    const value = stringOption(args, name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${name} must be a whole number >= ${min}, not '${value}'`);
    return Number(value);
}
