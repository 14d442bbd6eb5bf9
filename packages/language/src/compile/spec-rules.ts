/**
 * The rules across settings, on plain values: the language's validator applies them to a
 * document's (effective) settings and checkJobSpec to a JobSpec, so both refuse the same
 * experiments with the same words. Each returns what is wrong, or nothing when all is well; the
 * caller says where.
 */
import type { DatasetFormat, DatasetKind, Size } from '../job-spec.js';
import { closest } from '../validation/suggest.js';
import { FEM_STAGES, FORMAT_SPLITS } from './defaults.js';

/** The divisor of the face network's input: each of its stages halves the image. */
const FEM_STRIDE = 2 ** FEM_STAGES;

/** `height 100 and width 90 must be a positive multiple of 16: …` for an input the face network cannot take. */
export function femInputProblem({ height, width }: Size): string | undefined {
    const fits = (pixels: number) => pixels > 0 && pixels % FEM_STRIDE === 0;
    const bad = [fits(height) ? '' : `height ${height}`, fits(width) ? '' : `width ${width}`].filter(Boolean);
    if (bad.length === 0) return undefined;
    return `${bad.join(' and ')} must be a positive multiple of ${FEM_STRIDE}: the face network halves the image in each of its ${FEM_STAGES} stages`;
}

export function fusionProblem(fusion: { pam: number; ram: number }): string | undefined {
    return fusion.pam === 0 && fusion.ram === 0 ? 'fusion weights are both 0: give pam or ram a positive weight' : undefined;
}

/** What `fusion search on` uses a split for, in a message about its kind. */
export const FUSION_USE = 'fusion weights are searched';

/** The finest step of `fusion search`: a grid of at most 1001 PAM shares. */
export const MIN_FUSION_STEP = 0.001;

/** A search step outside (0, 1], or finer than MIN_FUSION_STEP. */
export function fusionStepProblem(step: number, written = String(step)): string | undefined {
    if (!(step > 0 && step <= 1)) return `the fusion search step must be greater than 0 and at most 1, not ${written}`;
    if (step < MIN_FUSION_STEP) return `the fusion search step must be at least ${MIN_FUSION_STEP} (a grid of at most ${Math.round(1 / MIN_FUSION_STEP) + 1} points), not ${written}`;
    return undefined;
}

/**
 * The split `fusion search` searches on when the document names none: the validation split of the
 * first evaluated personality dataset that has one, else of the first personality dataset that has
 * one. Weights chosen on a test split would flatter that split's scores, so a test split is never chosen.
 */
export function defaultFusionSplit(
    datasets: ReadonlyArray<{ name: string; kind: DatasetKind; splits: readonly string[] }>, evaluated: readonly string[]
): { dataset: string; split: string } | undefined {
    const personality = datasets.filter(d => d.kind === 'personality');
    const ordered = [...personality.filter(d => evaluated.includes(d.name)), ...personality.filter(d => !evaluated.includes(d.name))];
    const found = ordered.find(d => d.splits.includes('validation'));
    return found && { dataset: found.name, split: 'validation' };
}

/** Why no default search split exists, naming the personality datasets and their splits. */
export function noFusionSplitProblem(datasets: ReadonlyArray<{ name: string; kind: DatasetKind; splits: readonly string[] }>): string {
    const personality = datasets.filter(d => d.kind === 'personality');
    const which = personality.length === 0
        ? 'this experiment has no personality dataset'
        : `no personality dataset has a validation split (${personality.map(d => `${d.name}: ${d.splits.join(', ')}`).join('; ')})`;
    const example = personality[0] ? `fusion search on ${personality[0].name}.<split>` : 'fusion search on <dataset>.<split>';
    return `fusion search needs a validation split to choose the weights on: ${which}; name one with \`${example}\``;
}

export type ModuleName = 'pam' | 'eam' | 'ram' | 'coherence';

export interface ModuleProblem {
    module: ModuleName;
    /** The other module or the datasets involved, for where to report it. */
    cause: 'datasets' | 'eam';
    /** The language's issue code (IssueCodes.MissingDataset, RamWithoutEam, CoherenceDatasets). */
    code: 'missing-dataset' | 'ram-without-eam' | 'coherence-datasets';
    /** The message, given how the module is named (`ram`, or `ram (from Paper)` when inherited). */
    message: (module: string) => string;
}

/**
 * Each module switched on needs what it reads: PAM and RAM a personality dataset, EAM an emotion
 * dataset, RAM the EAM whose arousal and valence it reads, coherence one dataset of each kind.
 */
export function moduleProblems(enabled: Record<ModuleName, boolean>, datasets: ReadonlyArray<{ name: string; kind: DatasetKind }>): ModuleProblem[] {
    const personality = datasets.filter(d => d.kind === 'personality');
    const emotion = datasets.filter(d => d.kind === 'emotion');
    const problems: ModuleProblem[] = [];
    for (const module of ['pam', 'ram'] as const) {
        if (enabled[module] && personality.length === 0) {
            problems.push({ module, cause: 'datasets', code: 'missing-dataset', message: m => `${m} needs a personality dataset, and this experiment has none` });
        }
    }
    if (enabled.eam && emotion.length === 0) {
        problems.push({ module: 'eam', cause: 'datasets', code: 'missing-dataset', message: m => `${m} needs an emotion dataset, and this experiment has none` });
    }
    if (enabled.ram && !enabled.eam) {
        problems.push({ module: 'ram', cause: 'eam', code: 'ram-without-eam', message: m => `${m} needs eam: it reads the arousal and valence that eam predicts` });
    }
    if (enabled.coherence && (personality.length === 0 || emotion.length === 0)) {
        const has = datasets.length === 0 ? 'none'
            : datasets.length === 1 ? `only ${datasets[0].name}`
                : `only ${personality.length > 0 ? 'personality' : 'emotion'} datasets`;
        problems.push({
            module: 'coherence', cause: 'datasets', code: 'coherence-datasets',
            message: m => `${m} needs at least two datasets, a personality and an emotion one, to align their features; this experiment has ${has}`
        });
    }
    return problems;
}

/** A split the dataset lacks, with the closest of its splits as suggestions. */
export function unknownSplitProblem(dataset: { name: string; splits: readonly string[] }, split: string): { message: string; suggestions: string[] } | undefined {
    if (dataset.splits.includes(split)) return undefined;
    const suggestions = closest(split, [...dataset.splits]);
    const hint = suggestions.length > 0 ? `: did you mean '${suggestions[0]}'?` : `; its splits are ${dataset.splits.join(', ')}`;
    return { message: `${dataset.name} has no split '${split}'${hint}`, suggestions };
}

/** `dataset` used as `wanted` (evaluated, unless `use` says otherwise): wrong when the dataset is of the other kind. */
export function splitKindProblem(dataset: { name: string; kind: DatasetKind }, wanted: DatasetKind, use = `${wanted} is evaluated`): string | undefined {
    if (dataset.kind === wanted) return undefined;
    return `${dataset.name} is ${dataset.kind === 'emotion' ? 'an emotion' : 'a personality'} dataset: ${use} on ${wanted} datasets`;
}

/** The index of the first milestone not above the one before it, with the message; undefined when they increase. */
export function milestonesOrderProblem(milestones: readonly number[]): { index: number; message: string } | undefined {
    const index = milestones.findIndex((value, i) => i > 0 && value <= milestones[i - 1]);
    if (index <= 0) return undefined;
    return { index, message: `milestones must be strictly increasing: ${milestones[index]} comes after ${milestones[index - 1]}` };
}

/** `inherited` is ` (from Paper)` when an ancestor wrote the milestone. */
export function milestoneBeyondProblem(milestone: number, iterations: number, inherited = ''): string | undefined {
    return milestone < iterations ? undefined : `milestone ${milestone}${inherited} is not within the ${iterations} iterations`;
}

/** A warm-up as long as the run or longer; a document the parser could not give a value passes. */
export function warmupProblem(warmup: number, iterations: number, inherited = ''): string | undefined {
    return warmup >= iterations ? `warmup ${warmup}${inherited} must be shorter than the ${iterations} iterations` : undefined;
}

/**
 * Training reads `train`; the synthetic source makes only train, validation and test. `index` is
 * the first split it cannot provide, when that is the problem.
 */
export function splitsProblem(format: DatasetFormat, splits: readonly string[]): { index?: number; message: string } | undefined {
    if (format === 'synthetic') {
        const made = FORMAT_SPLITS.synthetic;
        const unknown = splits.filter(s => !made.includes(s));
        if (unknown.length > 0) {
            return {
                index: splits.indexOf(unknown[0]),
                message: `a synthetic dataset has only the splits ${made.join(', ')}, not ${unknown.map(s => `'${s}'`).join(', ')}`
            };
        }
    }
    return splits.includes('train') ? undefined : { message: `splits must include train: training reads it (they are ${splits.join(', ')})` };
}

/** The datasets of the same name, after the first, each with the index of the first. */
export function duplicateNames(names: readonly string[]): Array<{ index: number; first: number }> {
    const first = new Map<string, number>();
    const duplicates: Array<{ index: number; first: number }> = [];
    names.forEach((name, index) => {
        const earlier = first.get(name);
        if (earlier === undefined) first.set(name, index);
        else duplicates.push({ index, first: earlier });
    });
    return duplicates;
}
