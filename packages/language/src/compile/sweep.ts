/**
 * A `sweep` declaration compiled to a SweepSpec: each experiment it names compiled to its JobSpec,
 * each listed setting an axis of the grid, each `zip` one axis of several settings, `slurm` the
 * cluster's settings. Values: numbers, words (true, false and null as in JSON, other words as text),
 * strings, sizes (`64x64`: {height, width}) and lists.
 */
import type * as ast from '../generated/ast.js';
import { compileExperiment, CompileError, parseSize } from './compile.js';
import * as path from 'node:path';
import { absoluteFileSettings } from './sweep-settings.js';
import { sweepSpec, type SlurmSpec, type SweepAxis, type SweepSpec } from './sweep-spec.js';

/** The Slurm settings a sweep may give, and the kind of value each takes. */
export const SLURM_KEYS: Record<keyof SlurmSpec, { kind: 'text' | 'count'; doc: string }> = {
    partition: { kind: 'text', doc: 'the partition (queue) the runs go to, e.g. "gpu"' },
    time: { kind: 'text', doc: 'the time limit of each run in Slurm\'s format, e.g. "2:00:00" or "1-00"' },
    cpus: { kind: 'count', doc: 'CPUs per run (--cpus-per-task)' },
    mem: { kind: 'text', doc: 'memory per run, e.g. "16G"' },
    gres: { kind: 'text', doc: 'generic resources per run, e.g. "gpu:1"' },
    parallel: { kind: 'count', doc: 'runs at once: the job array\'s %P' }
};

export function selectSweep(model: ast.Model, name?: string): ast.Sweep {
    const named = model.sweeps.filter(s => s.name !== undefined);
    if (name !== undefined) {
        const found = named.find(s => s.name === name);
        if (!found) throw new CompileError(`no sweep named '${name}' (sweeps here: ${named.map(s => s.name).join(', ') || 'none'})`);
        return found;
    }
    if (named.length === 1) return named[0];
    if (named.length === 0) throw new CompileError('the document declares no sweep');
    throw new CompileError(`the document declares ${named.length} sweeps; choose one with --sweep: ${named.map(s => s.name).join(', ')}`);
}

export function compileSweep(sweep: ast.Sweep, documentPath: string | null): SweepSpec {
    const experiments: SweepSpec['experiments'] = {};
    for (const ref of sweep.experiments) {
        const experiment = ref.ref;
        if (!experiment) throw new CompileError(`sweep ${sweep.name}: no experiment named '${ref.$refText}'`);
        if (Object.hasOwn(experiments, experiment.name)) throw new CompileError(`sweep ${sweep.name}: experiment ${experiment.name} is named twice`);
        experiments[experiment.name] = compileExperiment(experiment, documentPath);
    }
    const axes: SweepAxis[] = [];
    const slurm: SlurmSpec = {};
    for (const item of sweep.items) {
        if (item.$type === 'SweepSetting') axes.push({ paths: [item.path], values: item.values.map(v => [sweepValue(v)]) });
        else if (item.$type === 'SweepZip') axes.push(zipAxis(sweep, item));
        else for (const option of item.options) Object.assign(slurm, slurmSetting(sweep, option));
    }
    const first = Object.values(experiments)[0];
    const absolute = documentPath === null || first === undefined ? axes : axes.map(axis => ({
        paths: axis.paths,
        values: axis.values.map(row => absoluteFileSettings(first, axis.paths.map((p, i) => ({ path: p, value: row[i] })), path.dirname(documentPath)).map(s => s.value))
    }));
    return sweepSpec({ sweep: sweep.name, source: documentPath, experiments, axes: absolute, slurm });
}

function zipAxis(sweep: ast.Sweep, zip: ast.SweepZip): SweepAxis {
    const lengths = new Set(zip.settings.map(s => s.values.length));
    if (zip.settings.length === 0) throw new CompileError(`sweep ${sweep.name}: an empty zip`);
    if (lengths.size > 1) throw new CompileError(`sweep ${sweep.name}: the settings of a zip vary together, so their lists need the same length, not ${[...lengths].join(' and ')}`);
    const rows = zip.settings[0].values.map((_, i) => zip.settings.map(s => sweepValue(s.values[i])));
    return { paths: zip.settings.map(s => s.path), values: rows };
}

/** A value as JSON: the word true, false or null as JSON's, a size as {height, width}. */
export function sweepValue(value: ast.SweepValue): unknown {
    if (value.list) return value.items.map(sweepValue);
    if (value.number !== undefined) return value.number;
    if (value.text !== undefined) return value.text;
    if (value.size !== undefined) return parseSize(value.size);
    const word = value.word ?? '';
    return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : word;
}

/** One Slurm setting, or why it is refused: an unknown key, a count that is not a whole number >= 1. */
export function slurmProblem(option: ast.SlurmOption): string | undefined {
    const key = SLURM_KEYS[option.key as keyof SlurmSpec] as (typeof SLURM_KEYS)[keyof SlurmSpec] | undefined;
    if (!Object.hasOwn(SLURM_KEYS, option.key) || !key) return `unknown Slurm setting '${option.key}' (there is: ${Object.keys(SLURM_KEYS).join(', ')})`;
    if (key.kind === 'count' && (option.number === undefined || !Number.isInteger(option.number) || option.number < 1)) return `slurm ${option.key} takes a whole number >= 1`;
    if (key.kind === 'text' && option.number === undefined && option.text === undefined && option.word === undefined) return `slurm ${option.key} needs a value`;
    return undefined;
}

function slurmSetting(sweep: ast.Sweep, option: ast.SlurmOption): SlurmSpec {
    const problem = slurmProblem(option);
    if (problem) throw new CompileError(`sweep ${sweep.name}: ${problem}`);
    const key = option.key as keyof SlurmSpec;
    if (SLURM_KEYS[key].kind === 'count') return { [key]: option.number };
    return { [key]: option.text ?? option.word ?? String(option.number) };
}
