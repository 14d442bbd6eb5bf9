/**
 * ChaLearn First Impressions v2, as its zips unpack: clips `<youtube-id>.<nnn>.mp4` in any folders
 * (training80_01 ... test80_25), and annotation_training.pkl, annotation_validation.pkl and
 * annotation_test.pkl, Python 2 pickles of {trait: {clip file name: score in [0, 1]}}. Clips are
 * matched to labels by file name wherever they sit. The person is the YouTube id: the clips cut
 * from one video show one person.
 */
import * as path from 'node:path';
import { TRAITS, type DatasetSpec, type Trait } from '@persemon/language';
import {
    checkSplits, datasetRoot, FileSource, holdOutValidation, listFiles, LoadReport, openPipeline, probeAll, requireKind,
    type FoundItem, type OpenOptions,
} from './file-source.js';
import { PickleError, pythonType, readPickleFile, type PyDict, type PyKey, type PyTuple, type PyValue } from './pickle.js';
import type { DataSource } from './source.js';
import { VideoError } from './video.js';

/** The annotation files and the splits they label. */
export const CHALEARN_ANNOTATIONS: Readonly<Record<string, string>> = {
    'annotation_training.pkl': 'train',
    'annotation_validation.pkl': 'validation',
    'annotation_test.pkl': 'test',
};

/** Folder prefixes of the official zips: a clip's split when no annotation names it. */
const FOLDER_SPLITS: ReadonlyArray<[RegExp, string]> = [
    [/^training80_\d+$/, 'train'],
    [/^validation80_\d+$/, 'validation'],
    [/^test80_\d+$/, 'test'],
];

// `s`: a clip name may hold a line break, and the person is still what comes before `.NNN.mp4`.
const CLIP = /^(.+)\.(\d{3})\.mp4$/s;

/** The pickles also score 'interview' (the job-interview variable), which PersEmoN does not use. */
const IGNORED_KEYS = new Set(['interview']);

interface Labels {
    split: string;
    pickle: string;
    traits: number[];
}

export async function openChalearnSource(spec: DatasetSpec, options: OpenOptions = {}): Promise<FileSource & DataSource> {
    requireKind(spec, ['personality']);
    const root = await datasetRoot(spec);
    const report = new LoadReport();
    const { cropper, facts } = openPipeline(spec, options);
    const files = await listFiles(root);

    const clips = new Map<string, string>();
    for (const file of files) {
        const name = path.basename(file);
        if (!CLIP.test(name)) continue;
        const first = clips.get(name);
        if (first) report.problem(file, `same clip name as ${first}; only that one is used`);
        else clips.set(name, file);
    }

    const labels = new Map<string, Labels>();
    const pickles = files.filter((f) => path.basename(f) in CHALEARN_ANNOTATIONS);
    for (const name of Object.keys(CHALEARN_ANNOTATIONS)) {
        const found = pickles.filter((f) => path.basename(f) === name);
        if (found.length === 0) report.problem(path.join(root, name), 'missing annotation: no such file under the dataset folder');
        for (const extra of found.slice(1)) report.problem(extra, `a second ${name}; only ${found[0]} is used`);
        if (found.length > 0) await readAnnotation(found[0], CHALEARN_ANNOTATIONS[name], labels, report);
    }

    const items: FoundItem[] = [];
    const matched: Array<{ name: string; file: string; labels: Labels }> = [];
    for (const [name, label] of labels) {
        const file = clips.get(name);
        if (file) matched.push({ name, file, labels: label });
        else report.problem(label.pickle, `labels ${name}, which is not under the dataset folder`);
    }
    const unlabelled = [...clips].filter(([name]) => !labels.has(name));
    for (const [, file] of unlabelled) {
        report.skip('no labels', file, 'has no labels in any annotation pickle');
        const split = folderSplit(file);
        if (split) report.unlabelled(split);
    }

    const probes = await probeAll(matched.map((m) => m.file), facts);
    for (const { name, file, labels: label } of matched) {
        const info = probes.get(file);
        if (!info || info instanceof VideoError) {
            report.skip('unreadable video', file, info?.detail ?? 'could not be probed');
            continue;
        }
        if (info.damage) report.problem(file, `partly unreadable (${info.damage}); its ${info.frameCount} readable frames are used`);
        const person = (CLIP.exec(name) as RegExpExecArray)[1];
        items.push({
            split: label.split,
            video: { id: name, person, frameCount: info.frameCount, traits: label.traits },
            target: { media: { kind: 'video', file }, pick: 'largest' },
        });
    }
    reportSharedPeople(items, report, root);
    const split = holdOutValidation(items, spec, options.seed ?? 0, report, root);
    checkSplits(spec, split, report, root);
    return new FileSource(spec, split, report, cropper);
}

/** Reads one annotation pickle into `labels`; a bad pickle or score becomes a problem. */
async function readAnnotation(file: string, split: string, labels: Map<string, Labels>, report: LoadReport): Promise<void> {
    let data: PyValue;
    try {
        data = await readPickleFile(file);
    } catch (error) {
        if (error instanceof PickleError) return report.problem(file, error.detail + (error.offset === null ? '' : ` (at byte ${error.offset})`));
        throw error;
    }
    if (!(data instanceof Map)) return report.problem(file, 'is not a dict of trait -> {clip: score}');
    const byTrait = new Map<Trait, PyDict>();
    for (const [key, value] of data) {
        if (typeof key === 'string' && IGNORED_KEYS.has(key)) continue;
        if (typeof key !== 'string' || !(TRAITS as readonly string[]).includes(key)) {
            report.problem(file, `has an unknown key ${keyText(key)}; expected the traits ${TRAITS.join(', ')}`);
            continue;
        }
        if (!(value instanceof Map)) report.problem(file, `'${key}' is not a dict of clip -> score`);
        else byTrait.set(key as Trait, value);
    }
    const missing = TRAITS.filter((t) => !byTrait.has(t));
    if (missing.length > 0) return report.problem(file, `has no scores for ${missing.join(', ')}`);

    const clips = new Set<string>();
    for (const scores of byTrait.values()) for (const clip of scores.keys()) if (typeof clip === 'string') clips.add(clip);
    for (const clip of [...clips].sort()) {
        const traits: number[] = [];
        let bad: { reason: 'no labels' | 'label out of range'; text: string } | null = null;
        for (const trait of TRAITS) {
            const score = (byTrait.get(trait) as PyDict).get(clip);
            // A score that is not a number is named by its type: formatting it could walk a huge structure.
            if (score === undefined) bad ??= { reason: 'no labels', text: `has no ${trait} score for ${clip}` };
            else if (typeof score !== 'number') bad ??= { reason: 'label out of range', text: `${trait} score of ${clip} is ${pythonType(score)}, not a number` };
            else if (!(score >= 0 && score <= 1)) bad ??= { reason: 'label out of range', text: `${trait} score ${score} of ${clip} is not in [0, 1]` };
            else traits.push(score);
        }
        const earlier = labels.get(clip);
        if (bad) report.skip(bad.reason, file, `${bad.text}; the clip is skipped`);
        else if (earlier) report.problem(file, `labels ${clip} again (already in ${path.basename(earlier.pickle)}); the first is used`);
        else labels.set(clip, { split, pickle: file, traits });
    }
}

/** A dict key for a message: a string quoted and cut short, a number as is, anything else by its type. */
function keyText(key: PyKey | PyTuple): string {
    if (typeof key === 'string') return JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key);
    if (typeof key === 'number' || typeof key === 'boolean' || key === null) return String(key);
    return `(${pythonType(key)})`;
}

function folderSplit(file: string): string | undefined {
    const folders = path.dirname(file).split(path.sep);
    for (const folder of folders.reverse()) for (const [pattern, split] of FOLDER_SPLITS) if (pattern.test(folder)) return split;
    return undefined;
}

/** The official splits are by clip; say so when one YouTube id (one person) is in several. */
function reportSharedPeople(items: readonly FoundItem[], report: LoadReport, root: string): void {
    const splits = new Map<string, Set<string>>();
    for (const { split, video } of items) splits.set(video.person, (splits.get(video.person) ?? new Set()).add(split));
    const shared = [...splits].filter(([, s]) => s.size > 1);
    if (shared.length === 0) return;
    const [person, where] = shared[0];
    report.problem(
        root,
        `${shared.length} YouTube id(s) have clips in more than one split (e.g. ${person}: ${[...where].join(', ')}); the annotation files' splits are kept`
    );
}
