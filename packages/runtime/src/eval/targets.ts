/**
 * What a JobSpec evaluates: each (dataset, split, kind) its `evaluate` block names, or, for
 * `persemon eval --split S`, split S of every evaluated dataset that has it.
 */
import type { DatasetKind, JobSpec } from '@persemon/language';
import { UserError } from '../errors.js';

export interface EvaluationTarget {
    dataset: string;
    split: string;
    kind: DatasetKind;
}

export function evaluationTargets(spec: JobSpec, only?: string): EvaluationTarget[] {
    const targets: EvaluationTarget[] = [
        ...spec.evaluation.personality.map(r => ({ dataset: r.dataset, split: r.split, kind: 'personality' as const })),
        ...spec.evaluation.emotion.map(r => ({ dataset: r.dataset, split: r.split, kind: 'emotion' as const }))
    ];
    if (only === undefined) return targets;
    // Each evaluated (dataset, kind) once, in the order the JobSpec first names it.
    const scored = targets.filter((t, i) => targets.findIndex(u => u.dataset === t.dataset && u.kind === t.kind) === i);
    const chosen = spec.datasets.filter(d => d.splits.includes(only))
        .flatMap(d => scored.filter(t => t.dataset === d.name).map(t => ({ dataset: d.name, split: only, kind: t.kind })));
    if (chosen.length === 0) throw new UserError(`no evaluated dataset has a split '${only}' (splits: ${[...new Set(spec.datasets.flatMap(d => d.splits))].join(', ')})`);
    return chosen;
}
