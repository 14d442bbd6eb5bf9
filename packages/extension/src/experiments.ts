/**
 * Where a document declares its experiments, read with the language's parser from the text alone,
 * so that CodeLens and commands work before (and without) the language server.
 */
import { listExperiments } from '@persemon/language/experiment-list';

export interface ExperimentDecl {
    name: string;
    /** Where its `experiment` keyword starts. */
    line: number;
    character: number;
}

export function findExperiments(text: string): ExperimentDecl[] {
    return listExperiments(text).map(({ name, range }) => ({ name, ...range.start }));
}
