/**
 * Video files through ffmpeg: what a clip holds (frames, rate, size) and the pixels of chosen frames.
 *
 * Sparse sampling wants a few frames spread over a clip; one ffmpeg process that decodes the clip
 * once and keeps exactly the wanted frame numbers (the `select` filter on `n`) is faster than one
 * seek per frame on usual GOPs, and exact where seeking by time would round. Frames come back as
 * PPM images over a pipe, so each carries its own size (rotated clips, odd streams) and only a few
 * are held in memory at a time.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Pixels } from './image.js';
import { FfmpegNotFoundError, findFfmpeg } from './ffmpeg.js';

export interface VideoInfo {
    /** Frames ffmpeg reads from the first video stream. */
    frameCount: number;
    /** Frames per second, 0 when the file does not say. */
    fps: number;
    /** Displayed size, after any rotation the file asks for. */
    width: number;
    height: number;
    /** What ffmpeg complained of while reading a file it could still read part of (truncated, corrupt). */
    damage: string | null;
}

export class VideoError extends Error {
    constructor(
        readonly file: string,
        readonly detail: string
    ) {
        super(`${file}: ${detail}`);
        this.name = 'VideoError';
    }
}

/** One decoded frame: rgb24 pixels and its frame number in the clip. */
export interface DecodedFrame {
    index: number;
    image: Pixels & { channels: 3 };
}

const STDERR_KEEP = 8192;

/** Reads the stream's packets without decoding them: fast, and exact for frame counts. */
export async function probeVideo(file: string): Promise<VideoInfo> {
    const args = ['-nostdin', '-hide_banner', '-i', input(file), '-map', '0:v:0', '-c', 'copy', '-f', 'null', '-progress', 'pipe:1', '-nostats', '-'];
    const { stdout, stderr, code } = await run(file, args);
    if (/matches no streams/.test(stderr)) throw new VideoError(file, 'has no readable video stream (truncated, or not a video)');
    if (code !== 0) throw new VideoError(file, `ffmpeg cannot read it: ${lastLine(stderr)}`);
    const frames = [...stdout.toString('latin1').matchAll(/^frame=(\d+)$/gm)].pop();
    const stream = /Stream #\d+:\d+.*?: Video: (.*)/.exec(stderr);
    const size = stream && /,\s(\d+)x(\d+)[\s,]/.exec(stream[1]);
    if (!frames || !stream || !size) throw new VideoError(file, `ffmpeg found no readable video stream: ${lastLine(stderr)}`);
    const frameCount = Number(frames[1]);
    if (frameCount === 0) throw new VideoError(file, 'has no frames');
    const rate = /([\d.]+)(k?) fps/.exec(stream[1]) ?? /([\d.]+)(k?) tbr/.exec(stream[1]);
    let width = Number(size[1]);
    let height = Number(size[2]);
    // ffmpeg turns frames the way the file's display matrix says; report the size it will output.
    const rotation = /rotate\s*:\s*(-?\d+)|rotation of (-?[\d.]+) degrees/.exec(stderr);
    if (rotation && Math.abs(Number(rotation[1] ?? rotation[2])) % 180 === 90) [width, height] = [height, width];
    const fps = rate ? Number(rate[1]) * (rate[2] === 'k' ? 1000 : 1) : 0;
    return { frameCount, fps, width, height, damage: damage(stderr) };
}

/**
 * The frames at `indices` (0-based, any order, repeats allowed), decoded in one ffmpeg process and
 * yielded in ascending order as they come. Frames past the end of a (truncated) clip are simply
 * not yielded; an ffmpeg failure after some frames throws once those frames were yielded.
 */
export async function* decodeFrames(file: string, indices: readonly number[]): AsyncGenerator<DecodedFrame> {
    const wanted = [...new Set(indices)].sort((a, b) => a - b);
    for (const i of wanted) if (!Number.isInteger(i) || i < 0) throw new RangeError(`${file}: frame index ${i} is not a whole number >= 0`);
    if (wanted.length === 0) return;
    const args = [
        '-nostdin', '-v', 'error', '-i', input(file), '-map', '0:v:0',
        '-vf', `select='${selectExpression(wanted)}'`, '-vsync', '0', '-frames:v', String(wanted.length),
        '-c:v', 'ppm', '-f', 'image2pipe', 'pipe:1',
    ];
    const child = spawnFfmpeg(args);
    let stderr = '';
    child.stderr.setEncoding('latin1');
    child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-STDERR_KEEP)));
    const exit = new Promise<number>((resolve, reject) => {
        child.on('error', (error) => reject(spawnError(file, error)));
        child.on('close', (code) => resolve(code ?? -1));
    });
    exit.catch(() => undefined); // observed below; avoids an unhandled rejection if the consumer stops early

    const reader = new PpmReader(file);
    let next = 0;
    try {
        for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
            for (const image of reader.push(chunk)) {
                if (next >= wanted.length) throw new VideoError(file, 'ffmpeg returned more frames than were asked for');
                yield { index: wanted[next++], image };
            }
        }
        const code = await exit;
        if (reader.pending()) throw new VideoError(file, 'ffmpeg stopped in the middle of a frame');
        if (code !== 0) throw new VideoError(file, `ffmpeg failed after ${next} of ${wanted.length} frames: ${lastLine(stderr)}`);
    } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
}

/** `select` keeps frame n when the expression is non-zero; runs of frames become one between(). */
export function selectExpression(sorted: readonly number[]): string {
    const terms: string[] = [];
    for (let i = 0; i < sorted.length; ) {
        let j = i;
        while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
        terms.push(i === j ? `eq(n,${sorted[i]})` : `between(n,${sorted[i]},${sorted[j]})`);
        i = j + 1;
    }
    return terms.join('+');
}

/**
 * Splits a stream of binary PPM (P6, maxval 255) images. Chunks (64 KiB) are only joined once a
 * whole frame is there: joining on every chunk would copy a 720p frame dozens of times.
 */
class PpmReader {
    private chunks: Buffer[] = [];
    private length = 0;

    constructor(private readonly file: string) {}

    *push(chunk: Buffer): Generator<Pixels & { channels: 3 }> {
        this.chunks.push(chunk);
        this.length += chunk.length;
        for (;;) {
            const head = this.peek(Math.min(64, this.length)).toString('latin1');
            const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(head);
            if (!header) {
                if (this.length >= 64) throw new VideoError(this.file, 'ffmpeg output is not a PPM stream');
                return;
            }
            const [text, w, h, maxval] = header;
            if (maxval !== '255') throw new VideoError(this.file, `ffmpeg output has PPM maxval ${maxval}, not 255`);
            const width = Number(w);
            const height = Number(h);
            const end = text.length + width * height * 3;
            if (this.length < end) return;
            const all = this.peek(this.length);
            // A copy: the pixels outlive the chunks they arrived in.
            const data = new Uint8Array(all.subarray(text.length, end));
            const rest = all.subarray(end);
            this.chunks = rest.length > 0 ? [rest] : [];
            this.length = rest.length;
            yield { data, width, height, channels: 3 };
        }
    }

    pending(): boolean {
        return this.length > 0;
    }

    /** The first n bytes, joining the chunks they span into one. */
    private peek(n: number): Buffer {
        if (this.chunks.length > 1 && this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
        return this.chunks.length === 0 ? Buffer.alloc(0) : this.chunks[0].subarray(0, n);
    }
}

interface Finished {
    stdout: Buffer;
    stderr: string;
    code: number;
}

function run(file: string, args: string[]): Promise<Finished> {
    return new Promise((resolve, reject) => {
        const child = spawnFfmpeg(args);
        const out: Buffer[] = [];
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
        child.stderr.setEncoding('latin1');
        child.stderr.on('data', (text: string) => (stderr = (stderr + text).slice(-STDERR_KEEP * 4)));
        child.on('error', (error) => reject(spawnError(file, error)));
        child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr, code: code ?? -1 }));
    });
}

function spawnFfmpeg(args: string[]) {
    return spawn(findFfmpeg().path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `file:` so that no name is taken for another protocol or an option. */
function input(file: string): string {
    return `file:${path.resolve(file)}`;
}

function spawnError(file: string, error: Error & { code?: string }): Error {
    return error.code === 'ENOENT' ? new FfmpegNotFoundError(`${findFfmpeg().path} could not be started for ${file}`) : error;
}

/** Complaints ffmpeg logged after it opened the file (it still exits 0 on a truncated mdat). */
function damage(stderr: string): string | null {
    const reading = stderr.slice(stderr.lastIndexOf('Stream mapping:'));
    const complaints = reading.split(/\r?\n/).filter((l) => /partial file|invalid data|corrupt|truncat|error/i.test(l));
    return complaints.length > 0 ? lastLine(complaints.join('\n')) : null;
}

/** ffmpeg's last two messages, the reason it failed ("moov atom not found"), without its prefixes. */
function lastLine(stderr: string): string {
    const lines = stderr
        .split(/\r?\n/)
        .map((l) => l.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/, '').replace(/^file:.*?: /, '').trim())
        .filter((l) => l !== '' && !l.startsWith('frame='));
    return lines.length > 0 ? [...new Set(lines.slice(-2))].join('; ') : 'no message';
}
