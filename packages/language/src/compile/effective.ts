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
    /** How many experiments it extends, directly or not (0 for one that extends none). */
    depth: number;
    /** Set when `extends` loops back on itself, in the experiment or above it. */
    cycle?: ExtendsCycle;
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

/** A loop of `extends`: each experiment of `loop` extends the next, the last the first. */
export interface ExtendsCycle {
    loop: ast.Experiment[];
    /** The place of each experiment in `loop`. */
    places: Map<ast.Experiment, number>;
}

/** Where effective experiments already computed are kept, so that a chain is walked once for all its experiments. */
export interface EffectiveMemo {
    get(experiment: ast.Experiment): EffectiveExperiment | undefined;
    set(experiment: ast.Experiment, effective: EffectiveExperiment): void;
}

/**
 * What follows "forms a cycle" in a message: `: A -> B -> C -> A` from `from`, one of the loop's
 * experiments; a long loop shows its first and last steps only, as
 * ` of N experiments: A -> B -> C -> … -> Y -> Z -> A`.
 */
export function describeCycle(cycle: ExtendsCycle, from: ast.Experiment): string {
    const { loop } = cycle;
    const start = cycle.places.get(from) ?? 0;
    const name = (i: number) => loop[(start + i) % loop.length].name;
    if (loop.length <= 6) return ': ' + Array.from({ length: loop.length + 1 }, (_, i) => name(i)).join(' -> ');
    const first = [0, 1, 2].map(name);
    const last = [loop.length - 2, loop.length - 1, loop.length].map(name);
    return ` of ${loop.length.toLocaleString('en-US')} experiments: ${[...first, '…', ...last].join(' -> ')}`;
}

/**
 * The experiment's settings laid over its ancestors'. A child's effective settings are its parent's
 * with its own applied, so each experiment of a chain costs its own settings once (with `memo` kept
 * across calls); the chain is walked in a loop, not by recursion, as it may be thousands long. The
 * experiments of a loop share the settings of the whole loop (validation reports the loop).
 */
export function effectiveExperiment(experiment: ast.Experiment, memo: EffectiveMemo = new Map()): EffectiveExperiment {
    // Up from the experiment to an ancestor already known, the root, or a loop.
    const path: ast.Experiment[] = [];
    const onPath = new Map<ast.Experiment, number>();
    let base: EffectiveExperiment | undefined;
    for (let current: ast.Experiment | undefined = experiment; current; current = current.parent?.ref) {
        base = memo.get(current);
        if (base) break;
        const seen = onPath.get(current);
        if (seen !== undefined) {
            base = loopEffective(path.splice(seen), memo);
            break;
        }
        onPath.set(current, path.length);
        path.push(current);
    }
    // Then down, each child over its parent.
    for (let i = path.length - 1; i >= 0; i--) {
        base = extend(base, path[i]);
        memo.set(path[i], base);
    }
    return memo.get(experiment)!;
}

/** The settings of a loop, from the experiment that closed it (taken as the root) down; each member gets them as its own. */
function loopEffective(loop: ast.Experiment[], memo: EffectiveMemo): EffectiveExperiment {
    let shared: EffectiveExperiment | undefined;
    for (let i = loop.length - 1; i >= 0; i--) shared = extend(shared, loop[i]);
    const cycle: ExtendsCycle = { loop, places: new Map(loop.map((e, i) => [e, i])) };
    for (const member of loop) memo.set(member, { ...shared!, experiment: member, cycle });
    return memo.get(loop[0])!;
}

/** `experiment`'s own settings over a copy of its parent's (a new experiment without one). */
function extend(parent: EffectiveExperiment | undefined, experiment: ast.Experiment): EffectiveExperiment {
    const effective: EffectiveExperiment = parent ? {
        ...parent,
        experiment,
        depth: parent.depth + 1,
        datasets: new Map(parent.datasets),
        fem: { ...parent.fem },
        pam: { ...parent.pam },
        ram: { ...parent.ram },
        sampling: { ...parent.sampling },
        loss: { ...parent.loss },
        optimizer: { ...parent.optimizer, options: { ...parent.optimizer.options } },
        schedule: { ...parent.schedule, options: { ...parent.schedule.options } },
        evaluate: { ...parent.evaluate, options: { ...parent.evaluate.options } }
    } : {
        experiment,
        depth: 0,
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
    for (const setting of experiment.settings) apply(effective, setting);
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
