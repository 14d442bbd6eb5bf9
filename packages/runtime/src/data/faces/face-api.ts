/**
 * @vladmandic/face-api's Node wasm build (dist/face-api.node-wasm.js, 1.7.15) without the
 * @tensorflow/tfjs union package it `require`s: that package would add tfjs-layers, -converter,
 * -data and -backend-webgl, none of which face-api's nets use. They use only tfjs-core ops, so the
 * build is evaluated as the CommonJS module it is, with a `require` that answers
 * '@tensorflow/tfjs' with tfjs-core plus the wasm backend, the same single instances the rest of
 * the runtime uses. The union package also installs tfjs-core's chained tensor methods
 * (`x.as3D()`, `x.div()`, ...) that face-api calls; tfjs-core's CommonJS build leaves them out, so
 * they are added here the way tfjs-core's own `public/chained_ops` files define them.
 */
import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import * as path from 'node:path';
import { runInThisContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import type * as FaceApiModule from '@vladmandic/face-api';

export type FaceApi = typeof FaceApiModule;

/** The face-api version whose Node build this loader was written against. */
export const ADAPTED_FACE_API_VERSION = '1.7.15';

const require = createRequire(import.meta.url);
let loaded: FaceApi | undefined;

export function loadFaceApi(): FaceApi {
    if (loaded) return loaded;
    const pkg = require.resolve('@vladmandic/face-api/package.json');
    const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
    if (version !== ADAPTED_FACE_API_VERSION) {
        throw new Error(`@vladmandic/face-api ${version} is installed; this runtime was adapted to ${ADAPTED_FACE_API_VERSION}`);
    }
    registerChainedOps();
    const file = path.join(path.dirname(pkg), 'dist', 'face-api.node-wasm.js');
    const tfjs = { ...tf, ...wasm };
    const requireFor = (id: string): unknown => {
        if (id === '@tensorflow/tfjs') return tfjs;
        if (id === '@tensorflow/tfjs-backend-wasm') return wasm;
        if (id === 'fs') return require('node:fs');
        throw new Error(`face-api asked for ${id}, which this loader does not provide`);
    };
    const module = { exports: {} as FaceApi };
    const wrapper = runInThisContext(Module.wrap(readFileSync(file, 'utf8')), { filename: file }) as (
        exports: unknown, require: unknown, module: unknown, filename: string, dirname: string
    ) => void;
    wrapper(module.exports, requireFor, module, file, path.dirname(file));
    loaded = module.exports;
    return loaded;
}

/** The weights that ship in the package. */
export function faceApiModelDir(): string {
    return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

/** tfjs-core 4.22's chained methods that are `op(this, ...args)` with the op of the same name. */
const SAME_NAME_OPS = [
    'abs', 'acos', 'acosh', 'add', 'all', 'any', 'argMax', 'argMin', 'asin', 'asinh', 'atan', 'atan2', 'atanh',
    'avgPool', 'batchToSpaceND', 'batchNorm', 'broadcastTo', 'cast', 'ceil', 'clipByValue', 'conv1d', 'conv2d',
    'conv2dTranspose', 'cos', 'cosh', 'cumprod', 'cumsum', 'depthToSpace', 'depthwiseConv2d', 'dilation2d', 'div',
    'divNoNan', 'dot', 'elu', 'equal', 'erf', 'euclideanNorm', 'exp', 'expandDims', 'expm1', 'fft', 'floor',
    'floorDiv', 'gather', 'greater', 'greaterEqual', 'ifft', 'irfft', 'isFinite', 'isInf', 'isNaN', 'leakyRelu',
    'less', 'lessEqual', 'localResponseNormalization', 'log', 'log1p', 'logSigmoid', 'logSoftmax', 'logSumExp',
    'logicalAnd', 'logicalNot', 'logicalOr', 'logicalXor', 'matMul', 'max', 'maxPool', 'maximum', 'mean', 'min',
    'minimum', 'mirrorPad', 'mod', 'mul', 'neg', 'norm', 'notEqual', 'onesLike', 'pad', 'pool', 'pow', 'prelu',
    'prod', 'reciprocal', 'relu', 'relu6', 'reshape', 'reverse', 'rfft', 'round', 'rsqrt', 'selu',
    'separableConv2d', 'sigmoid', 'sign', 'sin', 'sinh', 'slice', 'softmax', 'softplus', 'spaceToBatchND', 'split',
    'sqrt', 'square', 'squaredDifference', 'squeeze', 'step', 'stridedSlice', 'sub', 'sum', 'tan', 'tanh', 'tile',
    'topk', 'transpose', 'unique', 'unsortedSegmentSum', 'unstack', 'zerosLike',
] as const;

type Method = (this: tf.Tensor, ...args: never[]) => unknown;

function registerChainedOps(): void {
    const proto = tf.Tensor.prototype as unknown as Record<string, Method>;
    const ops = tf as unknown as Record<string, (...args: unknown[]) => unknown>;
    const image = tf.image as unknown as Record<string, (...args: unknown[]) => unknown>;
    const define = (name: string, method: (this: tf.Tensor, ...args: never[]) => unknown): void => {
        // Leave any that something else (the union package, a newer tfjs-core) already installed.
        if (typeof proto[name] === 'function') return;
        proto[name] = function (this: tf.Tensor, ...args: never[]) {
            this.throwIfDisposed();
            return method.apply(this, args);
        };
    };
    for (const name of SAME_NAME_OPS) {
        const op = ops[name];
        define(name, function (this: tf.Tensor, ...args: never[]) {
            return op(this, ...args);
        });
    }
    define('resizeBilinear', function (this: tf.Tensor, ...args: never[]) {
        return image.resizeBilinear(this, ...args);
    });
    define('resizeNearestNeighbor', function (this: tf.Tensor, ...args: never[]) {
        return image.resizeNearestNeighbor(this, ...args);
    });
    define('as1D', function (this: tf.Tensor) {
        return tf.reshape(this, [this.size]);
    });
    define('flatten', function (this: tf.Tensor) {
        return tf.reshape(this, [this.size]);
    });
    for (const name of ['as2D', 'as3D', 'as4D', 'as5D']) {
        define(name, function (this: tf.Tensor, ...shape: never[]) {
            return tf.reshape(this, shape as number[]);
        });
    }
    define('asScalar', function (this: tf.Tensor) {
        if (this.size !== 1) throw new Error('The array must have only 1 element.');
        return tf.reshape(this, []);
    });
    define('asType', function (this: tf.Tensor, dtype: never) {
        return tf.cast(this, dtype);
    });
    define('toBool', function (this: tf.Tensor) {
        return tf.cast(this, 'bool');
    });
    define('toFloat', function (this: tf.Tensor) {
        return tf.cast(this, 'float32');
    });
    define('toInt', function (this: tf.Tensor) {
        return tf.cast(this, 'int32');
    });
    define('reshapeAs', function (this: tf.Tensor, other: never) {
        return tf.reshape(this, (other as tf.Tensor).shape);
    });
    define('concat', function (this: tf.Tensor, x: never, axis: never) {
        const rest = (x as unknown) instanceof tf.Tensor ? [x as tf.Tensor] : (x as tf.Tensor[]);
        return tf.concat([this, ...rest], axis);
    });
    define('stack', function (this: tf.Tensor, x: never, axis: never) {
        const rest = (x as unknown) instanceof tf.Tensor ? [x as tf.Tensor] : (x as tf.Tensor[]);
        return tf.stack([this, ...rest], axis);
    });
    define('oneHot', function (this: tf.Tensor, depth: never, onValue: never, offValue: never) {
        return tf.oneHot(this as tf.Tensor1D, depth, onValue ?? 1, offValue ?? 0);
    });
    define('where', function (this: tf.Tensor, condition: never, x: never) {
        return tf.where(condition, this, x);
    });
}
