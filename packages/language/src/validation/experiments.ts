/**
 * The shape of an experiment: each setting at most once, each option at most once in its block, and
 * the modules it switches on supplied with what they need (PAM and RAM a personality dataset, EAM
 * an emotion dataset, RAM the EAM it reads, coherence one dataset of each kind to align).
 * Modules and datasets may be inherited, so these checks read the effective experiment.
 */
import { type AstNode, CstUtils, type ValidationAcceptor } from 'langium';
import * as ast from '../generated/ast.js';
import { LOSS_NAMES } from '../compile/effective.js';
import { moduleProblems } from '../compile/spec-rules.js';
import { crossSettingTarget, type EffectiveExperiments, origin } from './effective-experiments.js';
import { issue, IssueCodes } from './issue-codes.js';
import { settingName } from './setting-names.js';

type Block = ast.Faces | ast.Dataset | ast.Fem | ast.Pam | ast.Ram | ast.Sampling | ast.Optimizer | ast.Schedule | ast.Evaluate;

export class ExperimentChecks {
    constructor(protected readonly effective: EffectiveExperiments) {}

    duplicateSettings = (experiment: ast.Experiment, accept: ValidationAcceptor): void => {
        const seen = new Set<string>();
        for (const setting of experiment.settings) {
            // Datasets are many by design; their names are checked for duplicates instead.
            if (ast.isDataset(setting)) continue;
            if (seen.has(setting.$type)) {
                accept('error', `${settingName(setting.$type)} is given twice in this experiment`,
                    { node: setting, range: firstTokenRange(setting), ...issue(IssueCodes.DuplicateSetting) });
            }
            seen.add(setting.$type);
        }
    };

    duplicateOptions = (block: Block, accept: ValidationAcceptor): void => {
        const seen = new Set<string>();
        for (const option of block.options) {
            if (seen.has(option.$type)) {
                accept('error', `${settingName(option.$type)} is given twice in this block`,
                    { node: option, range: firstTokenRange(option), ...issue(IssueCodes.DuplicateOption) });
            }
            seen.add(option.$type);
        }
    };

    duplicateLossWeights = (loss: ast.Loss, accept: ValidationAcceptor): void => {
        const seen = new Map<string, string>();
        for (const weight of loss.weights) {
            const field = LOSS_NAMES[weight.name];
            if (!field) continue;
            const earlier = seen.get(field);
            if (earlier !== undefined) {
                const also = earlier === weight.name ? '' : ` (also as ${earlier})`;
                accept('error', `${weight.name} is given twice in this block${also}`,
                    { node: weight, property: 'name', ...issue(IssueCodes.DuplicateOption) });
            } else {
                seen.set(field, weight.name);
            }
        }
    };

    modules = (experiment: ast.Experiment, accept: ValidationAcceptor): void => {
        const e = this.effective.get(experiment);
        const datasets = [...e.datasets.values()];
        const enabled = { pam: e.pam.enabled, eam: e.eam.enabled, ram: e.ram.enabled, coherence: e.coherence.enabled };
        for (const problem of moduleProblems(enabled, datasets)) {
            const node: AstNode | undefined = e[problem.module].node;
            const involved = problem.cause === 'eam' ? [e.eam.node] : datasets;
            const target = node && crossSettingTarget(experiment, { node, range: firstTokenRange(node) }, [node, ...involved]);
            // The module as the experiment has it, ` (from Parent)` when inherited.
            if (target) {
                accept('error', problem.message(`${settingName(node.$type)}${origin(experiment, node)}`), { ...target, ...issue(problem.code) });
            }
        }
    };
}

/** The range of a node's first token: the keyword that names a setting. */
export function firstTokenRange(node: AstNode) {
    const first = node.$cstNode && CstUtils.flattenCst(node.$cstNode).head();
    return (first ?? node.$cstNode)?.range;
}
