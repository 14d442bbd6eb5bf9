/**
 * Aff-Wild2's valence-arousal set: `annotations/VA_Set/Train_Set/<name>.txt` and `.../Validation_Set/`,
 * a header line `valence,arousal` then one `valence,arousal` line per frame, -5 where a frame has no
 * label. A name ending in `_left` or `_right` is one of two people in the same video. The frames come
 * from the video file (any folder; its name is `<name>` without the side) through the face pipeline,
 * or, when there is no video, from `cropped_aligned/<name>/<nnnnn>.jpg` (1-based), which already are
 * aligned faces. The video is preferred so that every dataset is aligned the same way.
 */
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { DatasetSpec } from '@persemon/language';
import type { CropTarget, FacePick } from './faces/crops.js';
import {
    checkSplits, datasetRoot, FileSource, holdOutValidation, listFiles, LoadReport, openPipeline, probeAll, requireKind,
    type FoundItem, type OpenOptions,
} from './file-source.js';
import type { DataSource } from './source.js';
import { VideoError } from './video.js';

export const AFFWILD2_SETS: Readonly<Record<string, string>> = { Train_Set: 'train', Validation_Set: 'validation' };

/** Aff-Wild2's marker for a frame without a label. */
const NO_LABEL = -5;
const VIDEO = /^(.+)\.(mp4|avi|mkv|mov)$/i;

export async function openAffwild2Source(spec: DatasetSpec, options: OpenOptions = {}): Promise<FileSource & DataSource> {
    requireKind(spec, ['emotion']);
    const root = await datasetRoot(spec);
    const report = new LoadReport();
    const { cropper, facts } = openPipeline(spec, options);

    const annotations: Array<{ split: string; name: string; file: string }> = [];
    for (const [set, split] of Object.entries(AFFWILD2_SETS)) {
        const dir = path.join(root, 'annotations', 'VA_Set', set);
        const names = await readdir(dir).catch(() => null);
        if (names === null) report.problem(dir, 'missing annotation folder');
        for (const name of (names ?? []).filter((n) => n.endsWith('.txt')).sort()) annotations.push({ split, name: name.slice(0, -4), file: path.join(dir, name) });
    }

    const videos = new Map<string, string>();
    const skipDirs = [path.join(root, 'annotations') + path.sep, path.join(root, 'cropped_aligned') + path.sep];
    for (const file of await listFiles(root)) {
        const match = VIDEO.exec(path.basename(file));
        if (!match || skipDirs.some((d) => file.startsWith(d))) continue;
        if (videos.has(match[1])) report.problem(file, `same video name as ${videos.get(match[1])}; only that one is used`);
        else videos.set(match[1], file);
    }

    const located = await Promise.all(annotations.map(async (a) => ({ ...a, ...(await locate(root, a.name, videos)) })));
    const probes = await probeAll([...new Set(located.flatMap((l) => (l.video ? [l.video] : [])))], facts);
    const items: FoundItem[] = [];
    for (const { split, name, file, video, frames, pick, person } of located) {
        const labels = await readLabels(file, report);
        if (labels === null) continue;
        let target: CropTarget;
        let frameCount: number;
        if (video) {
            const info = probes.get(video);
            if (!info || info instanceof VideoError) {
                report.skip('unreadable video', video, info?.detail ?? 'could not be probed');
                continue;
            }
            if (info.damage) report.problem(video, `partly unreadable (${info.damage}); its ${info.frameCount} readable frames are used`);
            if (info.frameCount !== labels.length) {
                report.problem(file, `has ${labels.length} label lines but ${path.basename(video)} has ${info.frameCount} frames; the frames that have labels are used`);
            }
            target = { media: { kind: 'video', file: video }, pick };
            frameCount = info.frameCount;
        } else if (frames) {
            target = { media: { kind: 'aligned-frames', files: frames }, pick };
            frameCount = labels.length;
        } else {
            report.skip('no video', file, `no video ${name.replace(/_(left|right)$/, '')}.* and no cropped_aligned/${name}/ frames under the dataset folder`);
            continue;
        }
        const emotion = Array.from({ length: frameCount }, (_, i) => labels[i] ?? null);
        if (emotion.every((e) => e === null)) {
            report.skip('no labels', file, 'none of its frames has a label');
            continue;
        }
        items.push({ split, video: { id: name, person, frameCount, emotion }, target });
    }
    const split = holdOutValidation(items, spec, options.seed ?? 0, report, root);
    checkSplits(spec, split, report, root);
    return new FileSource(spec, split, report, cropper);
}

interface Located {
    video: string | undefined;
    /** 0-based frame -> aligned crop file, when cropped_aligned frames are used instead. */
    frames: Array<string | null> | undefined;
    pick: FacePick;
    person: string;
}

async function locate(root: string, name: string, videos: ReadonlyMap<string, string>): Promise<Located> {
    const side = /_(left|right)$/.exec(name);
    const base = side ? name.slice(0, -side[0].length) : name;
    const pick: FacePick = side ? (side[1] as 'left' | 'right') : 'largest';
    // The two sides of a video are two people; an unsuffixed name is its video's one person.
    const person = name;
    const video = videos.get(base);
    if (video) return { video, frames: undefined, pick, person };
    for (const folder of [name, base]) {
        const dir = path.join(root, 'cropped_aligned', folder);
        const names = await readdir(dir).catch(() => null);
        if (!names) continue;
        const frames: Array<string | null> = [];
        for (const file of names) {
            const m = /^(\d+)\.jpg$/i.exec(file);
            if (m && Number(m[1]) >= 1) frames[Number(m[1]) - 1] = path.join(dir, file);
        }
        return { video: undefined, frames: Array.from(frames, (f) => f ?? null), pick, person };
    }
    return { video: undefined, frames: undefined, pick, person };
}

/** Per-frame [arousal, valence] (null where -5 or bad); null when the file is unusable. */
async function readLabels(file: string, report: LoadReport): Promise<Array<[number, number] | null> | null> {
    let text: string;
    try {
        text = await readFile(file, 'utf8');
    } catch (error) {
        report.skip('no labels', file, `cannot be read: ${(error as Error).message}`);
        return null;
    }
    const lines = text.split(/\r?\n/);
    while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
    if (lines.length === 0 || lines[0].replace(/\s/g, '').toLowerCase() !== 'valence,arousal') {
        report.skip('no labels', file, `first line is ${JSON.stringify((lines[0] ?? '').slice(0, 40))}, not the header valence,arousal`);
        return null;
    }
    const bad: number[] = [];
    const labels = lines.slice(1).map((line, i): [number, number] | null => {
        const parts = line.split(',').map((p) => Number(p.trim()));
        const [valence, arousal] = parts;
        if (parts.length !== 2 || !Number.isFinite(valence) || !Number.isFinite(arousal)) {
            bad.push(i + 2);
            return null;
        }
        if (valence === NO_LABEL || arousal === NO_LABEL) return null;
        if (Math.abs(valence) > 1 || Math.abs(arousal) > 1) {
            bad.push(i + 2);
            return null;
        }
        return [arousal, valence];
    });
    if (bad.length > 0) {
        const shown = bad.slice(0, 5).join(', ') + (bad.length > 5 ? `, ... (${bad.length} lines)` : '');
        report.problem(file, `line ${shown}: not two numbers in [-1, 1] (or -5); those frames have no label`);
    }
    return labels;
}
