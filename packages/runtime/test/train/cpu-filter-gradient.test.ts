import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { shippedFilterGrad, useCpuBackend } from '../helpers/cpu-backend.js';

describe('the tests\' fast cpu Conv2DBackpropFilter', () => {
    useCpuBackend();

    const cases: Array<[number, number, 1 | 2, 'same' | 'valid' | number]> = [
        [8, 6, 2, 1], [7, 5, 2, 1], [6, 6, 1, 1], [9, 7, 2, 'same'], [8, 8, 2, 'valid'], [7, 7, 1, 'valid']
    ];
    for (const [h, w, stride, pad] of cases) {
        it(`matches the shipped kernel: ${h}x${w}, stride ${stride}, pad ${pad}`, () => {
            tf.tidy(() => {
                const x = tf.randomNormal([3, h, w, 4], 0, 1, 'float32', 1);
                const filter = tf.randomNormal([3, 3, 4, 5], 0, 1, 'float32', 2) as tf.Tensor4D;
                const dy = tf.randomNormal(tf.conv2d(x as tf.Tensor4D, filter, stride, pad).shape, 0, 1, 'float32', 3);
                const attrs = { strides: stride, pad, dataFormat: 'NHWC', filterShape: [3, 3, 4, 5] } as unknown as tf.NamedAttrMap;
                const fast = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor;
                const shipped = tf.engine().makeTensorFromTensorInfo(shippedFilterGrad!({ inputs: { x, dy }, attrs, backend: tf.backend() }) as tf.TensorInfo);
                assert.ok(tf.max(tf.abs(tf.sub(fast, shipped))).dataSync()[0] < 1e-4);
            });
        });
    }
});
