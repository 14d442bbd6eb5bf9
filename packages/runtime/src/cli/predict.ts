/**
 * `persemon predict RUN_DIR IMAGE_OR_VIDEO [--json]`: arousal, valence and the Big Five of every
 * face in a portrait, or per frame (up to 100 evenly spaced frames) plus a video-level personality
 * for a video. --json prints the prediction as JSON, whose fields scripts rely on; otherwise a
 * readable summary.
 */
import { existsSync, statSync } from 'node:fs';
import { TRAITS } from '@persemon/language';
import { UsageError, UserError } from '../errors.js';
import { isVideoPrediction, mediaKind, Predictor, type FacePrediction, type ImagePrediction, type PersonalityPrediction, type VideoPrediction } from '../predict/predictor.js';
import type { Output } from './output.js';
import { flag, type Verb } from './verb.js';

export const predictVerb: Verb = {
    name: 'predict',
    computes: true,
    actions: [{
        args: 'RUN_DIR IMAGE_OR_VIDEO',
        summary: 'arousal, valence and Big Five of each face; a video:\n'
            + 'per frame (up to 100 evenly spaced) and video-level',
        description: 'With the run\'s latest checkpoint: for each face of a portrait, its box, five landmarks,\n'
            + 'arousal and valence, and the Big Five from PAM, RAM and fused; for a video, the same for up\n'
            + 'to 100 evenly spaced frames, and a video-level personality through the model\'s consensus.',
        options: {
            json: { type: 'boolean', help: 'the prediction as JSON' },
        },
        exit: { 0: 'when the prediction is printed', 1: 'on a missing or unreadable file, a run without a checkpoint, or no face found' },
        run: async (args, out) => {
            if (args.positionals.length !== 2) throw new UsageError('predict needs a RUN_DIR and an IMAGE_OR_VIDEO');
            const [runDir, file] = args.positionals;
            await predict(runDir, file, flag(args, 'json'), out);
        },
    }],
};

async function predict(runDir: string, file: string, json: boolean, out: Output): Promise<void> {
    if (!existsSync(file)) throw new UserError(`${file}: file not found`);
    if (!statSync(file).isFile()) throw new UserError(`${file}: not a file`);
    // A bad image is refused before the models load.
    mediaKind(file);
    const predictor = await Predictor.open(runDir);
    try {
        const prediction = await predictor.predictFile(file);
        if (json) out.line(JSON.stringify(prediction, null, 2));
        else {
            const { step, detector } = predictor.info;
            out.info(`run ${predictor.info.runDir}, checkpoint of step ${step}; ${detector} face detector`);
            out.line(summary(prediction));
        }
    } finally {
        predictor.dispose();
    }
}

function summary(p: ImagePrediction | VideoPrediction): string {
    if (!isVideoPrediction(p)) {
        const lines = [`${p.source}: ${p.faces.length} face${p.faces.length === 1 ? '' : 's'}`];
        p.faces.forEach((face, i) => lines.push('', ...faceLines(face, i + 1)));
        return lines.join('\n');
    }
    const withFaces = p.frames.filter((f) => f.faces.length > 0).length;
    const lines = [`${p.source}: ${p.frames.length} frames sampled, a face in ${withFaces}`];
    if (p.personality) lines.push('', 'video-level personality (consensus over the segment frames):', ...personalityLines(p.personality));
    lines.push('', ' frame     time  faces  arousal  valence');
    for (const f of p.frames) {
        const first = f.faces[0];
        const time = f.time === null ? '-' : `${f.time.toFixed(2)}s`;
        lines.push(`${String(f.index).padStart(6)}  ${time.padStart(7)}  ${String(f.faces.length).padStart(5)}  ${num(first?.arousal)}  ${num(first?.valence)}`);
    }
    return lines.join('\n');
}

function faceLines(face: FacePrediction, n: number): string[] {
    const { x, y, width, height } = face.box;
    const lines = [`face ${n} at x ${x.toFixed(0)}, y ${y.toFixed(0)}, ${width.toFixed(0)}x${height.toFixed(0)} px`];
    if (face.arousal !== undefined) lines.push(`  arousal ${num(face.arousal)}   valence ${num(face.valence)}`);
    if (face.personality) lines.push(...personalityLines(face.personality));
    return lines;
}

function personalityLines(p: PersonalityPrediction): string[] {
    const modules = (['pam', 'ram', 'fused'] as const).filter((m) => p[m]);
    const lines = [`  ${'trait'.padEnd(18)}${modules.map((m) => m.padStart(8)).join('')}`];
    for (const trait of TRAITS) lines.push(`  ${trait.padEnd(18)}${modules.map((m) => p[m]![trait].toFixed(3).padStart(8)).join('')}`);
    return lines;
}

function num(v: number | undefined): string {
    return v === undefined ? '      -' : ((v < 0 ? '' : ' ') + v.toFixed(3)).padStart(7);
}
