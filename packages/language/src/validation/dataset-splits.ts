/**
 * The splits a dataset declares: training reads `train`, and the synthetic source makes only
 * train, validation and test, so evaluating any other split of it would find nothing. The rule is
 * shared with checkJobSpec (compile/spec-rules.ts).
 */
import type { ValidationAcceptor } from 'langium';
import type * as ast from '../generated/ast.js';
import type { DatasetFormat } from '../job-spec.js';
import { splitsProblem } from '../compile/spec-rules.js';
import { issue, IssueCodes } from './issue-codes.js';

export class DatasetSplitChecks {
    splits = (node: ast.Splits, accept: ValidationAcceptor): void => {
        const format = node.$container.format as DatasetFormat | undefined;
        if (!format) return;
        const problem = splitsProblem(format, node.names);
        if (!problem) return;
        const where = problem.index === undefined ? { node } : { node, property: 'names' as const, index: problem.index };
        accept('error', problem.message, { ...where, ...issue(IssueCodes.UnknownSplit) });
    };
}
