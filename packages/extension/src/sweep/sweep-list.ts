/**
 * Where a document declares its sweeps and how many runs each makes, read with the language's
 * parser from the text alone, so that the CodeLens and Run Sweep work before (and without) the
 * language server, counting as `persemon sweep` does.
 */
import { listSweeps } from '@persemon/language/experiment-list';

export interface SweepDecl {
    name: string;
    /** Where its `sweep` keyword starts. */
    line: number;
    character: number;
    experiments: string[];
    /** Runs the sweep makes; undefined while the declaration does not parse (being typed). */
    runs?: number;
}

export function findSweeps(text: string): SweepDecl[] {
    return listSweeps(text).map(({ name, range, experiments, runs }) => ({ name, ...range.start, experiments, ...(runs === undefined ? {} : { runs }) }));
}
