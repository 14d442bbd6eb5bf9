import * as assert from 'node:assert/strict';
import { batchBytes, formatBytes, jobSchema, LIMITS, MIN_SYNTHETIC_PEOPLE, syntheticSetBytes } from '../src/index.js';

/** Every `maximum` in the schema, keyed by the property it bounds (`properties.people.maximum` -> people). */
function schemaMaxima(node: unknown, name = '', found = new Map<string, Set<number>>()): Map<string, Set<number>> {
    if (typeof node !== 'object' || node === null) return found;
    const record = node as Record<string, unknown>;
    if (typeof record.maximum === 'number') found.set(name, (found.get(name) ?? new Set()).add(record.maximum));
    for (const [key, child] of Object.entries(record)) {
        if (key === 'properties') {
            for (const [property, schema] of Object.entries(child as Record<string, unknown>)) schemaMaxima(schema, property, found);
        } else {
            schemaMaxima(child, name, found);
        }
    }
    return found;
}

describe('limits: what one machine can hold', () => {
    it('job.schema.json bounds the same fields by the same numbers as the language', () => {
        const maxima = schemaMaxima(jobSchema);
        const bySide = new Set([...maxima.get('height')!, ...maxima.get('width')!]);
        assert.deepEqual([...bySide], [LIMITS.side.max]);
        for (const key of ['seed', 'people', 'clips', 'frames', 'hidden', 'features', 'iterations'] as const) {
            assert.deepEqual([...maxima.get(key) ?? []], [LIMITS[key].max], key);
        }
        // The remaining maxima are ranges of the value itself, not machine limits.
        const machine = new Set(['height', 'width', ...Object.keys(LIMITS)]);
        assert.deepEqual([...maxima.keys()].filter(k => !machine.has(k)).sort(), ['confidence', 'shift', 'step']);
        const people = (jobSchema.definitions.dataset.properties.synthetic.properties.people as { minimum: number }).minimum;
        assert.equal(people, MIN_SYNTHETIC_PEOPLE.min);
    });

    it('estimates the synthetic set from what its source keeps per person, clip and frame, and the stills it renders over', () => {
        // 10 people x 2 clips x 50 frames: 10 KiB + 20 KiB + 1000 x 224 + (20 stills + 2 buffers) x 64 x 48 x 4.
        assert.deepEqual(syntheticSetBytes('emotion', { people: 10, clips: 2, frames: 50, image: { height: 64, width: 48 } }),
            { bytes: 10_240 + 20_480 + 224_000 + 22 * 12_288, frames: 1000, buffers: 22 });
        // At most 256 stills are kept, however many clips.
        assert.equal(syntheticSetBytes('personality', { people: 1000, clips: 1, frames: 1, image: { height: 16, width: 16 } }).buffers, 258);
    });

    it('estimates a batch as float32 RGB images at the input size, from the streams that have data', () => {
        const sampling = { segments: 10, emotionFrames: 100, personalityVideos: 10 };
        assert.deepEqual(batchBytes(sampling, { height: 112, width: 96 }, { personality: true, emotion: true }), { images: 200, bytes: 200 * 112 * 96 * 12 });
        assert.deepEqual(batchBytes(sampling, { height: 112, width: 96 }, { personality: false, emotion: true }), { images: 100, bytes: 100 * 112 * 96 * 12 });
    });

    it('writes bytes in binary units', () => {
        assert.deepEqual([0, 1023, 1024, 1536, 10 * 2 ** 20, 1.0081 * 2 ** 30, 1.444 * 2 ** 30, 134.33 * 2 ** 30, 2 ** 40].map(formatBytes),
            ['0 bytes', '1023 bytes', '1 KiB', '1.5 KiB', '10 MiB', '1.01 GiB', '1.44 GiB', '134 GiB', '1 TiB']);
    });
});
