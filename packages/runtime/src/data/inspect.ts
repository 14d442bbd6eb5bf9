/**
 * `persemon data inspect DIR --format F [--json]`: what a loader sees in a dataset, without decoding
 * a frame: items and labelled items per split, the mean and range of every label, and every
 * problem found, each naming its file. The JSON shape is a contract: scripts read it.
 */
import * as path from 'node:path';
import { EMOTIONS, TRAITS, type DatasetKind, type DatasetSpec } from '@persemon/language';
import { openAffwildSource } from './affwild.js';
import { openAffwild2Source } from './affwild2.js';
import { openChalearnSource } from './chalearn.js';
import type { FileSource, OpenOptions } from './file-source.js';
import { folderKind, openFolderSource } from './folder.js';
import type { DataProblem } from './source.js';

export const INSPECT_FORMATS = ['chalearn', 'affwild', 'affwild2', 'folder'] as const;
export type InspectFormat = (typeof INSPECT_FORMATS)[number];

export interface LabelStats {
    mean: number;
    min: number;
    max: number;
}

export interface SplitSummary {
    items: number;
    labelled: number;
    labels: Record<string, LabelStats>;
}

export interface InspectReport {
    format: InspectFormat;
    root: string;
    splits: Record<string, SplitSummary>;
    problems: DataProblem[];
}

const OPENERS: Record<InspectFormat, (spec: DatasetSpec, options: OpenOptions) => Promise<FileSource>> = {
    chalearn: openChalearnSource,
    affwild: openAffwildSource,
    affwild2: openAffwild2Source,
    folder: openFolderSource,
};

export async function inspectDataset(dir: string, format: InspectFormat, options: OpenOptions = {}): Promise<InspectReport> {
    const root = path.resolve(dir);
    const kind: DatasetKind = format === 'chalearn' ? 'personality' : format === 'folder' ? await folderKind(root) : 'emotion';
    const spec: DatasetSpec = {
        name: path.basename(root),
        kind,
        format,
        path: root,
        splits: [],
        // Nothing is decoded: the face settings only have to be valid.
        faces: { enabled: false, detector: 'ssd', align: { height: 112, width: 96 }, confidence: 0.5 },
        validation: 0,
        synthetic: null,
    };
    const source = await OPENERS[format](spec, options);
    const splits: Record<string, SplitSummary> = {};
    for (const split of source.allSplits()) {
        const videos = source.splits().includes(split) ? source.videos(split) : [];
        const values = new Map<string, number[]>();
        const add = (label: string, value: number) => {
            const list = values.get(label);
            if (list) list.push(value);
            else values.set(label, [value]);
        };
        let labelled = 0;
        for (const video of videos) {
            const frames = (video.emotion ?? []).filter((e): e is [number, number] => e !== null);
            if (video.traits || frames.length > 0) labelled++;
            video.traits?.forEach((v, i) => add(TRAITS[i], v));
            for (const frame of frames) frame.forEach((v, i) => add(EMOTIONS[i], v));
        }
        const labels: Record<string, LabelStats> = {};
        for (const label of [...TRAITS, ...EMOTIONS]) {
            const list = values.get(label);
            if (list) labels[label] = stats(list);
        }
        splits[split] = { items: videos.length + source.unlabelled(split), labelled, labels };
    }
    return { format, root, splits, problems: source.problems() };
}

function stats(values: readonly number[]): LabelStats {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
    }
    return { mean: sum / values.length, min, max };
}

/** Problems shown in the text form; --json has them all. */
const SHOWN_PROBLEMS = 50;

export function formatInspect(report: InspectReport): string {
    const lines = [`${report.format} dataset at ${report.root}`, ''];
    const names = Object.keys(report.splits);
    if (names.length === 0) lines.push('no items found');
    else {
        const width = Math.max(5, ...names.map((n) => n.length));
        lines.push(`${'split'.padEnd(width)}  ${'items'.padStart(7)}  ${'labelled'.padStart(8)}`);
        for (const name of names) {
            const s = report.splits[name];
            lines.push(`${name.padEnd(width)}  ${String(s.items).padStart(7)}  ${String(s.labelled).padStart(8)}`);
            for (const [label, v] of Object.entries(s.labels)) {
                lines.push(`  ${label.padEnd(17)} mean ${fixed(v.mean)}  min ${fixed(v.min)}  max ${fixed(v.max)}`);
            }
        }
    }
    lines.push('');
    const { problems } = report;
    lines.push(problems.length === 0 ? 'no problems found' : `${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
    for (const p of problems.slice(0, SHOWN_PROBLEMS)) lines.push(`  ${shortPath(report.root, p.file)}: ${p.problem}`);
    if (problems.length > SHOWN_PROBLEMS) lines.push(`  ... and ${problems.length - SHOWN_PROBLEMS} more (--json lists them all)`);
    return lines.join('\n') + '\n';
}

function fixed(v: number): string {
    return (v < 0 ? '' : ' ') + v.toFixed(3);
}

function shortPath(root: string, file: string): string {
    const relative = path.relative(root, file);
    return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
