/**
 * Face detection with the weights that ship inside @vladmandic/face-api (MTCNN's exist on no npm
 * package): its SSD MobileNet v1 or Tiny Face Detector finds the faces, its 68-point landmark net
 * places the landmarks, and the five alignment points are taken from those.
 *
 * It runs on whatever tfjs backend the runtime has chosen; when none has been chosen yet, on wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../backend/select.js';
import { areaResize, cropPixels, type Pixels } from '../image.js';
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
    /** With the side of the square the detector looks at, when it has one (stand-ins may not). */
    readonly options: Readonly<FaceDetectorOptions & { inputSize?: number }>;
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

/** The side of the square each detector looks at (SSD MobileNet v1's is fixed at 512). */
export const DETECTOR_INPUT: Readonly<Record<DetectorKind, number>> = { ssd: 512, tiny: TINY_INPUT_SIZE };

type DetectorOptions = InstanceType<FaceApi['SsdMobilenetv1Options']> | InstanceType<FaceApi['TinyFaceDetectorOptions']>;
type FaceApiTensor = Parameters<FaceApi['detectAllFaces']>[0];

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
    const inputSize = DETECTOR_INPUT[options.detector];
    const frozen = Object.freeze({ ...options, inputSize });
    return {
        options: frozen,
        detect: (image) => detect(api, detectorOptions, inputSize, image),
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

/** Landmark crops larger than this are shrunk by area first: the landmark net sees 112x112. */
const LANDMARK_INPUT = 112;

/**
 * One look at the whole image. The detector sees it shrunk by area averaging to its own input size
 * (face-api would resize with bilinear sampling, which aliases on a large photo, after copying the
 * whole photo into tensors); the landmarks come from each face's own pixels at full resolution.
 */
async function detect(api: FaceApi, options: DetectorOptions, inputSize: number, image: Pixels): Promise<DetectedFace[]> {
    const scale = Math.min(1, inputSize / Math.max(image.width, image.height));
    const view = scale < 1 ? areaResize(image, { width: Math.max(1, Math.round(image.width * scale)), height: Math.max(1, Math.round(image.height * scale)) }) : image;
    const found = await withTensor(view, async (input) => await api.detectAllFaces(input, options));
    const sx = image.width / view.width;
    const sy = image.height / view.height;
    const faces: DetectedFace[] = [];
    for (const detection of found) {
        const { x, y, width, height } = detection.box;
        const box = { x: x * sx, y: y * sy, width: width * sx, height: height * sy };
        const points = await landmarksOf(api, image, box);
        if (points) faces.push({ box, score: detection.score, landmarks68: points, landmarks5: fivePointsFrom68(points) });
    }
    return faces.sort((a, b) => b.score - a.score);
}

/** The 68 landmarks of the face in `box`, from its pixels (shrunk by area when large), in image coordinates. */
async function landmarksOf(api: FaceApi, image: Pixels, box: Box): Promise<Point[] | null> {
    const x0 = Math.max(0, Math.floor(box.x));
    const y0 = Math.max(0, Math.floor(box.y));
    const x1 = Math.min(image.width, Math.ceil(box.x + box.width));
    const y1 = Math.min(image.height, Math.ceil(box.y + box.height));
    if (x1 - x0 < 2 || y1 - y0 < 2) return null;
    const face = cropPixels(image, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
    const shrink = Math.min(1, LANDMARK_INPUT / Math.max(face.width, face.height));
    const input = shrink < 1 ? areaResize(face, { width: Math.max(1, Math.round(face.width * shrink)), height: Math.max(1, Math.round(face.height * shrink)) }) : face;
    const landmarks = (await withTensor(input, (tensor) => api.nets.faceLandmark68Net.detectLandmarks(tensor))) as { positions: Array<{ x: number; y: number }> };
    const fx = face.width / input.width;
    const fy = face.height / input.height;
    return landmarks.positions.map((p) => ({ x: x0 + p.x * fx, y: y0 + p.y * fy }));
}

/** Runs `use` on the image as an int32 [height, width, 3] tensor, disposed afterwards. */
async function withTensor<T>(image: Pixels, use: (input: FaceApiTensor) => Promise<T>): Promise<T> {
    const input = tf.tidy(() => {
        const bytes = image.data instanceof Uint8Array ? image.data : new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length);
        const all = tf.tensor3d(bytes, [image.height, image.width, image.channels], 'int32');
        return image.channels === 3 ? all : tf.slice(all, [0, 0, 0], [image.height, image.width, 3]);
    });
    try {
        // face-api's own Tensor3D type is a copy of tfjs-core's declarations; the object is the same.
        return await use(input as unknown as FaceApiTensor);
    } finally {
        input.dispose();
    }
}
