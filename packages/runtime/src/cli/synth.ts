/**
 * `persemon synth --format chalearn|affwild --out DIR [--videos N] [--frames F] [--seed S]`: the
 * built-in synthetic faces written in a real dataset's format (see data/synthetic/write.ts).
 */
import * as path from 'node:path';
import { aboveLimit, type Limit, LIMITS, syntheticSetProblem } from '@persemon/language';
import { SYNTH_FORMATS, SYNTH_FRAME_SIZE, synthKind, writeSynthetic, type SynthFormat, type SynthResult } from '../data/synthetic/write.js';
import { UsageError } from '../errors.js';
import type { Output } from './output.js';
import { invoke, stringValue, wholeValue, type ParsedArgs, type Verb } from './verb.js';

/** Enough for the quickstart's on-disk variant: 60 people, about a second of video each. */
const DEFAULTS = { videos: 60, frames: 30, seed: 1 };

export const synthVerb: Verb = {
    name: 'synth',
    actions: [{
        summary: 'write the synthetic faces in a real dataset format',
        description: 'Writes the built-in synthetic faces as a real dataset: video clips (one person each) and\n'
            + 'annotations in ChaLearn\'s or Aff-Wild\'s layout, for trying the on-disk path end to end.',
        options: {
            format: { type: 'string', value: SYNTH_FORMATS.join('|'), required: true, help: 'the dataset layout to write' },
            out: { type: 'string', value: 'DIR', required: true, help: 'where to write it (absent or empty)' },
            videos: { type: 'string', value: 'N', help: `clips, one person each (default ${DEFAULTS.videos})` },
            frames: { type: 'string', value: 'F', help: `frames a clip (default ${DEFAULTS.frames})` },
            seed: { type: 'string', value: 'S', help: `seed of every random draw (default ${DEFAULTS.seed})` },
        },
        exit: { 0: 'when the dataset is written', 1: 'when DIR is not empty or a clip cannot be encoded' },
        run: (args, out) => write(args, out),
    }],
};

/** `persemon synth ARGS...`. */
export async function synth(argv: readonly string[], out: Output): Promise<void> {
    return invoke(synthVerb, argv, out);
}

async function write(args: ParsedArgs, out: Output): Promise<void> {
    const format = stringValue(args, 'format');
    if (!isSynthFormat(format)) throw new UsageError(`synth needs --format ${SYNTH_FORMATS.join('|')}${format === undefined ? '' : `, not '${format}'`}`);
    const dir = stringValue(args, 'out');
    if (dir === undefined) throw new UsageError('synth needs --out DIR');
    const options = {
        format,
        out: dir,
        videos: wholeValue(args, 'videos', 1) ?? DEFAULTS.videos,
        frames: wholeValue(args, 'frames', 1) ?? DEFAULTS.frames,
        seed: wholeValue(args, 'seed', 0) ?? DEFAULTS.seed,
    };
    checkLimits(options);
    // A SynthError (folder not empty, ffmpeg failed) names its file and exits 1 like any user error.
    out.line(describe(await writeSynthetic(options), options.seed));
}

/**
 * The language's limits, before any work: the clips are one person each and the whole set is built
 * in memory before the first clip is written.
 */
function checkLimits(o: { format: SynthFormat; videos: number; frames: number; seed: number }): void {
    const bounded: Array<[string, number, Limit]> = [['videos', o.videos, LIMITS.people], ['frames', o.frames, LIMITS.frames], ['seed', o.seed, LIMITS.seed]];
    for (const [name, value, limit] of bounded) {
        const problem = aboveLimit(value, limit);
        if (problem) throw new UsageError(`--${name} ${problem}`);
    }
    const problem = syntheticSetProblem(synthKind(o.format), { people: o.videos, clips: 1, frames: o.frames, image: SYNTH_FRAME_SIZE }, 'lower --videos or --frames');
    if (problem) throw new UsageError(`--videos ${o.videos} x --frames ${o.frames}: ${problem}`);
}

function describe(r: SynthResult, seed: number): string {
    const lines = [`wrote synthetic ${r.format} data to ${r.root} (seed ${seed})`];
    const width = Math.max(...Object.keys(r.splits).map((s) => s.length));
    for (const [split, { videos, folder }] of Object.entries(r.splits)) lines.push(`  ${split.padEnd(width)}  ${String(videos).padStart(4)} clip${videos === 1 ? '' : 's'} in ${folder}`);
    const annotations =
        r.format === 'chalearn' ? r.annotations.join(', ') : `${r.annotations.length} files in ${[...new Set(r.annotations.map((a) => path.dirname(path.dirname(a)) + '/'))].join(', ')}`;
    lines.push(`  annotations: ${annotations}`);
    lines.push(`  ${r.frames} frames a clip, ${r.size.width}x${r.size.height} at ${r.fps} fps, encoded with ${r.encoder}`);
    return lines.join('\n');
}

function isSynthFormat(value: string | undefined): value is SynthFormat {
    return (SYNTH_FORMATS as readonly (string | undefined)[]).includes(value);
}
