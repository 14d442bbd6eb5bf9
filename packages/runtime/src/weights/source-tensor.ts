/** A tensor as a published network file holds it, before any conversion to FEM's layout. */
export interface SourceTensor {
    /** The source's own name, as PyTorch spells it: `conv1_1.weight`, `relu1_1.weight`, `fc5.bias`. */
    name: string;
    /** The source's layout: convolutions [out, in, kh, kw], fully connected [out, in]. */
    shape: number[];
    values: Float32Array;
}

/** A file that is not the SphereFace-20 it should be, naming the file and what is wrong. */
export class WeightsImportError extends Error {
    constructor(readonly file: string, detail: string) {
        super(`${file}: ${detail}`);
        this.name = 'WeightsImportError';
    }
}
