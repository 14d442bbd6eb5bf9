/**
 * `persemon weights import FILE [--out F]`: SphereFace-20's published weights (the authors'
 * .caffemodel or the PyTorch port's state_dict .pth) -> a PersEmoN weights file for `fem { init }`.
 * Prints the written file's path; a note on stderr says what was read.
 */
import * as path from 'node:path';
import { UsageError } from '../errors.js';
import { importSphereFaceTo } from '../weights/import.js';
import { parseArgs, stringOption } from './args.js';
import type { Output } from './output.js';

export async function weights(argv: string[], out: Output): Promise<void> {
    const [action, ...rest] = argv;
    if (action !== 'import') throw new UsageError(action === undefined ? 'weights needs an action: import' : `unknown weights action '${action}' (there is: import)`);
    const args = parseArgs(rest, ['out']);
    if (args.positionals.length !== 1) throw new UsageError('weights import needs exactly one FILE (a SphereFace-20 .caffemodel or PyTorch state_dict .pth)');
    const file = args.positionals[0];
    const target = stringOption(args, 'out') ?? path.join(path.dirname(file), `${path.parse(file).name}.weights`);
    if (path.resolve(target) === path.resolve(file)) throw new UsageError(`--out ${target} would overwrite the file being imported`);
    const imported = await importSphereFaceTo(file, target);
    out.line(target);
    const dropped = imported.dropped.length > 0 ? `; left out (FEM ends at fc5): ${imported.dropped.join(', ')}` : '';
    out.info(`${file}: SphereFace-20 from a ${imported.format}, ${imported.tensors.length} tensors; residual convolution biases ${String(imported.meta.residualBias)}${dropped}`);
}
