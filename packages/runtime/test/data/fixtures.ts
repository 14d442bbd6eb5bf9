/**
 * Test fixtures written by the real tools: clips by ffmpeg, pickles by python3's pickle module,
 * photographs by ImageMagick and exiftool, in temporary folders that the tests remove.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetSpec } from '@persemon/language';
import type { DetectedFace, FaceDetector } from '../../src/data/faces/detector.js';
import { findFfmpeg } from '../../src/data/ffmpeg.js';

export const ASTRONAUT = fileURLToPath(new URL('../../../../test/fixtures/astronaut.png', import.meta.url));

/** A temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
    const dir = mkdtempSync(path.join(os.tmpdir(), `persemon-${prefix}-`));
    return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function ffmpeg(...args: string[]): void {
    execFileSync(findFfmpeg().path, ['-v', 'error', '-nostdin', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A clip whose frame n (n < 36) is uniformly grey with luma 16 + 6n, so each frame is told apart by
 * its value: lossless x264 with B-frames and short GOPs, so exact frame selection is really tested.
 */
export function rampClip(file: string, frames: number, size = 16): string {
    if (frames > 36) throw new RangeError('a ramp clip has at most 36 distinct frames');
    mkdirSync(path.dirname(file), { recursive: true });
    const codec = file.endsWith('.avi') ? ['-c:v', 'mpeg4', '-q:v', '1'] : ['-c:v', 'libx264', '-crf', '0', '-g', '8', '-bf', '2'];
    ffmpeg(
        '-f', 'lavfi', '-i', `color=c=black:s=${size}x${size}:r=25:d=${frames / 25 + 1},geq=lum='16+6*N':cb=128:cr=128`,
        '-frames:v', String(frames), '-pix_fmt', 'yuv420p', ...codec, file
    );
    return file;
}

/** The RGB value rampClip's frame n decodes to (limited-range luma, BT.601). */
export function rampValue(n: number): number {
    return (6 * n * 255) / 219;
}

/** Mean of the bytes or floats of a frame. */
export function mean(values: ArrayLike<number>): number {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i];
    return sum / values.length;
}

/** A clip of the astronaut portrait (one real face) at `size` x `size`. */
export function faceClip(file: string, frames: number, size = 256): string {
    mkdirSync(path.dirname(file), { recursive: true });
    ffmpeg('-loop', '1', '-i', ASTRONAUT, '-vf', `scale=${size}:${size}`, '-frames:v', String(frames), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', file);
    return file;
}

/** Runs a tool the tests need, saying which Debian package has it when it is missing. */
function tool(command: string, debian: string, args: readonly string[]): Buffer {
    try {
        return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
    } catch (error) {
        const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
        if (e.code === 'ENOENT') throw new Error(`${command} is needed by this test: apt-get install ${debian}`);
        throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr?.toString() ?? e.message}`);
    }
}

/** ImageMagick's convert (Debian's imagemagick); returns its stdout. */
export function magick(...args: string[]): Buffer {
    return tool('convert', 'imagemagick', args);
}

/** exiftool (Debian's libimage-exiftool-perl), editing files in place. */
export function exiftool(...args: string[]): string {
    return tool('exiftool', 'libimage-exiftool-perl', ['-q', '-overwrite_original', ...args]).toString();
}

/** An image as ImageMagick decodes it: upright, transparency over white, 8-bit RGB. */
export function magickRgb(file: string): { data: Buffer; width: number; height: number } {
    const [width, height] = magick(file, '-auto-orient', '-format', '%w %h', 'info:').toString().trim().split(' ').map(Number);
    const data = magick(file, '-auto-orient', '-background', 'white', '-alpha', 'remove', '-alpha', 'off', '-depth', '8', 'rgb:-');
    return { data, width, height };
}

/** Debian's python3 where it is installed (its python3-numpy matches the system), else the one on PATH. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Runs python3 code with `dir` as sys.argv[1]; one process for many files, as numpy is slow to import. */
export function python(code: string, dir: string): void {
    mkdirSync(dir, { recursive: true });
    execFileSync(PYTHON, ['-c', code, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A real PNG of width x height pixels (1-bit greyscale, in stripes) written by python3's zlib row
 * by row: ImageMagick's own resource limits refuse to make the very large ones.
 */
export function largePng(file: string, width: number, height: number): string {
    python(
        'import struct, sys, zlib\n' +
            `w, h = ${width}, ${height}\n` +
            "chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))\n" +
            "z = zlib.compressobj(9)\nrow = b'\\x00' + b'\\xaa' * ((w + 7) // 8)\n" +
            "idat = b''.join(z.compress(row) for _ in range(h)) + z.flush()\n" +
            `open(${JSON.stringify(file)}, 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 1, 0, 0, 0, 0)) + chunk(b'IDAT', idat) + chunk(b'IEND', b''))`,
        path.dirname(file)
    );
    return file;
}

let numpy: boolean | undefined;
export function hasNumpy(): boolean {
    if (numpy === undefined) {
        try {
            execFileSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' });
            numpy = true;
        } catch {
            numpy = false;
        }
    }
    return numpy;
}

/**
 * Writes ChaLearn annotation pickles, {trait: {clip: score}}, in one python3 run: numpy.float64
 * scores as in the real files when numpy is there, protocol 2 as Python 2's cPickle wrote them.
 * `files` maps a path to its scores.
 */
export function chalearnPickles(files: Record<string, Record<string, Record<string, number>>>, protocol = 2): void {
    const wrap = hasNumpy() ? 'import numpy\nf = numpy.float64' : 'f = float';
    for (const file of Object.keys(files)) mkdirSync(path.dirname(file), { recursive: true });
    python(
        `import json, pickle, sys\n${wrap}\n` +
            `for name, scores in json.loads(${JSON.stringify(JSON.stringify(files))}).items():\n` +
            `    d = {t: {c: f(v) for c, v in s.items()} for t, s in scores.items()}\n` +
            `    open(name, 'wb').write(pickle.dumps(d, protocol=${protocol}))`,
        os.tmpdir()
    );
}

/** A dataset spec as the compiler would fill it in. */
export function datasetSpec(over: Partial<DatasetSpec> & Pick<DatasetSpec, 'format' | 'kind' | 'path'>): DatasetSpec {
    return {
        name: over.format,
        splits: [],
        faces: { enabled: false, detector: 'ssd', align: { height: 112, width: 96 }, confidence: 0.5 },
        validation: 0,
        synthetic: null,
        ...over,
    };
}

/** Path -> sha256 and mtime of every file under `dir`: proof that a loader modified nothing. */
export function snapshot(dir: string): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (d: string) => {
        for (const entry of readdirSync(d, { withFileTypes: true })) {
            const full = path.join(d, entry.name);
            if (entry.isDirectory()) walk(full);
            else out.set(full, `${createHash('sha256').update(readFileSync(full)).digest('hex')} ${statSync(full).mtimeMs}`);
        }
    };
    walk(dir);
    return out;
}

/** The first problem whose file ends with `file` and whose text contains `text`. */
export function findProblem(problems: ReadonlyArray<{ file: string; problem: string }>, file: string, text: string) {
    return problems.find((p) => p.file.endsWith(file) && p.problem.includes(text));
}

export const CHALEARN_SCORES = {
    'AAAA.001.mp4': [0.1, 0.2, 0.3, 0.4, 0.5],
    'AAAA.002.mp4': [0.3, 0.4, 0.5, 0.6, 0.7],
    'BBBB.001.mp4': [0.5, 0.0, 1.0, 0.25, 0.75],
    'CCCC.001.mp4': [0.9, 0.8, 0.7, 0.6, 0.5],
} as const;

/** Traits in the pickles' own order, which is not TRAITS order. */
const PICKLE_TRAITS = ['extraversion', 'neuroticism', 'agreeableness', 'conscientiousness', 'openness'] as const;
const TRAIT_ORDER = ['extraversion', 'agreeableness', 'conscientiousness', 'neuroticism', 'openness'];

/**
 * A small ChaLearn tree as the official zips unpack, with its flaws: a clip without labels, labels
 * without a clip, a score out of range, a truncated clip, and no annotation_test.pkl.
 */
export function buildChalearn(root: string): void {
    rampClip(path.join(root, 'training80_01', 'AAAA.001.mp4'), 6);
    rampClip(path.join(root, 'training80_01', 'AAAA.002.mp4'), 5);
    rampClip(path.join(root, 'training80_02', 'BBBB.001.mp4'), 4);
    rampClip(path.join(root, 'training80_02', 'extra.001.mp4'), 3);
    const good = readFileSync(rampClip(path.join(root, 'training80_02', 'EEEE.001.mp4'), 4));
    writeFileSync(path.join(root, 'training80_02', 'EEEE.001.mp4'), good.subarray(0, good.length >> 1));
    rampClip(path.join(root, 'validation80_01', 'CCCC.001.mp4'), 4);
    rampClip(path.join(root, 'test80_01', 'DDDD.001.mp4'), 3);
    const pickleScores = (clips: Record<string, readonly number[]>) => {
        const out: Record<string, Record<string, number>> = { interview: {} };
        for (const trait of PICKLE_TRAITS) {
            out[trait] = {};
            for (const [clip, values] of Object.entries(clips)) out[trait][clip] = values[TRAIT_ORDER.indexOf(trait)];
        }
        for (const clip of Object.keys(clips)) out.interview[clip] = 0.5;
        return out;
    };
    const { 'CCCC.001.mp4': validation, ...training } = CHALEARN_SCORES;
    chalearnPickles({
        [path.join(root, 'annotation_training.pkl')]: pickleScores({
            ...training,
            'GONE.001.mp4': [0.5, 0.5, 0.5, 0.5, 0.5],
            'BAD.001.mp4': [0.5, 1.3, 0.5, 0.5, 0.5],
            'EEEE.001.mp4': [0.5, 0.5, 0.5, 0.5, 0.5],
        }),
        [path.join(root, 'annotations', 'annotation_validation.pkl')]: pickleScores({ 'CCCC.001.mp4': validation }),
    });
}

/** A 64x32 clip, black on the left half and white on the right, for telling two faces apart. */
export function twoToneClip(file: string, frames: number): string {
    mkdirSync(path.dirname(file), { recursive: true });
    ffmpeg(
        '-f', 'lavfi', '-i', 'color=c=black:s=64x32:r=25:d=2,drawbox=x=32:y=0:w=32:h=32:color=white:t=fill',
        '-frames:v', String(frames), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-crf', '0', file
    );
    return file;
}

/**
 * A stand-in detector that "finds" two faces on every frame: a larger one in the left (black) half
 * and a smaller one in the right (white) half, so the crop's brightness tells which was used.
 */
export function twoFaceDetector(): () => Promise<FaceDetector> {
    const face = (x: number, y: number, size: number): DetectedFace => {
        const p = (dx: number, dy: number) => ({ x: x + dx * size, y: y + dy * size });
        const landmarks5 = [p(0.3, 0.4), p(0.7, 0.4), p(0.5, 0.6), p(0.35, 0.8), p(0.65, 0.8)] as DetectedFace['landmarks5'];
        return { box: { x, y, width: size, height: size }, score: 0.9, landmarks68: [], landmarks5 };
    };
    const detector: FaceDetector = {
        options: { detector: 'ssd', confidence: 0.5 },
        detect: async () => [face(4, 4, 24), face(40, 8, 16)],
    };
    return async () => detector;
}

/** Mean pixel of a crop, back in 0..255. */
export function cropLevel(crop: { data: Float32Array } | null): number {
    assert.ok(crop, 'expected a crop');
    return mean(crop.data) * 128 + 127.5;
}

/** Writes lines to a file, making its folder. */
export function writeLines(file: string, lines: ReadonlyArray<string | number>): void {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, lines.join('\n') + '\n');
}

export const AFFWILD_V1 = {
    arousal: [0.1, 0.2, 0.3, 0.4, 0.5, -0.1, -0.2, -0.3, -0.4, -0.5],
    valence: [0.5, 0.4, 0.3, 1.5, 0.1, 0.0, -0.1, -0.2, -0.3, -1.0],
};

/**
 * An Aff-Wild tree: v1 (10 frames, one bad valence line, a box for frame 0), v2 (an .avi of 8
 * frames with 6 labels), v4, v3 in test without its arousal file, and an annotation without video.
 */
export function buildAffwild(root: string): void {
    twoToneClip(path.join(root, 'videos', 'train', 'v1.mp4'), 10);
    rampClip(path.join(root, 'videos', 'train', 'v2.avi'), 8, 32);
    rampClip(path.join(root, 'videos', 'train', 'v4.mp4'), 6);
    rampClip(path.join(root, 'videos', 'test', 'v3.mp4'), 5);
    const a = (split: string, dim: string, id: string) => path.join(root, 'annotations', split, dim, `${id}.txt`);
    writeLines(a('train', 'arousal', 'v1'), AFFWILD_V1.arousal);
    writeLines(a('train', 'valence', 'v1'), AFFWILD_V1.valence);
    writeLines(a('train', 'arousal', 'v2'), [0, 0, 0, 0, 0, 0]);
    writeLines(a('train', 'valence', 'v2'), [1, 1, 1, 1, 1, 1]);
    writeLines(a('train', 'arousal', 'v4'), [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    writeLines(a('train', 'valence', 'v4'), [-0.5, -0.5, -0.5, -0.5, -0.5, -0.5]);
    writeLines(a('test', 'valence', 'v3'), [0, 0, 0, 0, 0]);
    writeLines(a('train', 'arousal', 'v9'), [0]);
    writeLines(path.join(root, 'bboxes', 'train', 'v1', '0.pts'), ['version: 1', 'n_points: 4', '{', '38 6', '58 6', '38 26', '58 26', '}']);
}
