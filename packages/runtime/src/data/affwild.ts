/**
 * Aff-Wild: `videos/<split>/<id>.mp4|avi`, with `annotations/<split>/valence/<id>.txt` and
 * `annotations/<split>/arousal/<id>.txt`, one value in [-1, 1] a line per frame, and optionally
 * `bboxes/<split>/<id>/<frame>.pts`, the annotated face box of a frame (0-based frame number), which
 * picks the face when several are found. Each video shows one person, named by its id.
 */
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { DatasetSpec } from '@persemon/language';
import type { Box } from './faces/detector.js';
import {
    checkSplits, datasetRoot, FileSource, holdOutValidation, LoadReport, openPipeline, probeAll, requireKind,
    type FoundItem, type OpenOptions,
} from './file-source.js';
import type { DataSource } from './source.js';
import { VideoError } from './video.js';

const VIDEO = /^(.+)\.(mp4|avi)$/i;

export async function openAffwildSource(spec: DatasetSpec, options: OpenOptions = {}): Promise<FileSource & DataSource> {
    requireKind(spec, ['emotion']);
    const root = await datasetRoot(spec);
    const report = new LoadReport();
    const { cropper, facts } = openPipeline(spec, options);

    const videosDir = path.join(root, 'videos');
    const splits = await folders(videosDir);
    if (splits === null) report.problem(videosDir, 'missing: Aff-Wild keeps its videos in videos/<split>/');
    const candidates: Array<{ split: string; id: string; file: string }> = [];
    for (const split of splits ?? []) {
        for (const name of (await readdir(path.join(videosDir, split))).sort()) {
            const match = VIDEO.exec(name);
            if (match) candidates.push({ split, id: match[1], file: path.join(videosDir, split, name) });
        }
    }
    await reportOrphanAnnotations(root, splits ?? [], new Set(candidates.map((c) => `${c.split}/${c.id}`)), report);

    const probes = await probeAll(candidates.map((c) => c.file), facts);
    const items: FoundItem[] = [];
    for (const { split, id, file } of candidates) {
        const [arousal, valence] = await Promise.all(
            (['arousal', 'valence'] as const).map((d) => readValues(path.join(root, 'annotations', split, d, `${id}.txt`), report))
        );
        if (!arousal || !valence) {
            report.skip('no labels', file, 'has no arousal and valence annotation pair; the video is skipped');
            report.unlabelled(split);
            continue;
        }
        const info = probes.get(file);
        if (!info || info instanceof VideoError) {
            report.skip('unreadable video', file, info?.detail ?? 'could not be probed');
            continue;
        }
        if (info.damage) report.problem(file, `partly unreadable (${info.damage}); its ${info.frameCount} readable frames are used`);
        if (arousal.length !== valence.length) {
            report.problem(file, `arousal has ${arousal.length} lines and valence ${valence.length}; frames where either is missing have no label`);
        }
        const labels = Math.max(arousal.length, valence.length);
        if (labels !== info.frameCount) {
            report.problem(file, `has ${info.frameCount} frames but ${labels} labels; the frames that have labels are used`);
        }
        const emotion = Array.from({ length: info.frameCount }, (_, i): [number, number] | null => {
            const a = arousal[i];
            const v = valence[i];
            return a === undefined || v === undefined || a === null || v === null ? null : [a, v];
        });
        if (emotion.every((e) => e === null)) {
            report.skip('no labels', file, 'none of its frames has a label');
            continue;
        }
        items.push({
            split,
            video: { id, person: id, frameCount: info.frameCount, emotion },
            target: { media: { kind: 'video', file }, pick: 'largest', hint: boxHints(path.join(root, 'bboxes', split, id), report) },
        });
    }
    const split = holdOutValidation(items, spec, options.seed ?? 0, report, root);
    checkSplits(spec, split, report, root);
    return new FileSource(spec, split, report, cropper);
}

/** Sub-folder names, sorted; null when the folder does not exist. */
async function folders(dir: string): Promise<string[] | null> {
    try {
        const entries = await readdir(dir, { withFileTypes: true });
        return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
    } catch {
        return null;
    }
}

/**
 * One value a line in [-1, 1]; a bad line is a problem and leaves that frame unlabelled. Null when
 * the file is missing or unreadable (reported).
 */
async function readValues(file: string, report: LoadReport): Promise<Array<number | null> | null> {
    let text: string;
    try {
        text = await readFile(file, 'utf8');
    } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        report.problem(file, missing ? 'missing annotation' : `cannot be read: ${(error as Error).message}`);
        return null;
    }
    const lines = text.split(/\r?\n/);
    while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
    const bad: number[] = [];
    const values = lines.map((line, i) => {
        const value = Number(line.trim());
        if (line.trim() === '' || !Number.isFinite(value) || value < -1 || value > 1) {
            bad.push(i + 1);
            return null;
        }
        return value;
    });
    if (bad.length > 0) {
        const shown = bad.slice(0, 5).join(', ') + (bad.length > 5 ? `, ... (${bad.length} lines)` : '');
        report.problem(file, `line ${shown}: not a number in [-1, 1]; those frames have no label`);
    }
    return values;
}

/** Annotation files whose video is not there: labels without a video. */
async function reportOrphanAnnotations(root: string, splits: readonly string[], videos: ReadonlySet<string>, report: LoadReport): Promise<void> {
    const annotations = path.join(root, 'annotations');
    for (const split of (await folders(annotations)) ?? []) {
        for (const dimension of ['arousal', 'valence']) {
            const names = await readdir(path.join(annotations, split, dimension)).catch(() => [] as string[]);
            for (const name of names.filter((n) => n.endsWith('.txt')).sort()) {
                const id = name.slice(0, -4);
                if (videos.has(`${split}/${id}`)) continue;
                const where = splits.includes(split) ? `videos/${split}/` : 'videos/';
                report.problem(path.join(annotations, split, dimension, name), `annotates ${id}, which has no video in ${where}`);
            }
        }
    }
}

/**
 * The annotated box of each frame, read when first asked for. A .pts file holds points between
 * `{` and `}`; the box is their bounding rectangle.
 */
function boxHints(dir: string, report: LoadReport): (frame: number) => Promise<Box | undefined> {
    let byFrame: Promise<Map<number, string>> | undefined;
    const listing = async () => {
        const map = new Map<number, string>();
        try {
            for (const name of await readdir(dir)) {
                const m = /^(\d+)\.pts$/.exec(name);
                if (m) map.set(Number(m[1]), path.join(dir, name));
            }
        } catch {
            // No boxes for this video: the largest face is used.
        }
        return map;
    };
    return async (frame) => {
        byFrame ??= listing();
        const file = (await byFrame).get(frame);
        if (!file) return undefined;
        const box = parsePts(await readFile(file, 'utf8').catch(() => ''));
        if (!box) report.problem(file, 'is not a .pts file with points between { and }; the largest face is used');
        return box;
    };
}

export function parsePts(text: string): Box | undefined {
    const body = /\{([^}]*)\}/.exec(text);
    if (!body) return undefined;
    const numbers = body[1].trim().split(/\s+/).map(Number);
    if (numbers.length < 4 || numbers.length % 2 !== 0 || numbers.some((n) => !Number.isFinite(n))) return undefined;
    const xs = numbers.filter((_, i) => i % 2 === 0);
    const ys = numbers.filter((_, i) => i % 2 === 1);
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    const width = Math.max(...xs) - x;
    const height = Math.max(...ys) - y;
    return width > 0 && height > 0 ? { x, y, width, height } : undefined;
}
