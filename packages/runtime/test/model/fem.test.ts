import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Fem, femActivationValues, femOutputSize, femParameterCount } from '../../src/model/fem.js';
import { Conv3x3, countParams, ParamScope } from '../../src/model/layers.js';
import { trainStep } from '../../src/train/step.js';
import { Random } from '../../src/util/random.js';
import { describeOnEngines } from '../helpers/engines.js';
import { PAPER_LOSS, sgdOptimizers, syntheticBatch, tinyModel, tinyOptions } from '../helpers/fixtures.js';

const fem20 = { family: 'sphereface' as const, depth: 20 as const, input: { height: 112, width: 96 }, init: null, freeze: false, features: 512 };

describeOnEngines('FEM (SphereFace-N)', () => {

    it('counts the parameters of SphereFace-20 at 112x96 as worked by hand', () => {
        // Stage 1: conv1_1 3·3·3·64 + 64 bias = 1,792, PReLU 64; one unit: 2 convs 3·3·64·64 (no bias)
        //   = 73,728 + 2 PReLUs 128                                                  -> 75,712
        // Stage 2: conv2_1 3·3·64·128 + 128 = 73,856, PReLU 128; 2 units: 4 · 147,456 = 589,824
        //   + 512                                                                     -> 664,320
        // Stage 3: conv3_1 3·3·128·256 + 256 = 295,168, 256; 4 units: 8 · 589,824 = 4,718,592
        //   + 2,048                                                                   -> 5,016,064
        // Stage 4: conv4_1 3·3·256·512 + 512 = 1,180,160, 512; 1 unit: 2 · 2,359,296 = 4,718,592
        //   + 1,024                                                                   -> 5,900,288
        // 112x96 -> 56x48 -> 28x24 -> 14x12 -> 7x6; fc5: 7·6·512 = 21,504 -> 512: 11,010,048 + 512
        //                                                                             -> 11,010,560
        // Total 22,666,944 trained; the residual convolutions' biases, fixed at 0 as in SphereFace's
        // Caffe net, add 2·(64 + 2·128 + 4·256 + 512) = 3,712 values that are not trained.
        const fem = new Fem(fem20, new Random(1));
        assert.equal(countParams(fem.params), 22_666_944);
        assert.equal(femParameterCount(fem20), 22_666_944);
        assert.equal(fem.params.reduce((n, p) => n + p.variable.size, 0), 22_666_944 + 3_712);
        assert.deepEqual(femOutputSize(fem20.input), { height: 7, width: 6 });
        const shapes = new Map(fem.params.map((p) => [p.name, p.variable.shape]));
        assert.deepEqual(shapes.get('fem/conv1_1/weight'), [3, 3, 3, 64]);
        assert.deepEqual(shapes.get('fem/conv3_9/weight'), [3, 3, 256, 256]);
        assert.deepEqual(shapes.get('fem/conv3_9/bias'), [256]);
        assert.equal(shapes.has('fem/conv3_10/weight'), false);
        assert.deepEqual(shapes.get('fem/relu4_3/alpha'), [512]);
        assert.deepEqual(shapes.get('fem/fc5/weight'), [21504, 512]);
        // 20 layers: 4 stride-2 convolutions, 2 · (1 + 2 + 4 + 1) residual ones, fc5.
        assert.equal(fem.params.filter((p) => p.name.endsWith('/weight')).length, 21);
        const trainable = (name: string) => fem.params.find((p) => p.name === name)!.variable.trainable;
        assert.equal(trainable('fem/conv3_9/bias'), false);
        assert.equal(trainable('fem/conv3_1/bias'), true);
        tf.dispose(fem.params.map((p) => p.variable));
    });

    it('has the residual units of each depth', () => {
        const convs = (depth: 4 | 10) => {
            const fem = new Fem({ ...fem20, depth, input: { height: 16, width: 16 } }, new Random(1));
            const names = fem.params.filter((p) => p.name.startsWith('fem/conv') && p.name.endsWith('/weight')).map((p) => p.name);
            tf.dispose(fem.params.map((p) => p.variable));
            return [1, 2, 3, 4].map((s) => names.filter((n) => n.startsWith(`fem/conv${s}_`)).length);
        };
        assert.deepEqual(convs(4), [1, 1, 1, 1]);
        assert.deepEqual(convs(10), [1, 3, 5, 1]);
        // 36 and 64 by count: at 16x16 fc5 reads 1·1·512 values (262,656 parameters with bias);
        // SphereFace-36 adds 2·(2·64 + 4·128 + 8·256 + 2·512) = 7,424 PReLU slopes to its
        // 2·(2·36,864 + 4·147,456 + 8·589,824 + 2·2,359,296) = 20,201,472 residual weights.
        const base = femParameterCount({ depth: 4, input: { height: 16, width: 16 }, features: 512 });
        assert.equal(femParameterCount({ depth: 36, input: { height: 16, width: 16 }, features: 512 }) - base, 20_201_472 + 7_424);
    });

    it('maps NHWC crops to 512-d features', () => {
        const fem = new Fem({ ...fem20, depth: 4, input: { height: 24, width: 20 } }, new Random(1));
        const y = tf.tidy(() => fem.apply(tf.randomNormal([3, 24, 20, 3])));
        assert.deepEqual(y.shape, [3, 512]);
        // 24x20 -> 12x10 -> 6x5 -> 3x3 -> 2x2, so fc5 reads 2·2·512 values.
        assert.deepEqual(fem.params.find((p) => p.name === 'fem/fc5/weight')!.variable.shape, [2048, 512]);
        tf.dispose([y, ...fem.params.map((p) => p.variable)]);
    });

    it('initialises as SphereFace did, from the seed', () => {
        const a = new Fem(tinyOptions().model.fem, new Random(5));
        const b = new Fem(tinyOptions().model.fem, new Random(5));
        const values = (fem: Fem, name: string) => fem.params.find((p) => p.name === name)!.variable.dataSync();
        assert.deepEqual(values(a, 'fem/fc5/weight'), values(b, 'fem/fc5/weight'));
        // Xavier (fan in 3·3·3 = 27): uniform within ±sqrt(3/27) = ±1/3.
        const conv1 = values(a, 'fem/conv1_1/weight');
        assert.ok(conv1.every((v) => Math.abs(v) <= 1 / 3) && conv1.some((v) => Math.abs(v) > 0.3));
        assert.ok(values(a, 'fem/conv1_1/bias').every((v) => v === 0));
        assert.ok(values(a, 'fem/relu1_1/alpha').every((v) => v === 0.25));
        tf.dispose([...a.params, ...b.params].map((p) => p.variable));
        // Residual convolutions: Gaussian, std 0.01.
        const deep = new Fem({ ...fem20, depth: 10, input: { height: 16, width: 16 } }, new Random(5));
        const r = [...values(deep, 'fem/conv3_2/weight')];
        const std = Math.sqrt(r.reduce((s, v) => s + v * v, 0) / r.length);
        assert.ok(Math.abs(std - 0.01) < 0.0005, `std ${std}`);
        tf.dispose(deep.params.map((p) => p.variable));
    });

    it('pads its stride-2 convolutions by 1 on every side, as Caffe does', () => {
        // x = 0..15 as a 4x4 image, a 3x3 kernel of ones, stride 2, padding 1: windows centred on
        // (0,0), (0,2), (2,0), (2,2): 0+1+4+5 = 10; 1+2+3+5+6+7 = 24; 4+5+8+9+12+13 = 51;
        // 5+6+7+9+10+11+13+14+15 = 90. (tfjs's 'same' would centre them on (1,1), (1,3), ...)
        const scope = new ParamScope('t', new Random(1));
        const conv = new Conv3x3(scope, 'c', 1, 1, 2, { kind: 'xavier' }, 'trainable');
        conv.weight.assign(tf.ones([3, 3, 1, 1]));
        const y = tf.tidy(() => conv.apply(tf.reshape(tf.range(0, 16), [1, 4, 4, 1]) as tf.Tensor4D));
        assert.deepEqual([...y.dataSync()], [10, 24, 51, 90]);
        tf.dispose([y, ...scope.params.map((p) => p.variable)]);
    });

    it('estimates the activations one training image keeps', () => {
        // Depth 4 at 16x16: input 768; each stage keeps its convolution's and PReLU's outputs:
        // 2·(8·8·64 + 4·4·128 + 2·2·256 + 1·1·512) = 2·(4096 + 2048 + 1024 + 512) = 15,360; fc5 512.
        assert.equal(femActivationValues({ depth: 4, input: { height: 16, width: 16 }, features: 512 }), 768 + 15360 + 512);
    });
});

describeOnEngines('FEM as SphereFace trains it', () => {
    const small = { ...fem20, depth: 4 as const, input: { height: 16, width: 16 } };
    const byName = (fem: Fem, name: string) => fem.params.find((p) => p.name === name)!;

    it('decays weights and PReLU slopes but not biases: SphereFace gives biases decay_mult 0 and PReLU no param block (Caffe\'s default, 1)', () => {
        const fem = new Fem({ ...small, depth: 10 }, new Random(1));
        const decay = (name: string) => byName(fem, name).decay;
        for (const name of ['fem/conv1_1/weight', 'fem/conv2_2/weight', 'fem/fc5/weight', 'fem/relu1_1/alpha', 'fem/relu2_3/alpha']) assert.equal(decay(name), true, name);
        for (const name of ['fem/conv1_1/bias', 'fem/conv2_2/bias', 'fem/fc5/bias']) assert.equal(decay(name), false, name);
        tf.dispose(fem.params.map((p) => p.variable));
    });

    it('loads an init file whose meta says the residual biases are trainable, fixed or (absent) fixed, and refuses another value', () => {
        const source = new Fem({ ...small, depth: 10 }, new Random(2));
        const tensors = source.params.map((p) => ({ name: p.name, shape: [...p.variable.shape], values: new Float32Array(p.variable.dataSync()).fill(0.5) }));
        const residual = ['fem/conv2_2/bias', 'fem/conv2_3/bias', 'fem/conv3_5/bias'];
        for (const [meta, freeze, expected] of [
            [{ residualBias: 'trainable' }, false, true], [{ residualBias: 'fixed' }, false, false], [{}, false, false], [{ residualBias: 'trainable' }, true, false],
        ] as const) {
            const fem = new Fem({ ...small, depth: 10, freeze }, new Random(3));
            fem.load({ tensors, meta }, 'init.weights');
            for (const name of residual) {
                assert.equal(byName(fem, name).variable.trainable, expected, `${JSON.stringify(meta)} freeze ${freeze}: ${name}`);
                assert.ok(byName(fem, name).variable.dataSync().every((v) => v === 0.5));
            }
            assert.equal(byName(fem, 'fem/conv2_1/bias').variable.trainable, !freeze);
            tf.dispose(fem.params.map((p) => p.variable));
        }
        const fem = new Fem({ ...small, depth: 10 }, new Random(3));
        assert.throws(() => fem.load({ tensors, meta: { residualBias: 'sometimes' } }, 'init.weights'),
            /init\.weights: meta\.residualBias is "sometimes"; it must be "fixed" or "trainable"/);
        assert.throws(() => fem.load({ tensors: tensors.filter((t) => t.name !== 'fem/conv3_4/bias'), meta: {} }, 'init.weights'),
            /init\.weights: no tensor named fem\/conv3_4\/bias/);
        tf.dispose([...fem.params, ...source.params].map((p) => p.variable));
    });

    it('trains the residual biases in a step only when they are trainable', () => {
        for (const residualBias of ['fixed', 'trainable'] as const) {
            const model = tinyModel({ seed: 4, depth: 10, off: ['pam', 'ram', 'coherence'] });
            const tensors = model.fem.params.map((p) => ({ name: p.name, shape: [...p.variable.shape], values: new Float32Array(p.variable.dataSync()) }));
            model.fem.load({ tensors, meta: { residualBias } }, 'init.weights');
            const before = new Float32Array(byName(model.fem, 'fem/conv2_2/bias').variable.dataSync());
            const weightBefore = new Float32Array(byName(model.fem, 'fem/conv2_2/weight').variable.dataSync());
            trainStep(model, sgdOptimizers(model), { emotion: syntheticBatch(5, 16, 4, 0, 2).emotion }, { loss: PAPER_LOSS }, { lr: 0.1, microBatch: 64 });
            const after = byName(model.fem, 'fem/conv2_2/bias').variable.dataSync();
            const moved = after.some((v, i) => v !== before[i]);
            assert.equal(moved, residualBias === 'trainable', residualBias);
            assert.ok(byName(model.fem, 'fem/conv2_2/weight').variable.dataSync().some((v, i) => v !== weightBefore[i]), 'the weights train either way');
            model.dispose();
        }
    });
});
