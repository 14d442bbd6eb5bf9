/**
 * `persemon weights import FILE [--out F]`: SphereFace-20's published weights (the authors'
 * .caffemodel or the PyTorch port's state_dict .pth) -> a PersEmoN weights file for `fem { init }`.
 * Prints the written file's path; a note on stderr says what was read.
 */
import * as path from 'node:path';
import { UsageError } from '../errors.js';
import { importSphereFaceTo } from '../weights/import.js';
import type { Output } from './output.js';
import { invoke, stringValue, type Verb } from './verb.js';

export const weightsVerb: Verb = {
    name: 'weights',
    actions: [{
        name: 'import',
        args: 'FILE',
        summary: 'SphereFace-20\'s .caffemodel or PyTorch state_dict .pth\n'
            + '-> FEM\'s init weights file (default: FILE\'s name with .weights)',
        description: 'Converts SphereFace-20\'s published weights (the authors\' .caffemodel, or the PyTorch\n'
            + 'port\'s state_dict .pth) into a weights file for `fem { init "file" }`. Prints the written\n'
            + 'file\'s path; a note on stderr says what was read and what was left out.',
        options: {
            out: { type: 'string', value: 'F', help: 'the weights file to write (default: FILE\'s name with .weights)' },
        },
        exit: { 0: 'when the weights file is written', 1: 'when FILE is not a SphereFace-20 the import can read' },
        run: async (args, out) => {
            if (args.positionals.length !== 1) throw new UsageError('weights import needs exactly one FILE (a SphereFace-20 .caffemodel or PyTorch state_dict .pth)');
            const file = args.positionals[0];
            await importWeights(file, stringValue(args, 'out') ?? path.join(path.dirname(file), `${path.parse(file).name}.weights`), out);
        },
    }],
};

/** `persemon weights ARGS...`. */
export async function weights(argv: readonly string[], out: Output): Promise<void> {
    return invoke(weightsVerb, argv, out);
}

async function importWeights(file: string, target: string, out: Output): Promise<void> {
    if (path.resolve(target) === path.resolve(file)) throw new UsageError(`--out ${target} would overwrite the file being imported`);
    const imported = await importSphereFaceTo(file, target);
    out.line(target);
    const dropped = imported.dropped.length > 0 ? `; left out (FEM ends at fc5): ${imported.dropped.join(', ')}` : '';
    out.info(`${file}: SphereFace-20 from a ${imported.format}, ${imported.tensors.length} tensors; residual convolution biases ${String(imported.meta.residualBias)}${dropped}`);
}
