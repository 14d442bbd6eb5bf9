/**
 * The optimiser and the learning-rate schedule: milestones in order and within the run, a warm-up
 * shorter than the run, options that the chosen kind ignores. Iterations may come from an
 * ancestor (or the default), so the checks across settings read the effective experiment.
 */
import type { ValidationAcceptor } from 'langium';
import * as ast from '../generated/ast.js';
import { DEFAULTS } from '../compile/defaults.js';
import { milestoneBeyondProblem, milestonesOrderProblem, warmupProblem } from '../compile/spec-rules.js';
import { crossSettingTarget, type EffectiveExperiments, origin } from './effective-experiments.js';
import { issue, IssueCodes } from './issue-codes.js';
import { settingName } from './setting-names.js';

const ADAM_ONLY: ReadonlySet<string> = new Set(['Beta1', 'Beta2', 'Epsilon']);

export class ScheduleChecks {
    constructor(protected readonly effective: EffectiveExperiments) {}

    milestonesOrder = (node: ast.Milestones, accept: ValidationAcceptor): void => {
        const order = milestonesOrderProblem(node.values);
        if (order) accept('error', order.message, { node, property: 'values', index: order.index, ...issue(IssueCodes.MilestonesOrder) });
    };

    optimizerOptions = (node: ast.Optimizer, accept: ValidationAcceptor): void => {
        if (!node.kind) return;
        for (const option of node.options) {
            const adamOnly = ADAM_ONLY.has(option.$type);
            if ((node.kind === 'sgd' && adamOnly) || (node.kind === 'adam' && option.$type === 'Momentum')) {
                accept('warning', `${settingName(option.$type)} applies to ${adamOnly ? 'adam' : 'sgd'}; ${node.kind} ignores it`,
                    { node: option, ...issue(IssueCodes.OptionNotApplicable) });
            }
        }
    };

    scheduleOptions = (node: ast.Schedule, accept: ValidationAcceptor): void => {
        if (!node.kind) return;
        for (const option of node.options) {
            const wants = ast.isMilestones(option) || ast.isGamma(option) ? 'step' : ast.isMinLr(option) ? 'cosine' : undefined;
            if (wants && node.kind !== wants) {
                const [applies, it] = ast.isMilestones(option) ? ['apply', 'them'] : ['applies', 'it'];
                accept('warning', `${settingName(option.$type)} ${applies} to a ${wants} schedule; ${node.kind} ignores ${it}`,
                    { node: option, ...issue(IssueCodes.OptionNotApplicable) });
            }
        }
    };

    /** Milestones and warm-up against the run's length, wherever each was written. */
    lengths = (experiment: ast.Experiment, accept: ValidationAcceptor): void => {
        const e = this.effective.get(experiment);
        const iterationsNode = e.schedule.options.Iterations as ast.Iterations | undefined;
        const iterations = iterationsNode?.value ?? DEFAULTS.schedule.iterations;
        const milestones = e.schedule.node?.kind === 'step' ? e.schedule.options.Milestones as ast.Milestones | undefined : undefined;
        milestones?.values.forEach((value, index) => {
            const beyond = milestoneBeyondProblem(value, iterations, origin(experiment, milestones));
            const target = beyond && crossSettingTarget(experiment, { node: milestones, property: 'values', index }, [milestones, iterationsNode]);
            if (target) accept('error', beyond, { ...target, ...issue(IssueCodes.MilestoneBeyondIterations) });
        });
        const warmup = e.schedule.options.Warmup as ast.Warmup | undefined;
        if (warmup) {
            const tooLong = warmupProblem(warmup.value, iterations, origin(experiment, warmup));
            const target = tooLong && crossSettingTarget(experiment, { node: warmup, property: 'value' }, [warmup, iterationsNode]);
            if (target) accept('error', tooLong, { ...target, ...issue(IssueCodes.WarmupTooLong) });
        }
    };
}
