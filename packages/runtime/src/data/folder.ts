/**
 * People's own data: a CSV (the dataset path itself, or `labels.csv` or the only .csv in the
 * dataset folder) with a `path` column (also `file`, `image` or `video`) of images or videos
 * relative to the CSV, and whichever labels it has: the five traits in [0, 1], `arousal` and
 * `valence` in [-1, 1]; optionally `split` (default train), `person` (default: the file, each its
 * own person) and `frame` (0-based; then each row labels one frame of a video, else a video row's
 * arousal and valence label all its frames).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { EMOTIONS, TRAITS, type DatasetKind, type DatasetSpec } from '@persemon/language';
import type { Media } from './faces/crops.js';
import {
    checkSplits, DatasetError, FileSource, holdOutValidation, LoadReport, openPipeline, probeAll, requireKind,
    type FoundItem, type OpenOptions,
} from './file-source.js';
import { checkImageFile, ImageTooLargeError } from './image-file.js';
import { ImageError } from './image-header.js';
import type { DataSource } from './source.js';
import { VideoError } from './video.js';

const PATH_COLUMNS = ['path', 'file', 'image', 'video'];
const IMAGE = /\.(jpe?g|png|webp|gif|bmp|avif)$/i;
const VIDEO = /\.(mp4|avi|mov|mkv|webm|m4v)$/i;

interface Row {
    line: number;
    cells: Map<string, string>;
}

export async function openFolderSource(spec: DatasetSpec, options: OpenOptions = {}): Promise<FileSource & DataSource> {
    requireKind(spec, ['personality', 'emotion']);
    if (spec.path === null) throw new DatasetError(spec.name, 'a folder dataset needs a path');
    const csv = await findCsv(spec.path);
    const root = path.dirname(csv);
    const report = new LoadReport();
    const { cropper, facts } = openPipeline(spec, options);

    const { header, rows } = parseCsv(await readFile(csv, 'utf8'), csv);
    const pathColumn = PATH_COLUMNS.find((c) => header.includes(c));
    if (!pathColumn) throw new DatasetError(csv, `has no path column (one of ${PATH_COLUMNS.join(', ')})`);
    const needed = spec.kind === 'personality' ? TRAITS : EMOTIONS;
    const lacking = needed.filter((c) => !header.includes(c));
    if (lacking.length > 0) throw new DatasetError(csv, `a ${spec.kind} dataset needs the columns ${lacking.join(', ')}`);
    const hasFrames = header.includes('frame');

    const groups = new Map<string, Row[]>();
    for (const row of rows) {
        const value = row.cells.get(pathColumn) ?? '';
        if (value === '') {
            report.problem(csv, `line ${row.line}: empty ${pathColumn}`);
            continue;
        }
        const file = path.resolve(root, value);
        // Appended in place: copying the group for every row made one video's many frame rows quadratic.
        const group = groups.get(file);
        if (group) group.push(row);
        else groups.set(file, [row]);
    }

    const probes = await probeAll([...groups.keys()].filter((f) => VIDEO.test(f)), facts);
    const items: FoundItem[] = [];
    for (const [file, group] of groups) {
        const at = `${path.basename(csv)} line ${group[0].line}`;
        const first = group[0].cells;
        const split = first.get('split') || 'train';
        const person = first.get('person') || path.relative(root, file).replace(/\.[^.]+$/, '');
        let media: Media;
        let frameCount: number;
        if (IMAGE.test(file)) {
            // Only the header is read here: the format, and a size within the decoder's limit.
            try {
                checkImageFile(file);
            } catch (error) {
                if (!(error instanceof ImageError)) throw error;
                report.skip(error instanceof ImageTooLargeError ? 'image too large' : 'unreadable image', file, `${error.detail} (${at})`);
                continue;
            }
            media = { kind: 'image', file };
            frameCount = 1;
        } else if (VIDEO.test(file)) {
            const info = probes.get(file);
            if (!info || info instanceof VideoError) {
                report.skip('unreadable video', file, `${info?.detail ?? 'could not be probed'} (${at})`);
                continue;
            }
            if (info.damage) report.problem(file, `partly unreadable (${info.damage}); its ${info.frameCount} readable frames are used`);
            media = { kind: 'video', file };
            frameCount = info.frameCount;
        } else {
            report.skip('not an image or video', file, `is neither an image (.jpg, .png, .webp, .gif, .bmp, .avif) nor a video (.mp4, .avi, .mov, .mkv, .webm) (${at})`);
            continue;
        }
        for (const row of group.slice(1)) {
            if ((row.cells.get('split') || 'train') !== split) report.problem(csv, `line ${row.line}: split differs from line ${group[0].line} for the same file; the first is used`);
        }

        const traits = readTraits(group, header, csv, report);
        if (traits === 'bad') {
            report.skip('label out of range', file, `a trait is not a number in [0, 1] (${at}); the item is skipped`);
            continue;
        }
        const emotion = readEmotion(group, header, hasFrames, frameCount, csv, report);
        const labelled = spec.kind === 'personality' ? traits !== undefined : emotion !== undefined;
        if (!labelled) {
            report.skip('no labels', file, `has no ${spec.kind} labels (${at})`);
            report.unlabelled(split);
            continue;
        }
        const id = path.relative(root, file);
        items.push({
            split,
            video: { id, person, frameCount, ...(traits ? { traits } : {}), ...(emotion ? { emotion } : {}) },
            target: { media, pick: 'largest' },
        });
    }
    const split = holdOutValidation(items, spec, options.seed ?? 0, report, root);
    checkSplits(spec, split, report, root);
    return new FileSource(spec, split, report, cropper);
}

/** What a CSV can train: personality when it has the five trait columns, else emotion. */
export async function folderKind(datasetPath: string): Promise<DatasetKind> {
    const csv = await findCsv(datasetPath);
    const { header } = parseCsv(await readFile(csv, 'utf8'), csv);
    return TRAITS.every((t) => header.includes(t)) ? 'personality' : 'emotion';
}

/** The CSV named by the spec's path, or the dataset folder's labels.csv or only .csv. */
async function findCsv(datasetPath: string): Promise<string> {
    const target = path.resolve(datasetPath);
    const info = await stat(target).catch(() => null);
    if (!info) throw new DatasetError(target, 'does not exist');
    if (info.isFile()) return target;
    const csvs = (await readdir(target)).filter((n) => n.toLowerCase().endsWith('.csv')).sort();
    if (csvs.includes('labels.csv')) return path.join(target, 'labels.csv');
    if (csvs.length === 1) return path.join(target, csvs[0]);
    throw new DatasetError(target, csvs.length === 0 ? 'has no .csv file of labels' : `has several .csv files (${csvs.join(', ')}) and no labels.csv`);
}

/** The five traits in TRAITS order; undefined when the rows give none; 'bad' when one is invalid. */
function readTraits(group: readonly Row[], header: readonly string[], csv: string, report: LoadReport): number[] | undefined | 'bad' {
    if (!TRAITS.every((t) => header.includes(t))) return undefined;
    const row = group.find((r) => TRAITS.some((t) => (r.cells.get(t) ?? '') !== ''));
    if (!row) return undefined;
    const traits = TRAITS.map((t) => Number(row.cells.get(t) ?? ''));
    for (const other of group) {
        if (other !== row && TRAITS.some((t, i) => (other.cells.get(t) ?? '') !== '' && Number(other.cells.get(t)) !== traits[i])) {
            report.problem(csv, `line ${other.line}: traits differ from line ${row.line} for the same file; line ${row.line} is used`);
        }
    }
    return TRAITS.every((t) => (row.cells.get(t) ?? '') !== '') && traits.every((v) => v >= 0 && v <= 1) ? traits : 'bad';
}

/** Per-frame [arousal, valence], or undefined when the rows label no frame. */
function readEmotion(
    group: readonly Row[], header: readonly string[], hasFrames: boolean, frameCount: number, csv: string, report: LoadReport
): Array<[number, number] | null> | undefined {
    if (!EMOTIONS.every((e) => header.includes(e))) return undefined;
    const labels: Array<[number, number] | null> = Array.from({ length: frameCount }, () => null);
    for (const row of group) {
        const a = row.cells.get('arousal') ?? '';
        const v = row.cells.get('valence') ?? '';
        if (a === '' && v === '') continue;
        const value: [number, number] = [Number(a), Number(v)];
        if (!value.every((x) => x >= -1 && x <= 1)) {
            report.problem(csv, `line ${row.line}: arousal and valence must be numbers in [-1, 1], not ${JSON.stringify(a)} and ${JSON.stringify(v)}; skipped`);
            continue;
        }
        const frameText = hasFrames ? (row.cells.get('frame') ?? '') : '';
        if (frameText === '') {
            labels.fill(value);
            continue;
        }
        const frame = Number(frameText);
        if (!Number.isInteger(frame) || frame < 0 || frame >= frameCount) {
            report.problem(csv, `line ${row.line}: frame ${JSON.stringify(frameText)} is not one of the file's ${frameCount} frames; skipped`);
            continue;
        }
        labels[frame] = value;
    }
    return labels.some((l) => l !== null) ? labels : undefined;
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. Header names are lower-cased. */
export function parseCsv(text: string, file: string): { header: string[]; rows: Row[] } {
    const records: Array<{ line: number; fields: string[] }> = [];
    let fields: string[] = [];
    let field = '';
    let quoted = false;
    let line = 1;
    let recordLine = 1;
    const body = text.replace(/^\uFEFF/, '');
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (quoted) {
            if (c === '"' && body[i + 1] === '"') {
                field += '"';
                i++;
            } else if (c === '"') quoted = false;
            else {
                if (c === '\n') line++;
                field += c;
            }
        } else if (c === '"' && field === '') quoted = true;
        else if (c === ',') {
            fields.push(field);
            field = '';
        } else if (c === '\n' || c === '\r') {
            if (c === '\r' && body[i + 1] === '\n') i++;
            fields.push(field);
            if (fields.some((f) => f.trim() !== '')) records.push({ line: recordLine, fields });
            fields = [];
            field = '';
            recordLine = ++line;
        } else field += c;
    }
    if (quoted) throw new DatasetError(file, `line ${recordLine}: a quoted field is not closed`);
    fields.push(field);
    if (fields.some((f) => f.trim() !== '')) records.push({ line: recordLine, fields });
    if (records.length === 0) throw new DatasetError(file, 'is empty: it needs a header line');
    const header = records[0].fields.map((h) => h.trim().toLowerCase());
    const rows = records.slice(1).map(({ line: at, fields: values }) => ({
        line: at,
        cells: new Map(header.map((h, i) => [h, (values[i] ?? '').trim()])),
    }));
    return { header, rows };
}
