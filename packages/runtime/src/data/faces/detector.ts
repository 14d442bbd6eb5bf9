/**
 * Face detection with the weights that ship inside @vladmandic/face-api (MTCNN's exist on no npm
 * package): its SSD MobileNet v1 or Tiny Face Detector finds the faces, its 68-point landmark net
 * places the landmarks, and the five alignment points are taken from those.
 *
 * It runs on whatever tfjs backend the runtime has chosen; when none has been chosen yet, on wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../backend/select.js';
import type { Pixels } from '../image.js';
import { faceApiModelDir, loadFaceApi, type FaceApi } from './face-api.js';
import { fivePointsFrom68, type FivePoints, type Point } from './landmarks.js';

export type DetectorKind = 'ssd' | 'tiny';

export interface Box {
    x: number;
    y: number;
    width: number;
    height: number;
}

export interface DetectedFace {
    box: Box;
    /** The detector's confidence in [0, 1]. */
    score: number;
    landmarks68: Point[];
    landmarks5: FivePoints;
}

export interface FaceDetectorOptions {
    detector: DetectorKind;
    /** Detections scored below this are dropped. */
    confidence: number;
}

export interface FaceDetector {
    readonly options: Readonly<FaceDetectorOptions>;
    /** Every face found, most confident first. */
    detect(image: Pixels): Promise<DetectedFace[]>;
}

export class FaceDetectorError extends Error {
    constructor(detail: string) {
        super(`face detector: ${detail}`);
        this.name = 'FaceDetectorError';
    }
}

/** Tiny Face Detector input size: 416 is face-api's default, a fair trade of speed and recall. */
const TINY_INPUT_SIZE = 416;

const nets = new Map<string, Promise<void>>();

export async function loadFaceDetector(options: FaceDetectorOptions): Promise<FaceDetector> {
    if (!(options.confidence >= 0 && options.confidence <= 1)) throw new FaceDetectorError(`confidence ${options.confidence} is not in [0, 1]`);
    const api = loadFaceApi();
    // Through selectBackend, so the wasm backend starts with its threads and training kernels.
    if (tf.engine().backendName == null) await selectBackend('wasm');
    await tf.ready();
    const net = options.detector === 'ssd' ? api.nets.ssdMobilenetv1 : api.nets.tinyFaceDetector;
    await Promise.all([loadNet(options.detector, net), loadNet('landmarks68', api.nets.faceLandmark68Net)]);
    const detectorOptions =
        options.detector === 'ssd'
            ? new api.SsdMobilenetv1Options({ minConfidence: options.confidence })
            : new api.TinyFaceDetectorOptions({ inputSize: TINY_INPUT_SIZE, scoreThreshold: options.confidence });
    const frozen = Object.freeze({ ...options });
    return {
        options: frozen,
        detect: (image) => detect(api, detectorOptions, image),
    };
}

function loadNet(name: string, net: { loadFromDisk(dir: string): Promise<void>; isLoaded: boolean }): Promise<void> {
    let loading = nets.get(name);
    if (!loading) {
        const dir = faceApiModelDir();
        loading = net.isLoaded
            ? Promise.resolve()
            : net.loadFromDisk(dir).catch((error: unknown) => {
                  nets.delete(name);
                  throw new FaceDetectorError(`cannot load the ${name} weights from ${dir}: ${error instanceof Error ? error.message : String(error)}`);
              });
        nets.set(name, loading);
    }
    return loading;
}

async function detect(
    api: FaceApi,
    options: InstanceType<FaceApi['SsdMobilenetv1Options']> | InstanceType<FaceApi['TinyFaceDetectorOptions']>,
    image: Pixels
): Promise<DetectedFace[]> {
    const input = tf.tidy(() => {
        const bytes = image.data instanceof Uint8Array ? image.data : new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length);
        const all = tf.tensor3d(bytes, [image.height, image.width, image.channels], 'int32');
        return image.channels === 3 ? all : tf.slice(all, [0, 0, 0], [image.height, image.width, 3]);
    });
    try {
        // face-api's own Tensor3D type is a copy of tfjs-core's declarations; the object is the same.
        const found = await api.detectAllFaces(input as unknown as Parameters<FaceApi['detectAllFaces']>[0], options).withFaceLandmarks();
        return found
            .map(({ detection, landmarks }) => {
                const points = landmarks.positions.map((p) => ({ x: p.x, y: p.y }));
                const { x, y, width, height } = detection.box;
                return { box: { x, y, width, height }, score: detection.score, landmarks68: points, landmarks5: fivePointsFrom68(points) };
            })
            .sort((a, b) => b.score - a.score);
    } finally {
        input.dispose();
    }
}
