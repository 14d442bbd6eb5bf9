/**
 * The synthetic faces are drawn so that the face detector the pipeline uses (face-api's SSD MobileNet
 * or Tiny Face Detector, on the wasm backend) finds them where they were drawn, landmarks included:
 * `persemon synth` data then goes through the same detection and alignment as real video.
 */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { DatasetKind, DatasetSpec, Size } from '@persemon/language';
import { faceApiModelDir, loadFaceApi, type FaceApi } from '../../src/data/faces/face-api.js';
import type { Point } from '../../src/data/synthetic/face-renderer.js';
import { SyntheticSource } from '../../src/data/synthetic/synthetic-source.js';

const SIZE: Size = { height: 256, width: 256 };

function dataset(kind: DatasetKind): DatasetSpec {
    return {
        name: kind,
        kind,
        format: 'synthetic',
        path: null,
        splits: ['train'],
        faces: { enabled: true, detector: 'ssd', align: { height: 112, width: 96 }, confidence: 0.5 },
        validation: 0,
        synthetic: { people: 4, clips: 1, frames: 30, image: SIZE, shift: 0.5 }
    };
}

interface Sample {
    source: SyntheticSource;
    video: string;
    frame: number;
}

/** Four people from each domain; the emotion ones at their most expressive frame. */
function samples(): Sample[] {
    const personality = new SyntheticSource(dataset('personality'), 21);
    const emotion = new SyntheticSource(dataset('emotion'), 21);
    return [
        ...personality.videos('train').map((v, i) => ({ source: personality, video: v.id, frame: i * 7 })),
        ...emotion.videos('train').map((v) => {
            const strength = v.emotion!.map((l) => Math.abs(l![0]) + Math.abs(l![1]));
            return { source: emotion, video: v.id, frame: strength.indexOf(Math.max(...strength)) };
        })
    ];
}

function tensor(rgba: Uint8ClampedArray): tf.Tensor3D {
    const rgb = new Int32Array(SIZE.height * SIZE.width * 3);
    for (let p = 0, q = 0; p < rgba.length; p += 4) {
        rgb[q++] = rgba[p];
        rgb[q++] = rgba[p + 1];
        rgb[q++] = rgba[p + 2];
    }
    return tf.tensor3d(rgb, [SIZE.height, SIZE.width, 3], 'int32');
}

type Box = { x: number; y: number; width: number; height: number };

function iou(a: Box, b: Box): number {
    const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
    const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
    return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}

function centre(points: Point[]): Point {
    return { x: points.reduce((s, p) => s + p.x, 0) / points.length, y: points.reduce((s, p) => s + p.y, 0) / points.length };
}

describe('synthetic faces and the face detector', function () {
    this.timeout(60_000);
    let api: FaceApi;
    let previous: string | null;

    before(async () => {
        api = loadFaceApi();
        previous = tf.engine().backendName;
        await tf.setBackend('wasm');
        await tf.ready();
        const dir = faceApiModelDir();
        await Promise.all([api.nets.ssdMobilenetv1.loadFromDisk(dir), api.nets.tinyFaceDetector.loadFromDisk(dir), api.nets.faceLandmark68Net.loadFromDisk(dir)]);
    });

    after(async () => {
        if (previous && previous !== 'wasm') await tf.setBackend(previous);
    });

    it('SSD finds the faces, boxes on the drawn heads and eye landmarks on the drawn eyes', async () => {
        let found = 0;
        for (const { source, video, frame } of samples()) {
            const image = tensor(source.render(video, frame, SIZE, 'portrait'));
            const faces = await api.detectAllFaces(image as never, new api.SsdMobilenetv1Options({ minConfidence: 0.5 })).withFaceLandmarks();
            image.dispose();
            if (faces.length === 0) continue;
            found++;
            assert.equal(faces.length, 1, `${video}#${frame}: one face, not ${faces.length}`);
            const truth = source.geometry(video, frame, SIZE, 'portrait');
            const box = faces[0].detection.box;
            assert.ok(iou(box, truth.head) > 0.3, `${video}#${frame}: box ${JSON.stringify(box)} is off the head ${JSON.stringify(truth.head)}`);
            // 68-point convention: 36-41 the image-left eye, 42-47 the other.
            const points = faces[0].landmarks.positions;
            const eyes = [centre(points.slice(36, 42)), centre(points.slice(42, 48))];
            const spacing = truth.eyes[1].x - truth.eyes[0].x;
            eyes.forEach((eye, i) => {
                const off = Math.hypot(eye.x - truth.eyes[i].x, eye.y - truth.eyes[i].y) / spacing;
                assert.ok(off < 0.3, `${video}#${frame}: eye ${i} landmark is ${off.toFixed(2)} eye spacings from the drawn eye`);
            });
        }
        assert.ok(found >= 7, `SSD found ${found} of 8 faces`);
    });

    it('the Tiny Face Detector finds them too', async () => {
        let found = 0;
        for (const { source, video, frame } of samples()) {
            const image = tensor(source.render(video, frame, SIZE, 'portrait'));
            const faces = await api.detectAllFaces(image as never, new api.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 }));
            image.dispose();
            if (faces.length > 0 && iou(faces[0].box, source.geometry(video, frame, SIZE, 'portrait').head) > 0.3) found++;
        }
        assert.ok(found >= 7, `the tiny detector found ${found} of 8 faces`);
    });
});
