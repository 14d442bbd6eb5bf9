/** `persemon compile FILE [--experiment NAME]`: the JobSpec as JSON on stdout. */
import { compileFile } from '@persemon/language';
import type { Output } from './output.js';

export async function compile(file: string, experiment: string | undefined, out: Output): Promise<void> {
    const spec = await compileFile(file, experiment);
    out.line(JSON.stringify(spec, null, 2));
}
