/** A .persemon file's sweep, compiled, as `persemon sweep FILE` needs it (compileFile's twin for sweeps). */
import { CompileError } from './compile.js';
import { compileSweep, selectSweep } from './sweep.js';
import type { SweepSpec } from './sweep-spec.js';
import { DocumentError, loadWorkspace } from '../workspace.js';

export async function compileSweepFile(file: string, sweep?: string): Promise<SweepSpec> {
    const { documents, diagnostics } = await loadWorkspace([file]);
    const errors = diagnostics.filter(d => d.severity === 'error');
    if (errors.length > 0) throw new DocumentError(errors);
    const document = documents[0];
    try {
        return compileSweep(selectSweep(document.parseResult.value, sweep), document.uri.fsPath);
    } catch (e) {
        if (e instanceof CompileError) throw new CompileError(`${document.uri.fsPath}: ${e.message}`, e.experiment);
        throw e;
    }
}
