/**
 * `fusion search`: the split it chooses the weights on must be a personality split that exists
 * (the one named, or the default validation split, which some experiments lack), and should not be
 * a split the experiment is evaluated on, whose scores weights chosen there would flatter.
 * The experiment's datasets may be inherited, so the split checks read the effective experiment.
 */
import type { ValidationAcceptor } from 'langium';
import * as ast from '../generated/ast.js';
import type { DatasetKind } from '../job-spec.js';
import { defaultEvaluationSplit } from '../compile/defaults.js';
import { defaultFusionSplit, FUSION_USE, noFusionSplitProblem, splitKindProblem, unknownSplitProblem } from '../compile/spec-rules.js';
import { splitsOf } from './datasets.js';
import { crossSettingTarget, type EffectiveExperiments } from './effective-experiments.js';
import { issue, IssueCodes } from './issue-codes.js';

export class FusionSearchChecks {
    constructor(protected readonly effective: EffectiveExperiments) {}

    /** `fusion search on dataset.split`: a split of a personality dataset that has it. */
    searchSplit = (ref: ast.SplitRef, accept: ValidationAcceptor): void => {
        const dataset = ref.dataset?.ref;
        if (!dataset || ref.split === undefined) return;
        const unknown = unknownSplitProblem({ name: dataset.name, splits: splitsOf(dataset) }, ref.split);
        if (unknown) accept('error', unknown.message, { node: ref, property: 'split', ...issue(IssueCodes.UnknownSplit, unknown.suggestions) });
        const kind = splitKindProblem(dataset, 'personality', FUSION_USE);
        if (kind) accept('error', kind, { node: ref, property: 'dataset', ...issue(IssueCodes.SplitKind) });
    };

    /** The split searched on, as the experiment has it: a default that exists, and not an evaluated split. */
    experiment = (experiment: ast.Experiment, accept: ValidationAcceptor): void => {
        const e = this.effective.get(experiment);
        const fusion = e.evaluate.options.Fusion as ast.Fusion | undefined;
        if (!fusion?.search) return;
        const declared = [...e.datasets.values()];
        const datasets = declared.map(d => ({ name: d.name, kind: d.kind as DatasetKind, splits: splitsOf(d) }));
        const evaluated = evaluatedPersonality(e.evaluate.options.PersonalityEval as ast.PersonalityEval | undefined, declared);
        let on: { dataset: string; split: string } | undefined;
        if (fusion.split) {
            if (!fusion.split.dataset?.ref || fusion.split.split === undefined) return;
            on = { dataset: fusion.split.dataset.ref.name, split: fusion.split.split };
        } else {
            on = defaultFusionSplit(datasets, evaluated.map(r => r.dataset));
            if (!on) {
                const target = crossSettingTarget(experiment, { node: fusion, property: 'search' }, [fusion, ...declared]);
                if (target) accept('error', noFusionSplitProblem(datasets), { ...target, ...issue(IssueCodes.UnknownSplit) });
                return;
            }
        }
        const chosen = on;
        if (evaluated.some(r => r.dataset === chosen.dataset && r.split === chosen.split)) {
            const target = crossSettingTarget(experiment, { node: fusion, property: fusion.split ? 'split' : 'search' },
                [fusion, e.evaluate.options.PersonalityEval, ...declared]);
            if (target) {
                accept('warning', `fusion search on ${chosen.dataset}.${chosen.split}, which personality is also evaluated on: `
                    + 'weights chosen on a split flatter its scores; search on a validation split',
                    { ...target, ...issue(IssueCodes.FusionWeights) });
            }
        }
    };
}

/** The personality splits evaluated: those stated, else each personality dataset's default split (as compiled). */
function evaluatedPersonality(stated: ast.PersonalityEval | undefined, datasets: ast.Dataset[]): Array<{ dataset: string; split: string }> {
    if (stated) {
        return stated.splits.filter(s => s.dataset?.ref && s.split !== undefined)
            .map(s => ({ dataset: s.dataset.ref!.name, split: s.split }));
    }
    return datasets.filter(d => d.kind === 'personality' && d.format !== undefined)
        .map(d => ({ dataset: d.name, split: defaultEvaluationSplit(d.format as Parameters<typeof defaultEvaluationSplit>[0], splitsOf(d)) }));
}
