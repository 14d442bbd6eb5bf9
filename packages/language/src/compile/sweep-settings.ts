/**
 * Settings over a JobSpec by dotted path (`loss.lambda3`, `model.fem.depth`, `datasets.personas.synthetic.people`):
 * what `persemon run --set PATH=VALUE` and each point of a sweep change. A path is resolved against the
 * JobSpec it applies to, and the result is checked by the schema and checkJobSpec, so a bad path or
 * value is refused naming the setting before anything runs.
 */
import * as path from 'node:path';
import type { JobSpec } from '../job-spec.js';
import { closest } from '../validation/suggest.js';
import { assertJobSpec, JobSpecError } from './schema.js';

/** One setting: a dotted path over the JobSpec and the value it takes. */
export interface Setting {
    path: string;
    value: unknown;
}

/** A refused setting: the path as written (empty for a problem no single setting explains) and why. */
export interface SettingProblem {
    path: string;
    message: string;
}

/** The modules of `model`, which a path may name without `model.` (`fem.depth`), as the language does. */
const MODEL_PARTS = new Set(['fem', 'pam', 'eam', 'ram', 'coherence']);

/**
 * `PATH=VALUE`: the value is JSON where it parses as JSON (`0.2`, `true`, `[1, 2]`, `null`, `"x"`),
 * otherwise the text itself (`wasm`, `data/chalearn`). Throws on a missing `=` or path.
 */
export function parseSetting(text: string): Setting {
    const at = text.indexOf('=');
    if (at <= 0) throw new Error(`'${text}' is not PATH=VALUE (e.g. loss.lambda3=0.2)`);
    return { path: text.slice(0, at).trim(), value: parseSettingValue(text.slice(at + 1)) };
}

export function parseSettingValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** The JobSpec fields that name files or folders, which a JobSpec holds as absolute paths. */
const FILE_FIELDS = /^(datasets\.\d+\.path|model\.fem\.init|output)$/;

/**
 * `settings` with each relative file name made absolute against `base` (the shell's folder for
 * `--set`, the document's for a sweep), as the compiler makes a document's file names absolute.
 */
export function absoluteFileSettings(spec: JobSpec, settings: readonly Setting[], base: string): Setting[] {
    return settings.map(setting => {
        if (typeof setting.value !== 'string' || setting.value === '' || path.isAbsolute(setting.value)) return setting;
        const resolved = resolveSettingPath(spec, setting.path);
        return 'path' in resolved && FILE_FIELDS.test(resolved.path) ? { ...setting, value: path.resolve(base, setting.value) } : setting;
    });
}

/** A path's words as written: `λ3` is `lambda3`, and `fem.…` is `model.fem.…`. */
function words(path: string): string[] {
    const parts = path.split('.').map(p => p.replace(/^λ(\d)$/, 'lambda$1'));
    return MODEL_PARTS.has(parts[0]) ? ['model', ...parts] : parts;
}

/**
 * The canonical path of `path` in `spec` (`datasets.0.synthetic.people`, array items by index), or
 * why it names nothing there. Arrays of named objects (datasets) take the name as well as the index.
 */
export function resolveSettingPath(spec: JobSpec, path: string): { path: string } | { problem: string } {
    if (path === '' || path.split('.').some(p => p === '')) return { problem: `'${path}' is not a dotted path (e.g. loss.lambda3)` };
    let node: unknown = spec;
    const done: string[] = [];
    for (const word of words(path)) {
        const where = done.length === 0 ? 'the JobSpec' : done.join('.');
        if (Array.isArray(node)) {
            const index = /^\d+$/.test(word) ? Number(word) : node.findIndex(item => isRecord(item) && item.name === word);
            if (index < 0 || index >= node.length) {
                const names = node.filter(isRecord).map(item => item.name).filter((n): n is string => typeof n === 'string');
                const choices = [...node.keys(), ...names].join(', ');
                return { problem: `${where} has no item '${word}' (there is: ${choices || 'none'})` };
            }
            done.push(String(index));
            node = node[index];
        } else if (isRecord(node)) {
            if (!Object.hasOwn(node, word)) {
                const keys = Object.keys(node);
                const guess = closest(word, keys)[0];
                return { problem: `${where} has no field '${word}'${guess ? ` (did you mean '${guess}'?)` : ` (its fields: ${keys.join(', ')})`}` };
            }
            done.push(word);
            node = node[word];
        } else {
            return { problem: `${where} is ${node === null ? 'null' : `a ${typeof node}`}, with no field '${word}'` };
        }
    }
    return { path: done.join('.') };
}

/**
 * `spec` with the settings applied (a copy), or the problems: unknown paths, then what the schema and
 * checkJobSpec say of the result, each attributed to the setting whose path it falls under.
 */
export function applySettings(spec: JobSpec, settings: readonly Setting[]): { spec: JobSpec; problems: SettingProblem[] } {
    const result = structuredClone(spec) as unknown as Record<string, unknown>;
    const problems: SettingProblem[] = [];
    const applied: Array<{ written: string; canonical: string }> = [];
    for (const setting of settings) {
        const resolved = resolveSettingPath(result as unknown as JobSpec, setting.path);
        if ('problem' in resolved) {
            problems.push({ path: setting.path, message: resolved.problem });
            continue;
        }
        assign(result, resolved.path.split('.'), structuredClone(setting.value));
        applied.push({ written: setting.path, canonical: resolved.path });
    }
    if (problems.length > 0) return { spec, problems };
    try {
        assertJobSpec(result, 'settings');
    } catch (error) {
        if (!(error instanceof JobSpecError)) throw error;
        for (const line of error.problems) {
            const colon = line.indexOf(': ');
            const field = colon < 0 ? '' : line.slice(0, colon);
            const owner = applied.filter(a => within(field, a.canonical) || within(a.canonical, field)).at(-1);
            problems.push({ path: owner?.written ?? '', message: line });
        }
    }
    if (problems.length > 0) return { spec, problems };
    // The spec names what was changed from its document, so spec.json says how a run differs.
    const changed = result as unknown as JobSpec;
    const listed = applied.map(a => ({ path: a.canonical, value: structuredClone(settings.find(s => s.path === a.written)!.value) }));
    changed.overrides = [...(spec.overrides ?? []).filter(o => !listed.some(l => l.path === o.path)), ...listed];
    return { spec: changed, problems };
}

/** One line per problem: `PATH: MESSAGE`, or the message alone for a problem of the settings together. */
export function describeSettingProblems(problems: readonly SettingProblem[], settings: readonly Setting[]): string[] {
    return problems.map(p => p.path === ''
        ? `with ${settings.map(s => `${s.path}=${JSON.stringify(s.value)}`).join(', ')}: ${p.message}`
        : `${p.path}=${JSON.stringify(settings.find(s => s.path === p.path)?.value)}: ${p.message}`);
}

/** Every path a setting may name in `spec`, leaves and objects alike (for completion), datasets by name. */
export function settingPaths(spec: JobSpec): string[] {
    const paths: string[] = [];
    const walk = (node: unknown, prefix: string) => {
        if (Array.isArray(node)) {
            node.forEach((item, i) => {
                const key = isRecord(item) && typeof item.name === 'string' ? item.name : String(i);
                const path = `${prefix}.${key}`;
                paths.push(path);
                walk(item, path);
            });
        } else if (isRecord(node)) {
            for (const [key, value] of Object.entries(node)) {
                const path = prefix === '' ? key : `${prefix}.${key}`;
                paths.push(path);
                walk(value, path);
            }
        }
    };
    walk(spec, '');
    return paths;
}

/** `a` is `b` or lies under it. */
function within(a: string, b: string): boolean {
    return a === b || a.startsWith(`${b}.`);
}

function assign(target: Record<string, unknown>, parts: string[], value: unknown): void {
    let node: Record<string, unknown> | unknown[] = target;
    for (const part of parts.slice(0, -1)) node = (node as Record<string, unknown>)[part] as Record<string, unknown>;
    (node as Record<string, unknown>)[parts[parts.length - 1]] = value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
