/** A checkpoint's or init file's weights file with a malformed manifest is named, without a stack trace. */
import * as assert from 'node:assert/strict';
import { decodeWeights } from '../../src/model/weights.js';

/** A weights file holding `manifest` as its JSON and no values. */
function withManifest(manifest: unknown): Uint8Array {
    let json = Buffer.from(JSON.stringify(manifest));
    json = Buffer.concat([json, Buffer.alloc((4 - ((12 + json.length) % 4)) % 4, 0x20)]);
    const header = Buffer.alloc(12);
    header.write('PEMNWTS1', 0, 'ascii');
    header.writeUInt32LE(json.length, 8);
    return Buffer.concat([header, json]);
}

describe('weights file messages', () => {
    const file = 'runs/Tiny/checkpoints/step-0000004/weights.bin';
    for (const [what, manifest, message] of [
        ['a tensor without a shape', { tensors: [{ name: 'fem/conv1_1/weight', dtype: 'float32' }] }, `${file}: tensor 'fem/conv1_1/weight' has no "shape" of whole numbers >= 0 (undefined)`],
        ['a shape that is not whole numbers', { tensors: [{ name: 'a', shape: [2, 'x'], dtype: 'float32' }] }, `${file}: tensor 'a' has no "shape" of whole numbers >= 0 ([2,"x"])`],
        ['a tensor without a name', { tensors: [{ shape: [1], dtype: 'float32' }] }, `${file}: tensor 0 of the manifest has no "name"`],
        ['a manifest that is not an object', null, `${file}: the manifest has no "tensors" list`]
    ] as const) {
        it(`names the file for ${what}, as a user error`, () => {
            assert.throws(() => decodeWeights(withManifest(manifest), file), (error: Error) => {
                assert.equal(error.message, message);
                // Not 'Error' or 'TypeError', which the CLI prints with a stack trace as a bug.
                assert.equal(error.name, 'WeightsFormatError');
                return true;
            });
        });
    }
});
