/**
 * What a `persemon` verb is: its actions, each with its own options, usage and exit codes, from
 * which the parser, `--help` and the usage shown with a bad argument are all made.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import type { Output } from './output.js';

export interface OptionSpec {
    /** `string` takes a value (`--out DIR`, `--out=DIR`); `boolean` is a switch (`--json`). */
    type: 'string' | 'boolean';
    /** The value's name in usage (`DIR`, `N`, `chalearn|affwild`); string options only. */
    value?: string;
    /** Shown without brackets in usage; the action itself says what is missing. */
    required?: boolean;
    /** May be given more than once (`--set A=1 --set B=2`); string options only. */
    multiple?: boolean;
    /** One line (or a few, split by `\n`) for `--help`. */
    help: string;
}

/** One form of a verb: `persemon backends` and `persemon backends install` are two. */
export interface Action {
    /** The word after the verb (`install`); absent for the verb's own form. */
    name?: string;
    /** The positional arguments as usage shows them (`FILE...`, `RUN_DIR IMAGE_OR_VIDEO`); none when absent. */
    args?: string;
    /** One line for `persemon --help` (split by `\n` for more). */
    summary: string;
    /** Paragraphs for `--help`, lines split by `\n`. */
    description?: string;
    options: Record<string, OptionSpec>;
    /** What exit 0 and exit 1 mean here, each read after its number ("0 when ..."); 2 is always bad arguments. */
    exit: { 0: string; 1: string };
    run(args: ParsedArgs, out: Output): Promise<void>;
}

export interface Verb {
    name: string;
    /** Computes with TensorFlow.js, and so may need the GPU engine's environment. */
    computes?: boolean;
    /** One unnamed action, or named ones (and at most one unnamed, taken when no name is given). */
    actions: Action[];
}

export interface ParsedArgs {
    positionals: string[];
    values: Record<string, string | boolean | string[] | undefined>;
}

/** A bad argument, with the usage of the verb or action it was given to. */
export class VerbUsageError extends UsageError {
    constructor(message: string, readonly usage: string) {
        super(message);
    }
}

/** What a command line asks of a verb: its help, or an action with its parsed arguments. */
export type Invocation = { verb: Verb; help: string } | { verb: Verb; action: Action; args: ParsedArgs };

export function prepare(verb: Verb, argv: readonly string[]): Invocation {
    const named = verb.actions.filter((a) => a.name !== undefined);
    const [first, ...rest] = argv;
    const chosen = named.find((a) => a.name === first);
    if (chosen) return parseAction(verb, chosen, rest);
    if (named.length > 0 && first !== undefined && (first === 'help' || isHelp(first))) return { verb, help: verbHelp(verb) };
    const plain = verb.actions.find((a) => a.name === undefined);
    if (plain) return parseAction(verb, plain, argv);
    if (first === undefined) throw new VerbUsageError(`${verb.name} needs an action: ${names(named)}`, verbUsage(verb));
    throw new VerbUsageError(`unknown ${verb.name} action '${first}' (there is: ${names(named)})`, verbUsage(verb));
}

/** Runs what `prepare` found; a bad argument found on the way carries the action's usage. */
export async function perform(invocation: Invocation, out: Output): Promise<void> {
    if ('help' in invocation) {
        out.line(invocation.help);
        return;
    }
    const { verb, action, args } = invocation;
    try {
        await action.run(args, out);
    } catch (error) {
        if (error instanceof UsageError && !(error instanceof VerbUsageError)) throw new VerbUsageError(error.message, actionUsage(verb, action));
        throw error;
    }
}

export async function invoke(verb: Verb, argv: readonly string[], out: Output): Promise<void> {
    return perform(prepare(verb, argv), out);
}

function parseAction(verb: Verb, action: Action, argv: readonly string[]): Invocation {
    try {
        const args = parse(action, argv, words(verb, action));
        return args === 'help' ? { verb, help: actionHelp(verb, action) } : { verb, action, args };
    } catch (error) {
        if (error instanceof UsageError) throw new VerbUsageError(error.message, actionUsage(verb, action));
        throw error;
    }
}

/** Every action takes `-h` and `--help`. */
const HELP: OptionSpec = { type: 'boolean', help: 'this help' };

/**
 * parseArgs without `strict`, its tokens checked here: the messages name the option as typed, a
 * string option takes the next argument whatever it looks like (`--seed -1` is then refused as a
 * number, not as a missing value), and `--help` wins over any bad argument beside it.
 */
function parse(action: Action, argv: readonly string[], words: string): ParsedArgs | 'help' {
    const specs: Record<string, OptionSpec> = { ...action.options, help: HELP };
    const options = Object.fromEntries(Object.entries(specs).map(([name, o]) => [name, name === 'help' ? { type: o.type, short: 'h' } : { type: o.type, multiple: o.multiple === true }]));
    const { values, positionals, tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
    if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return 'help';
    for (const token of tokens) {
        if (token.kind !== 'option') continue;
        const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
        if (spec === undefined) throw new UsageError(`unknown option ${token.rawName}`);
        if (spec.type === 'boolean' && token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
        if (spec.type === 'string' && (token.value === undefined || token.value === '')) throw new UsageError(`${token.rawName} needs a value`);
    }
    if (action.args === undefined && positionals.length > 0) throw new UsageError(`${words} takes no positional arguments, not '${positionals[0]}'`);
    return { positionals, values };
}

/** A string option's value, if given. */
export function stringValue(args: ParsedArgs, name: string): string | undefined {
    const value = args.values[name];
    return typeof value === 'string' ? value : undefined;
}

/** Every value of a repeatable option, in the order given. */
export function stringValues(args: ParsedArgs, name: string): string[] {
    const value = args.values[name];
    return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

export function flag(args: ParsedArgs, name: string): boolean {
    return args.values[name] === true;
}

/** A whole-number option's value, if given. */
export function wholeValue(args: ParsedArgs, name: string, min = 0): number | undefined {
    const value = stringValue(args, name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${name} must be a whole number >= ${min}, not '${value}'`);
    return Number(value);
}

function isHelp(arg: string): boolean {
    return arg === '--help' || arg === '-h';
}

function names(actions: Action[]): string {
    return actions.map((a) => a.name).join(', ');
}

/** `data inspect`, `backends`. */
function words(verb: Verb, action: Action): string {
    return action.name === undefined ? verb.name : `${verb.name} ${action.name}`;
}

/** `run FILE [--experiment NAME] ...`, without the leading `persemon`. */
export function synopsis(verb: Verb, action: Action): string {
    const options = Object.entries(action.options).map(([name, o]) => (o.required ? optionText(name, o) : `[${optionText(name, o)}]${o.multiple ? '...' : ''}`));
    return [words(verb, action), action.args, ...options].filter((part) => part !== undefined && part !== '').join(' ');
}

/** `--out DIR`, `--json`. */
function optionText(name: string, o: OptionSpec): string {
    return o.type === 'string' ? `--${name} ${o.value ?? 'VALUE'}` : `--${name}`;
}

function optionLines(action: Action): string[] {
    const rows: Array<[string, string]> = Object.entries(action.options).map(([name, o]) => [optionText(name, o), o.help]);
    rows.push(['-h, --help', HELP.help]);
    const width = Math.max(...rows.map(([left]) => left.length)) + 3;
    return ['options:', ...rows.flatMap(([left, help]) => help.split('\n').map((line, i) => `  ${(i === 0 ? left : '').padEnd(width)}${line}`))];
}

/** `exit status: 0 ...; 1 ...; 2 for bad arguments`, wrapped at 100 columns between codes. */
function exitLines(action: Action): string[] {
    const lead = 'exit status: ';
    const [first, ...others] = [`0 ${action.exit[0]};`, `1 ${action.exit[1]};`, '2 for bad arguments'];
    const lines = [lead + first];
    for (const part of others) {
        if (lines[lines.length - 1].length + 1 + part.length <= 100) lines[lines.length - 1] += ` ${part}`;
        else lines.push(' '.repeat(lead.length) + part);
    }
    return lines;
}

/** The usage line and the options: what a bad argument is answered with. */
function actionUsage(verb: Verb, action: Action): string {
    return [`usage: persemon ${synopsis(verb, action)}`, '', ...optionLines(action)].join('\n');
}

/** `persemon VERB ACTION --help`. */
function actionHelp(verb: Verb, action: Action): string {
    const description = (action.description ?? action.summary).split('\n').map((line) => (line === '' ? '' : `  ${line}`));
    return [`usage: persemon ${synopsis(verb, action)}`, '', ...description, '', ...optionLines(action), '', ...exitLines(action)].join('\n');
}

function verbUsage(verb: Verb): string {
    return verb.actions.map((action) => actionUsage(verb, action)).join('\n\n');
}

/** `persemon VERB --help` and `persemon help VERB`: each action's help. */
function verbHelp(verb: Verb): string {
    return verb.actions.map((action) => actionHelp(verb, action)).join('\n\n');
}
