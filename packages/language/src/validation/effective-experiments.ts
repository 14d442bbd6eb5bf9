/**
 * The effective settings of each experiment (compile/effective.ts), computed once per build and
 * each from its parent's: scoping (`dataset.split`) and the cross-setting checks of every
 * experiment read them.
 */
import { AstUtils, type AstNode, type DiagnosticInfo, type LangiumCoreServices, WorkspaceCache } from 'langium';
import { isExperiment, type Experiment } from '../generated/ast.js';
import { effectiveExperiment, type EffectiveExperiment } from '../compile/effective.js';

export class EffectiveExperiments {
    // Cleared when documents change (each build starts so). Those read while linking (for
    // `dataset.split`) stay valid: a parent reference is resolved when it is read.
    private readonly cache: WorkspaceCache<Experiment, EffectiveExperiment>;

    constructor(services: LangiumCoreServices) {
        this.cache = new WorkspaceCache(services.shared);
    }

    get(experiment: Experiment): EffectiveExperiment {
        return this.cache.get(experiment) ?? effectiveExperiment(experiment, this.cache);
    }
}

/** Whether `experiment` wrote `node` itself rather than inheriting it. */
export function writtenBy(experiment: Experiment, node: AstNode | undefined): boolean {
    return node !== undefined && AstUtils.getContainerOfType(node, isExperiment) === experiment;
}

/** ` (from Paper)` when the experiment inherited the node, for messages. */
export function origin(experiment: Experiment, node: AstNode): string {
    const owner = AstUtils.getContainerOfType(node, isExperiment);
    return owner && owner !== experiment ? ` (from ${owner.name})` : '';
}

/**
 * Where a problem that combines several settings is reported in `experiment`: on the offending
 * node when the experiment wrote it, else on the experiment's name. Undefined when the experiment
 * wrote none of the nodes involved: then it inherited the problem whole, and the ancestor that
 * wrote the settings reports it.
 */
export function crossSettingTarget(
    experiment: Experiment, offending: DiagnosticInfo<AstNode>, involved: Array<AstNode | undefined>
): DiagnosticInfo<AstNode> | undefined {
    if (writtenBy(experiment, offending.node)) return offending;
    if (involved.some(node => writtenBy(experiment, node))) return { node: experiment, property: 'name' };
    return undefined;
}
