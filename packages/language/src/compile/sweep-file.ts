/** A .persemon file's sweep, compiled, as `persemon sweep FILE` needs it (compileFile's twin for sweeps). */
import { compileSweep, selectSweep } from './sweep.js';
import type { SweepSpec } from './sweep-spec.js';
import { compileDocument } from '../workspace.js';

export async function compileSweepFile(file: string, sweep?: string): Promise<SweepSpec> {
    return compileDocument(file, (model, source) => compileSweep(selectSweep(model, sweep), source));
}
