/** `persemon check FILE...`: every diagnostic as FILE:LINE:COL: error|warning: MESSAGE. */
import { formatDiagnostic, loadWorkspace } from '@persemon/language';
import { UsageError, UserError } from '../errors.js';
import type { Output } from './output.js';

export async function check(files: string[], out: Output): Promise<void> {
    if (files.length === 0) throw new UsageError('check needs at least one .persemon file');
    const { diagnostics } = await loadWorkspace(files);
    for (const d of diagnostics) out.line(formatDiagnostic(d));
    const errors = diagnostics.filter(d => d.severity === 'error').length;
    const warnings = diagnostics.filter(d => d.severity === 'warning').length;
    if (errors > 0) throw new UserError(`${errors} error(s), ${warnings} warning(s)`);
    out.info(`${files.length} file(s) checked: ${warnings} warning(s)`);
}
