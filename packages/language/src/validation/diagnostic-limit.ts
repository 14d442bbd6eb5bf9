/**
 * At most MAX_DIAGNOSTICS problems are listed per document, the first ones by position, then one
 * that says how many more there are and of which severity. Nobody reads past the first thousand, an
 * editor slows down on a hundred thousand, and Langium spreads the problems of a document into a
 * call's arguments, which overflows the stack at about 120,000 (the problems were then dropped).
 */
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { IssueCodes } from './issue-codes.js';

export const MAX_DIAGNOSTICS = 1000;

/** The problems not listed, counted by severity (info and hints are not counted). */
export interface Unlisted {
    errors: number;
    warnings: number;
}

/** What the summary problem carries in its `data`, besides its code. */
export interface UnlistedData {
    code: typeof IssueCodes.TooManyProblems;
    unlisted: Unlisted;
}

export function isUnlistedSummary(diagnostic: Diagnostic): boolean {
    return (diagnostic.data as UnlistedData | undefined)?.code === IssueCodes.TooManyProblems;
}

/**
 * The first `max` problems by position, then a summary of the rest. Applying it again (to a list
 * that holds a summary already) adds the earlier summary's counts to the new one.
 */
export function limitDiagnostics(diagnostics: Diagnostic[], source: string | undefined, max = MAX_DIAGNOSTICS): Diagnostic[] {
    const earlier = diagnostics.filter(isUnlistedSummary);
    if (diagnostics.length <= max && earlier.length === 0) return diagnostics;
    const problems = diagnostics.filter(d => !isUnlistedSummary(d)).sort(byPosition);
    const listed = problems.slice(0, max);
    const unlisted: Unlisted = { errors: 0, warnings: 0 };
    for (const d of problems.slice(max)) {
        if ((d.severity ?? DiagnosticSeverity.Error) === DiagnosticSeverity.Error) unlisted.errors++;
        else if (d.severity === DiagnosticSeverity.Warning) unlisted.warnings++;
    }
    for (const summary of earlier) {
        const counts = (summary.data as UnlistedData).unlisted;
        unlisted.errors += counts.errors;
        unlisted.warnings += counts.warnings;
    }
    const total = unlisted.errors + unlisted.warnings;
    if (total === 0) return listed;
    const from = problems[max]?.range.start ?? earlier[0].range.start;
    const kinds = [[unlisted.errors, 'errors'], [unlisted.warnings, 'warnings']].filter(([n]) => n).map(([n, what]) => `${format(n as number)} ${what}`);
    listed.push({
        severity: unlisted.errors > 0 ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        range: { start: from, end: from },
        message: `${format(total)} more problems from here on are not listed (${kinds.join(', ')})`,
        code: IssueCodes.TooManyProblems,
        data: { code: IssueCodes.TooManyProblems, unlisted } satisfies UnlistedData,
        source
    });
    return listed;
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
    return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

function format(n: number): string {
    return n.toLocaleString('en-US');
}
