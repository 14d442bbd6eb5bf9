/**
 * `persemon synth`: the built-in synthetic faces written to disk in a real dataset's format, so the
 * on-disk loaders, ffmpeg decoding and the face detector run on them exactly as on real data.
 *
 * - chalearn: clips `<youtube-like-id>.<nnn>.mp4` in training80_01/, validation80_01/, test80_01/,
 *   and annotation_training/validation/test.pkl as Python 2 pickles (trait -> clip -> score,
 *   'interview' included), the layout of First Impressions v2.
 * - affwild: videos/<split>/<id>.mp4 with annotations/<split>/{arousal,valence}/<id>.txt, one value
 *   a line per frame. Aff-Wild ships train and test only, so the synthetic validation people join
 *   train (the loader holds its own validation fraction out of train).
 *
 * Frames are drawn as portraits (the whole head with margins, as a camera sees it), not pre-aligned,
 * so that detection and alignment have real work to do; one person per clip, people split by person.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { TRAITS, type DatasetKind, type DatasetSpec, type Size } from '@persemon/language';
import { CHALEARN_ANNOTATIONS } from '../chalearn.js';
import { findFfmpeg } from '../ffmpeg.js';
import { encodePickle } from '../pickle-write.js';
import type { VideoItem } from '../source.js';
import { mapLimit } from '../../util/pool.js';
import { FNV_OFFSET, seedHash } from '../../util/seed-hash.js';
import { SyntheticSource } from './synthetic-source.js';

export const SYNTH_FORMATS = ['chalearn', 'affwild'] as const;
export type SynthFormat = (typeof SYNTH_FORMATS)[number];

export interface SynthOptions {
    format: SynthFormat;
    /** A new or empty folder. */
    out: string;
    /** Clips in all, one person each. */
    videos: number;
    frames: number;
    seed: number;
}

export interface SynthResult {
    format: SynthFormat;
    root: string;
    /** Clips written per split, in the format's split names. */
    splits: Record<string, { videos: number; folder: string }>;
    /** Annotation files, relative to root. */
    annotations: string[];
    frames: number;
    size: Size;
    fps: number;
    encoder: string;
}

export class SynthError extends Error {
    constructor(
        readonly file: string,
        readonly detail: string
    ) {
        super(`${file}: ${detail}`);
        this.name = 'SynthError';
    }
}

/**
 * Portrait frame size: large enough that both detectors find the drawn faces after x264 (checked by
 * test/data/synth-write.test.ts), small enough to keep clips and decoding cheap.
 */
export const SYNTH_FRAME_SIZE: Readonly<Size> = { width: 160, height: 160 };
export const SYNTH_FPS = 30;
/** Fraction of the people in each of validation and test, as SyntheticSource holds them out. */
const HELD_OUT = 0.2;
/** The synthetic look's domain shift between the personality and the emotion set. */
const SHIFT = 0.5;

const KIND: Record<SynthFormat, DatasetKind> = { chalearn: 'personality', affwild: 'emotion' };

/** The kind of dataset a format holds, and so what the in-memory set keeps per frame. */
export function synthKind(format: SynthFormat): DatasetKind {
    return KIND[format];
}

export async function writeSynthetic(options: SynthOptions): Promise<SynthResult> {
    const { format, frames, seed } = options;
    for (const [name, value] of [['videos', options.videos], ['frames', frames]] as const) {
        if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`synth: ${name} must be a whole number > 0, not ${value}`);
    }
    const root = path.resolve(options.out);
    await prepareFolder(root);
    const source = new SyntheticSource(datasetSpec(format, options.videos, frames), seed);
    const encoder = await videoEncoder();
    const layout = format === 'chalearn' ? chalearnLayout(source, seed) : affwildLayout(source);

    const jobs = layout.clips.map((clip) => () => encodeClip(source, clip.video, path.join(root, clip.file), frames, encoder));
    await mapLimit(jobs, ENCODERS_AT_ONCE, (job) => job());
    for (const [file, text] of layout.annotations) {
        await mkdir(path.dirname(path.join(root, file)), { recursive: true });
        await writeFile(path.join(root, file), text);
    }
    return {
        format, root, splits: layout.splits, annotations: layout.annotations.map(([file]) => file),
        frames, size: { ...SYNTH_FRAME_SIZE }, fps: SYNTH_FPS, encoder: encoder.name,
    };
}

function datasetSpec(format: SynthFormat, videos: number, frames: number): DatasetSpec {
    return {
        name: format,
        kind: KIND[format],
        format: 'synthetic',
        path: null,
        splits: ['train', 'validation', 'test'],
        faces: { enabled: false, detector: 'tiny', align: { ...SYNTH_FRAME_SIZE }, confidence: 0.5 },
        validation: HELD_OUT,
        synthetic: { people: videos, clips: 1, frames, image: { ...SYNTH_FRAME_SIZE }, shift: SHIFT },
    };
}

/** Never writes into a folder that holds something: synth output must not mix with other data. */
async function prepareFolder(root: string): Promise<void> {
    await mkdir(root, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
        throw new SynthError(root, `cannot be created: ${error.message}`);
    });
    const entries = await readdir(root).catch((error: NodeJS.ErrnoException) => {
        throw new SynthError(root, error.code === 'ENOTDIR' ? 'is a file, not a folder' : `cannot be read: ${error.message}`);
    });
    if (entries.length > 0) throw new SynthError(root, 'is not empty; synth writes into a new or empty folder');
}

interface Layout {
    clips: Array<{ video: VideoItem; file: string }>;
    splits: SynthResult['splits'];
    /** [file relative to root, contents] */
    annotations: Array<[string, Uint8Array | string]>;
}

const CHALEARN_FOLDERS: Record<string, string> = { train: 'training80_01', validation: 'validation80_01', test: 'test80_01' };

function chalearnLayout(source: SyntheticSource, seed: number): Layout {
    const layout: Layout = { clips: [], splits: {}, annotations: [] };
    const pickleOf = Object.fromEntries(Object.entries(CHALEARN_ANNOTATIONS).map(([file, split]) => [split, file]));
    for (const split of ['train', 'validation', 'test']) {
        const videos = source.splits().includes(split) ? source.videos(split) : [];
        const folder = CHALEARN_FOLDERS[split];
        // The pickles' key order, as the issue lists the real files' keys.
        const scores = new Map<string, Map<string, number>>(['extraversion', 'neuroticism', 'agreeableness', 'conscientiousness', 'interview', 'openness'].map((k) => [k, new Map()]));
        for (const video of videos) {
            const name = `${youtubeId(seed, video.person)}.${video.id.slice(video.id.lastIndexOf('.') + 1)}.mp4`;
            layout.clips.push({ video, file: path.join(folder, name) });
            const traits = video.traits as number[];
            TRAITS.forEach((trait, i) => scores.get(trait)!.set(name, traits[i]));
            scores.get('interview')!.set(name, interviewScore(traits));
        }
        layout.splits[split] = { videos: videos.length, folder: `${folder}/` };
        layout.annotations.push([pickleOf[split], encodePickle(scores)]);
    }
    return layout;
}

/**
 * ChaLearn's 'interview' variable (would this person be invited to an interview) was rated beside
 * the traits and correlates with them; PersEmoN does not use it. A plain function of the traits.
 */
function interviewScore(traits: readonly number[]): number {
    const [e, a, c, n, o] = traits;
    return Math.min(1, Math.max(0, (e + a + 2 * c + (1 - n) + o) / 6));
}

function affwildLayout(source: SyntheticSource): Layout {
    const layout: Layout = { clips: [], splits: {}, annotations: [] };
    const bySplit: Record<string, VideoItem[]> = { train: [], test: [] };
    for (const split of source.splits()) bySplit[split === 'test' ? 'test' : 'train'].push(...source.videos(split));
    let n = 0;
    for (const [split, videos] of Object.entries(bySplit)) {
        for (const video of videos) {
            // Aff-Wild names its videos by number.
            const id = String(++n).padStart(3, '0');
            layout.clips.push({ video, file: path.join('videos', split, `${id}.mp4`) });
            const labels = video.emotion as Array<[number, number]>;
            for (const [d, dimension] of (['arousal', 'valence'] as const).entries()) {
                layout.annotations.push([path.join('annotations', split, dimension, `${id}.txt`), labels.map((l) => l[d].toFixed(6)).join('\n') + '\n']);
            }
        }
        layout.splits[split] = { videos: videos.length, folder: `videos/${split}/` };
    }
    return layout;
}

/** 11 characters of YouTube's alphabet, fixed by the seed and the person. */
function youtubeId(seed: number, person: string): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let h = FNV_OFFSET ^ seed;
    let id = '';
    for (let i = 0; id.length < 11; i++) {
        h = seedHash(`${person}/${i}`, h);
        id += alphabet[h % 64];
    }
    return id;
}

interface Encoder {
    name: 'libx264' | 'mpeg4';
    args: string[];
}

/** x264 in yuv420p plays everywhere and is what the real datasets hold; a build without it gets MPEG-4 part 2. */
async function videoEncoder(): Promise<Encoder> {
    const { stdout } = await ffmpegRun(['-hide_banner', '-encoders'], 'ffmpeg -encoders');
    // Single-threaded and bit-exact: the same seed gives the same bytes.
    const common = ['-threads', '1', '-pix_fmt', 'yuv420p', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-map_metadata', '-1'];
    if (/^\s*V\S*\s+libx264\s/m.test(stdout)) return { name: 'libx264', args: ['-c:v', 'libx264', '-preset', 'fast', '-crf', '18', ...common] };
    return { name: 'mpeg4', args: ['-c:v', 'mpeg4', '-q:v', '3', ...common] };
}

/** Clips encoded at once: each is an ffmpeg process while this process renders the next frames. */
const ENCODERS_AT_ONCE = 2;

/** Renders a clip's frames and pipes them as raw RGBA into one ffmpeg process. */
async function encodeClip(source: SyntheticSource, video: VideoItem, file: string, frames: number, encoder: Encoder): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    const { width, height } = SYNTH_FRAME_SIZE;
    const args = [
        '-nostdin', '-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${width}x${height}`, '-r', String(SYNTH_FPS),
        '-i', 'pipe:0', ...encoder.args, '-movflags', '+faststart', '-y', `file:${file}`,
    ];
    const child = spawn(findFfmpeg().path, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-4096)));
    const exit = new Promise<number>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) => resolve(code ?? -1));
    });
    // An ffmpeg that dies early closes the pipe: its exit code says why, not EPIPE.
    child.stdin.on('error', () => undefined);
    for (let f = 0; f < frames; f++) {
        const rgba = source.render(video.id, f, SYNTH_FRAME_SIZE, 'portrait');
        if (!child.stdin.write(rgba)) await drained(child.stdin);
    }
    child.stdin.end();
    const code = await exit;
    if (code !== 0) throw new SynthError(file, `ffmpeg could not encode it (exit ${code}): ${stderr.trim() || 'no message'}`);
}

/** Resolves when a full pipe drains or closes, removing both listeners so none pile up over a clip. */
export function drained(stream: Writable): Promise<void> {
    return new Promise((resolve) => {
        const done = () => {
            stream.off('drain', done).off('close', done);
            resolve();
        };
        stream.on('drain', done).on('close', done);
    });
}

function ffmpegRun(args: string[], what: string): Promise<{ stdout: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(findFfmpeg().path, args, { stdio: ['ignore', 'pipe', 'ignore'] });
        let stdout = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (text: string) => (stdout += text));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve({ stdout }) : reject(new SynthError(findFfmpeg().path, `${what} failed with exit ${code}`))));
    });
}

