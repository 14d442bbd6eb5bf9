/**
 * The built-in synthetic dataset, in memory and deterministic from the seed: people x clips videos
 * of rendered faces, already aligned. A personality dataset exposes each video's Big Five, an emotion
 * dataset each frame's arousal and valence (with a little label noise); both kinds draw different
 * people and get their own domain (domain.ts): look, and for emotion clips a stimulus.
 */
import type { DatasetKind, DatasetSpec, Size, SyntheticSpec } from '@persemon/language';
import { Random } from '../../util/random.js';
import { seedHash } from '../../util/seed-hash.js';
import { toFaceCrop } from '../image.js';
import type { DataCounts, DataProblem, DataSource, FaceCrop, VideoItem } from '../source.js';
import { heldOutCount, holdOutPeople } from '../splits.js';
import { clipLook, clipStimulus } from './domain.js';
import { faceGeometry, renderFrame, type Expression, type FaceGeometry, type Framing, type Look } from './face-renderer.js';
import { clipTrajectory, makePeople, type Person } from './people.js';

/** Standard deviation of the noise on emotion labels: raters never agree exactly. */
const LABEL_NOISE = 0.03;

interface Clip {
    video: VideoItem;
    person: Person;
    /** Keys the clip's noise streams. */
    key: string;
    expressions: Expression[];
    look: Look;
}

export class SyntheticSource implements DataSource {
    readonly name: string;
    readonly kind: DatasetKind;
    readonly spec: SyntheticSpec;
    private readonly seed: number;
    private readonly people: Person[];
    private readonly clips = new Map<string, Clip>();
    private readonly bySplit = new Map<string, VideoItem[]>();
    private readonly tally: DataCounts = { items: 0, read: 0, skipped: 0, facesNotFound: 0, reasons: {} };

    constructor(dataset: DatasetSpec, seed: number) {
        if (dataset.format !== 'synthetic' || !dataset.synthetic) throw new Error(`dataset ${dataset.name}: not a synthetic dataset`);
        const spec = dataset.synthetic;
        for (const field of ['people', 'clips', 'frames'] as const) {
            if (!(Number.isInteger(spec[field]) && spec[field] > 0)) throw new Error(`dataset ${dataset.name}: synthetic ${field} must be a positive whole number, not ${spec[field]}`);
        }
        this.name = dataset.name;
        this.kind = dataset.kind;
        this.spec = spec;
        this.seed = seed;
        this.people = makePeople(spec.people, new Random(this.seedOf('people')), `${dataset.name}-`);

        const videos: VideoItem[] = [];
        this.people.forEach((person, p) => {
            for (let c = 0; c < spec.clips; c++) {
                const key = `${p}/${c}`;
                const video: VideoItem = { id: `${person.id}.${String(c).padStart(3, '0')}`, person: person.id, frameCount: spec.frames };
                const stimulus = clipStimulus(this.kind, new Random(this.seedOf(key, 'stimulus')));
                const style = { ...person.style, mean: [person.style.mean[0] + stimulus[0], person.style.mean[1] + stimulus[1]] as [number, number] };
                const expressions = clipTrajectory(style, spec.frames, new Random(this.seedOf(key, 'motion')));
                if (this.kind === 'personality') video.traits = [...person.traits];
                else video.emotion = noisyLabels(expressions, new Random(this.seedOf(key, 'labels')));
                const look = clipLook(this.kind, spec.shift, new Random(this.seedOf(key, 'look')), stimulus);
                this.clips.set(video.id, { video, person, key, expressions, look });
                videos.push(video);
            }
        });
        this.tally.items = videos.length;

        // Test and validation each get the validation fraction of the people; train keeps at least one.
        const count = Math.min(heldOutCount(spec.people, dataset.validation), Math.floor((spec.people - 1) / 2));
        const random = new Random(this.seedOf('split'));
        const test = holdOutPeople(videos, count, random);
        const validation = holdOutPeople(test.kept, count, random);
        this.bySplit.set('train', validation.kept);
        if (count > 0) {
            this.bySplit.set('validation', validation.held);
            this.bySplit.set('test', test.held);
        }
    }

    splits(): string[] {
        return [...this.bySplit.keys()];
    }

    videos(split: string): VideoItem[] {
        const videos = this.bySplit.get(split);
        if (!videos) throw new Error(`dataset ${this.name} has no split '${split}' (it has ${this.splits().join(', ')})`);
        return videos;
    }

    /** Renders at the dataset's image size, then resizes to `size`, as a camera frame would be. */
    async frames(video: VideoItem, indices: number[], size: Size): Promise<Array<FaceCrop | null>> {
        return indices.map((index) => {
            const rgba = this.render(video.id, index, this.spec.image, 'aligned');
            this.tally.read++;
            return toFaceCrop({ data: rgba, width: this.spec.image.width, height: this.spec.image.height, channels: 4 }, size);
        });
    }

    /** RGBA bytes of one frame at any size: `portrait` frames the whole head for a face detector. */
    render(videoId: string, index: number, size: Size, framing: Framing): Uint8ClampedArray {
        const { clip, expression } = this.frame(videoId, index);
        return renderFrame(clip.person.identity, expression, clip.look, size, framing, this.seedOf(clip.key, index));
    }

    /** Where the face of a frame `render` draws lies in the image. */
    geometry(videoId: string, index: number, size: Size, framing: Framing): FaceGeometry {
        const { clip, expression } = this.frame(videoId, index);
        return faceGeometry(clip.person.identity, expression, clip.look, size, framing);
    }

    problems(): DataProblem[] {
        return [];
    }

    counts(): DataCounts {
        return { ...this.tally, reasons: { ...this.tally.reasons } };
    }

    private frame(videoId: string, index: number): { clip: Clip; expression: Expression } {
        const clip = this.clips.get(videoId);
        if (!clip) throw new Error(`dataset ${this.name} has no video ${videoId}`);
        if (!(Number.isInteger(index) && index >= 0 && index < clip.expressions.length)) {
            throw new Error(`dataset ${this.name}: video ${videoId} has no frame ${index} (it has ${clip.expressions.length})`);
        }
        return { clip, expression: clip.expressions[index] };
    }

    /** A seed for one named stream of this dataset: from the seed, the kind and the parts. */
    private seedOf(...parts: Array<string | number>): number {
        return seedHash([this.seed, this.kind, ...parts].join('/'));
    }
}

function noisyLabels(expressions: Expression[], random: Random): Array<[number, number]> {
    const clip = (x: number) => Math.min(1, Math.max(-1, x));
    return expressions.map((e) => [clip(e.arousal + LABEL_NOISE * random.normal()), clip(e.valence + LABEL_NOISE * random.normal())]);
}
