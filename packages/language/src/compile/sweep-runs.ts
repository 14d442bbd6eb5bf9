/**
 * How many runs a sweep makes, from its declaration alone (no compiling, no schema): the editor's
 * hover, inlay hint and CodeLens and `persemon sweep` count alike.
 */
import type * as ast from '../generated/ast.js';

/** The number of points: experiments times the product of the axes' lengths. */
export function countSweepPoints(experiments: number, axes: ReadonlyArray<{ values: ArrayLike<unknown> }>): number {
    return axes.reduce((n, axis) => n * axis.values.length, experiments);
}

/** How many runs a sweep makes, and the product that makes it: `2 experiments × seed (3) × zip (2)`. */
export function sweepRuns(sweep: ast.Sweep): { runs: number; product: string } {
    const experiments = new Set(sweep.experiments.map(r => r.$refText)).size;
    const axes = sweep.items.flatMap(item => item.$type === 'SweepSetting'
        ? [{ label: item.path, length: item.values.length }]
        : item.$type === 'SweepZip' && item.settings.length > 0
            ? [{ label: `zip of ${item.settings.map(s => s.path).join(', ')}`, length: item.settings[0].values.length }]
            : []);
    const runs = countSweepPoints(experiments, axes.map(a => ({ values: { length: a.length } })));
    const product = [`${experiments} experiment${experiments === 1 ? '' : 's'}`, ...axes.map(a => `${a.label} (${a.length})`)].join(' × ');
    return { runs, product };
}
