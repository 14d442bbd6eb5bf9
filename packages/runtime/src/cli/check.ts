/** `persemon check FILE...`: every diagnostic as FILE:LINE:COL: error|warning: MESSAGE. */
import { type FileDiagnostic, formatDiagnostic, loadWorkspace } from '@persemon/language';
import { UsageError, UserError } from '../errors.js';
import type { Output } from './output.js';
import type { Verb } from './verb.js';

export const checkVerb: Verb = {
    name: 'check',
    actions: [{
        args: 'FILE...',
        summary: 'diagnostics as FILE:LINE:COL: error|warning: MESSAGE',
        description: 'Every diagnostic of the documents, one a line as FILE:LINE:COL: error|warning: MESSAGE;\n'
            + 'the counts on stderr.',
        options: {},
        exit: { 0: 'when no document has an error (its warnings listed)', 1: 'when one has an error' },
        run: (args, out) => check(args.positionals, out),
    }],
};

async function check(files: string[], out: Output): Promise<void> {
    if (files.length === 0) throw new UsageError('check needs at least one .persemon file');
    const { diagnostics } = await loadWorkspace(files);
    for (const d of diagnostics) out.line(formatDiagnostic(d));
    const errors = count(diagnostics, 'error');
    const warnings = count(diagnostics, 'warning');
    if (errors > 0) throw new UserError(`${errors} error(s), ${warnings} warning(s)`);
    out.info(`${files.length} file(s) checked: ${warnings} warning(s)`);
}

/** Problems of one severity, those a file does not list (past its first thousand) included. */
function count(diagnostics: FileDiagnostic[], severity: 'error' | 'warning'): number {
    let n = 0;
    for (const d of diagnostics) {
        if (d.unlisted) n += severity === 'error' ? d.unlisted.errors : d.unlisted.warnings;
        else if (d.severity === severity) n++;
    }
    return n;
}
