/**
 * The effective settings of an experiment: its own settings laid over those of the experiments it
 * extends. Validation and the compiler both read experiments through this view, so `extends` means
 * the same thing to the editor and to the runtime.
 *
 * Merge rules (the README documents them):
 * - seed, backend, checkpoint, output: the child's value replaces the parent's;
 * - datasets: matched by name, a child's dataset replaces the parent's whole;
 * - fem, pam, eam, ram, coherence: a module is on when declared; `off` switches an inherited one off;
 *   a child's block merges into the parent's option by option;
 * - sampling, loss, evaluate: merged option by option;
 * - optimizer, schedule: merged option by option when the kind is the same, replaced when it changes.
 */
import type * as ast from '../generated/ast.js';

/** ASCII and Greek spellings of the loss weights, normalised to the JobSpec's field names. */
export const LOSS_NAMES: Record<string, LossField> = {
    'λ1': 'lambda1', 'λ2': 'lambda2', 'λ3': 'lambda3', 'λ4': 'lambda4', 'λ5': 'lambda5',
    lambda1: 'lambda1', lambda2: 'lambda2', lambda3: 'lambda3', lambda4: 'lambda4', lambda5: 'lambda5',
    margin: 'margin'
};
export type LossField = 'lambda1' | 'lambda2' | 'lambda3' | 'lambda4' | 'lambda5' | 'margin';

export interface ModuleState<N> {
    /** The declaration that decided whether the module is on (the latest in the chain). */
    node?: N;
    enabled: boolean;
}

export interface EffectiveExperiment {
    experiment: ast.Experiment;
    /** The root ancestor first, the experiment itself last. */
    chain: ast.Experiment[];
    /** Set when `extends` loops back on itself: the experiments of the loop. */
    cycle?: ast.Experiment[];
    seed?: ast.Seed;
    backend?: ast.Backend;
    checkpoint?: ast.Checkpoint;
    output?: ast.Output;
    datasets: Map<string, ast.Dataset>;
    fem: { node?: ast.Fem; input?: ast.FemInput; init?: ast.FemInit; freeze?: ast.FemFreeze };
    pam: ModuleState<ast.Pam> & { consensus?: ast.ConsensusOption };
    eam: ModuleState<ast.Eam>;
    ram: ModuleState<ast.Ram> & { consensus?: ast.ConsensusOption; hidden?: ast.RamHidden };
    coherence: ModuleState<ast.Coherence>;
    sampling: Partial<Record<ast.SamplingOption['$type'], ast.SamplingOption>>;
    loss: Partial<Record<LossField, ast.LossWeight>>;
    optimizer: { node?: ast.Optimizer; options: Partial<Record<ast.OptimizerOption['$type'], ast.OptimizerOption>> };
    schedule: { node?: ast.Schedule; options: Partial<Record<ast.ScheduleOption['$type'], ast.ScheduleOption>> };
    evaluate: { node?: ast.Evaluate; options: Partial<Record<ast.EvaluateOption['$type'], ast.EvaluateOption>> };
}

/** The experiments `extends` walks through, root first; stops at a missing parent or a cycle. */
export function extendsChain(experiment: ast.Experiment): { chain: ast.Experiment[]; cycle?: ast.Experiment[] } {
    const chain: ast.Experiment[] = [];
    let current: ast.Experiment | undefined = experiment;
    while (current) {
        const seen = chain.indexOf(current);
        if (seen >= 0) {
            return { chain: chain.slice(0, seen).reverse(), cycle: chain.slice(seen) };
        }
        chain.push(current);
        current = current.parent?.ref;
    }
    return { chain: chain.reverse() };
}

export function effectiveExperiment(experiment: ast.Experiment): EffectiveExperiment {
    const { chain, cycle } = extendsChain(experiment);
    const effective: EffectiveExperiment = {
        experiment, chain, cycle,
        datasets: new Map(),
        fem: {},
        pam: { enabled: false },
        eam: { enabled: false },
        ram: { enabled: false },
        coherence: { enabled: false },
        sampling: {},
        loss: {},
        optimizer: { options: {} },
        schedule: { options: {} },
        evaluate: { options: {} }
    };
    // A cyclic chain is reported by validation; its settings are still read so other checks can run.
    const layers = cycle ? [...chain, ...cycle] : chain;
    for (const layer of layers) {
        for (const setting of layer.settings) {
            apply(effective, setting);
        }
    }
    return effective;
}

function apply(e: EffectiveExperiment, s: ast.Setting): void {
    switch (s.$type) {
        case 'Seed': e.seed = s; break;
        case 'Backend': e.backend = s; break;
        case 'Checkpoint': e.checkpoint = s; break;
        case 'Output': e.output = s; break;
        case 'Dataset': e.datasets.set(s.name, s); break;
        case 'Fem':
            e.fem.node = s;
            for (const o of s.options) {
                if (o.$type === 'FemInput') e.fem.input = o;
                else if (o.$type === 'FemInit') e.fem.init = o;
                else e.fem.freeze = o;
            }
            break;
        case 'Pam':
            e.pam.node = s;
            e.pam.enabled = !s.off;
            for (const o of s.options) e.pam.consensus = o;
            break;
        case 'Eam':
            e.eam = { node: s, enabled: !s.off };
            break;
        case 'Ram':
            e.ram.node = s;
            e.ram.enabled = !s.off;
            for (const o of s.options) {
                if (o.$type === 'ConsensusOption') e.ram.consensus = o;
                else e.ram.hidden = o;
            }
            break;
        case 'Coherence':
            e.coherence = { node: s, enabled: !s.off };
            break;
        case 'Sampling':
            for (const o of s.options) e.sampling[o.$type] = o;
            break;
        case 'Loss':
            for (const w of s.weights) {
                const field = LOSS_NAMES[w.name];
                if (field) e.loss[field] = w;
            }
            break;
        case 'Optimizer':
            if (e.optimizer.node?.kind !== s.kind) e.optimizer.options = {};
            e.optimizer.node = s;
            for (const o of s.options) e.optimizer.options[o.$type] = o;
            break;
        case 'Schedule':
            if (e.schedule.node?.kind !== s.kind) e.schedule.options = {};
            e.schedule.node = s;
            for (const o of s.options) e.schedule.options[o.$type] = o;
            break;
        case 'Evaluate':
            if (s.every !== undefined || !e.evaluate.node) e.evaluate.node = s;
            for (const o of s.options) e.evaluate.options[o.$type] = o;
            break;
    }
}
