/**
 * The language's checks across settings, on a JobSpec: what job.schema.json cannot say (names that
 * must refer to something, modules and the datasets they read, splits that would be empty, memory
 * that would not fit). A JobSpec written by hand or by another tool gets the same refusals as a
 * document, before any work starts.
 */
import { type DatasetKind, isFusionSearch, type JobSpec, type SplitRefSpec } from '../job-spec.js';
import { closest } from '../validation/suggest.js';
import { batchProblem, syntheticSetProblem } from './limits.js';
import {
    duplicateNames, femInputProblem, FUSION_USE, fusionProblem, fusionStepProblem, milestoneBeyondProblem, milestonesOrderProblem, moduleProblems, splitKindProblem,
    splitsProblem, unknownSplitProblem, warmupProblem
} from './spec-rules.js';

/** One problem of a JobSpec: the JSON path of the field (`evaluation.personality.0.split`) and what is wrong. */
export interface JobSpecProblem {
    path: string;
    message: string;
}

/**
 * The problems of a JobSpec that already matches job.schema.json (assertJobSpec checks both, the
 * schema first), in the order of its fields; empty when it can run.
 */
export function checkJobSpec(spec: JobSpec): JobSpecProblem[] {
    const problems: JobSpecProblem[] = [];
    const report = (path: string, message: string | undefined) => {
        if (message !== undefined) problems.push({ path, message });
    };

    for (const { index, first } of duplicateNames(spec.datasets.map(d => d.name))) {
        report(`datasets.${index}.name`, `datasets.${first} and datasets.${index} are both named '${spec.datasets[index].name}': dataset names must be unique`);
    }
    spec.datasets.forEach((d, i) => {
        if (d.format !== 'synthetic' && d.path === null) report(`datasets.${i}.path`, `a ${d.format} dataset needs a path`);
        const splits = splitsProblem(d.format, d.splits);
        if (splits) report(`datasets.${i}.splits${splits.index === undefined ? '' : `.${splits.index}`}`, splits.message);
        if (d.format === 'synthetic') {
            if (d.synthetic === null) report(`datasets.${i}.synthetic`, 'a synthetic dataset needs its synthetic settings');
            else report(`datasets.${i}.synthetic`, syntheticSetProblem(d.kind, d.synthetic));
            // The synthetic source holds the validation fraction of the people out for validation and for test.
            if (d.validation === 0) report(`datasets.${i}.validation`, 'a synthetic dataset needs a validation fraction above 0: validation and test each hold out that fraction of its people');
        }
    });

    const { model } = spec;
    report('model.fem.input', femInputProblem(model.fem.input));
    const enabled = { pam: model.pam.enabled, eam: model.eam.enabled, ram: model.ram.enabled, coherence: model.coherence.enabled };
    for (const problem of moduleProblems(enabled, spec.datasets)) {
        report(`model.${problem.module}.enabled`, problem.message(problem.module));
    }

    const kinds = new Set(spec.datasets.map(d => d.kind));
    report('sampling', batchProblem(spec.sampling, model.fem.input, { personality: kinds.has('personality'), emotion: kinds.has('emotion') }));

    const { schedule } = spec;
    if (schedule.kind === 'step') {
        const order = milestonesOrderProblem(schedule.milestones);
        if (order) report(`schedule.milestones.${order.index}`, order.message);
        schedule.milestones.forEach((m, i) => report(`schedule.milestones.${i}`, milestoneBeyondProblem(m, schedule.iterations)));
    }
    report('schedule.warmup', warmupProblem(schedule.warmup, schedule.iterations));

    for (const kind of ['personality', 'emotion'] as const) {
        spec.evaluation[kind].forEach((ref, i) => splitRefProblems(spec, ref, kind, `evaluation.${kind}.${i}`).forEach(p => problems.push(p)));
    }
    const { fusion } = spec.evaluation;
    if (isFusionSearch(fusion)) {
        report('evaluation.fusion.search.step', fusionStepProblem(fusion.search.step));
        splitRefProblems(spec, fusion.search.on, 'personality', 'evaluation.fusion.search.on', FUSION_USE).forEach(p => problems.push(p));
    } else {
        report('evaluation.fusion', fusionProblem(fusion));
    }
    return problems;
}

function splitRefProblems(spec: JobSpec, ref: SplitRefSpec, wanted: DatasetKind, path: string, use?: string): JobSpecProblem[] {
    const dataset = spec.datasets.find(d => d.name === ref.dataset);
    const names = spec.datasets.map(d => d.name);
    if (!dataset) {
        const suggestion = closest(ref.dataset, names)[0];
        return [{
            path: `${path}.dataset`,
            message: `unknown dataset '${ref.dataset}'` + (suggestion ? `: did you mean '${suggestion}'?` : `; the datasets are ${names.join(', ')}`)
        }];
    }
    const problems: JobSpecProblem[] = [];
    const split = unknownSplitProblem(dataset, ref.split);
    if (split) problems.push({ path: `${path}.split`, message: split.message });
    const kind = splitKindProblem(dataset, wanted, use);
    if (kind) problems.push({ path: `${path}.dataset`, message: kind });
    return problems;
}
