/**
 * What the on-disk formats (ChaLearn, Aff-Wild, Aff-Wild2, folder) share once each has found its
 * items: a DataSource whose frames come from the face pipeline, that keeps the problems it met and
 * the counts of what it read and skipped. Each format module only lists items and their labels.
 */
import { readdir, readlink, realpath, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DatasetKind, DatasetSpec, Size } from '@persemon/language';
import { mapLimit } from '../util/pool.js';
import { Random } from '../util/random.js';
import { seedHash } from '../util/seed-hash.js';
import { persemonCacheDir } from '../util/cache-dir.js';
import { CropCache, FileFacts } from './faces/cache.js';
import { FaceCropper, REASONS, type CropTarget } from './faces/crops.js';
import type { FaceDetector } from './faces/detector.js';
import type { DataCounts, DataProblem, DataSource, FaceCrop, VideoItem } from './source.js';
import { splitByPerson } from './splits.js';
import { probeVideo, VideoError, type VideoInfo } from './video.js';

export interface OpenOptions {
    /** Seeds the person-wise validation hold-out; the JobSpec's seed. Default 0. */
    seed?: number;
    /** Where aligned crops and file facts are cached. Default: persemonCacheDir(). */
    cacheDir?: string;
    /** Replaces the face-api detector, e.g. one already loaded. */
    detector?: () => Promise<FaceDetector>;
}

/** A dataset that cannot be opened at all (no folder, no annotations, wrong kind). */
export class DatasetError extends Error {
    constructor(
        readonly file: string,
        readonly detail: string
    ) {
        super(`${file}: ${detail}`);
        this.name = 'DatasetError';
    }
}

/** One usable item as a format module found it. */
export interface FoundItem {
    split: string;
    video: VideoItem;
    target: CropTarget;
}

/** Why items were left out while loading, for counts(). */
export type SkipReason =
    | 'no labels' | 'label out of range' | 'unreadable video' | 'unreadable image' | 'image too large' | 'no video' | 'not an image or video';

/** Collects problems and skipped items while a format module reads a dataset. */
export class LoadReport {
    readonly problems: DataProblem[] = [];
    readonly skipped = new Map<SkipReason, number>();
    /** Items found without labels whose split is known (a clip in a test80_ folder, a video without annotations). */
    readonly unlabelledBySplit = new Map<string, number>();

    unlabelled(split: string): void {
        this.unlabelledBySplit.set(split, (this.unlabelledBySplit.get(split) ?? 0) + 1);
    }

    private readonly seen = new Set<string>();

    /** Records a problem once, however often it is met (a bad frame read every epoch). */
    problem(file: string, problem: string): void {
        const key = `${file}\0${problem}`;
        if (this.seen.has(key)) return;
        this.seen.add(key);
        this.problems.push({ file, problem });
    }

    skip(reason: SkipReason, file: string, problem: string): void {
        this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
        this.problem(file, problem);
    }
}

export class FileSource implements DataSource {
    readonly name: string;
    readonly kind: DatasetKind;
    private readonly bySplit = new Map<string, VideoItem[]>();
    private readonly targets = new Map<string, CropTarget>();
    private readonly tally: DataCounts;
    private readonly withoutLabels: ReadonlyMap<string, number>;

    constructor(
        spec: DatasetSpec,
        items: readonly FoundItem[],
        private readonly report: LoadReport,
        private readonly cropper: FaceCropper
    ) {
        this.name = spec.name;
        this.kind = spec.kind;
        let kept = 0;
        for (const { split, video, target } of items) {
            // frames() finds an item's media by id, so an id must be unique across splits.
            if (this.targets.has(video.id)) {
                const { media } = target;
                report.problem(media.kind === 'aligned-frames' ? spec.path ?? spec.name : media.file, `a second item named ${video.id}; only the first is used`);
                continue;
            }
            kept++;
            const list = this.bySplit.get(split) ?? [];
            list.push(video);
            this.bySplit.set(split, list);
            this.targets.set(video.id, target);
        }
        this.withoutLabels = new Map(report.unlabelledBySplit);
        const reasons: Record<string, number> = Object.fromEntries(report.skipped);
        const skipped = [...report.skipped.values()].reduce((a, b) => a + b, 0);
        this.tally = { items: kept, read: 0, skipped, facesNotFound: 0, reasons };
    }

    splits(): string[] {
        return [...this.bySplit.keys()];
    }

    videos(split: string): VideoItem[] {
        const videos = this.bySplit.get(split);
        if (!videos) throw new Error(`dataset ${this.name} has no split '${split}' (it has ${this.splits().join(', ') || 'none'})`);
        return videos;
    }

    async frames(video: VideoItem, indices: number[], size: Size): Promise<Array<FaceCrop | null>> {
        const target = this.targets.get(video.id);
        if (!target) throw new Error(`dataset ${this.name} has no video ${video.id}`);
        const { outcomes, problems } = await this.cropper.crops(target, indices, size);
        for (const p of problems) this.report.problem(p.file, p.problem);
        return outcomes.map(({ crop, reason }) => {
            if (crop) this.tally.read++;
            else {
                const failure = reason ?? REASONS.noFace;
                const noFace = failure === REASONS.noFace || failure === REASONS.noFaceAtBox || failure === REASONS.noFaceOnSide;
                if (noFace) this.tally.facesNotFound++;
                else this.tally.skipped++;
                this.tally.reasons[failure] = (this.tally.reasons[failure] ?? 0) + 1;
            }
            return crop;
        });
    }

    /** Problems met while loading, and since then while reading frames. */
    problems(): DataProblem[] {
        return [...this.report.problems];
    }

    /** Items of a split left out for want of labels (they are not in videos()). */
    unlabelled(split: string): number {
        return this.withoutLabels.get(split) ?? 0;
    }

    /** Every split with items, labelled or not. */
    allSplits(): string[] {
        return [...new Set([...this.bySplit.keys(), ...this.withoutLabels.keys()])];
    }

    counts(): DataCounts {
        return { ...this.tally, reasons: { ...this.tally.reasons } };
    }
}

/** The shared parts every format opens with: cache, file facts and the face pipeline. */
export function openPipeline(spec: DatasetSpec, options: OpenOptions): { cropper: FaceCropper; facts: FileFacts } {
    const dir = options.cacheDir ?? persemonCacheDir();
    const facts = new FileFacts(dir);
    const cropper = new FaceCropper({ faces: spec.faces, cache: new CropCache(dir), facts, detector: options.detector });
    return { cropper, facts };
}

/** The dataset's folder, which must exist. */
export async function datasetRoot(spec: DatasetSpec): Promise<string> {
    if (spec.path === null) throw new DatasetError(spec.name, `a ${spec.format} dataset needs a path`);
    const root = path.resolve(spec.path);
    const info = await stat(root).catch(() => null);
    if (!info) throw new DatasetError(root, 'does not exist');
    if (!info.isDirectory()) throw new DatasetError(root, 'is not a folder');
    return root;
}

export function requireKind(spec: DatasetSpec, kinds: readonly DatasetKind[]): void {
    if (!kinds.includes(spec.kind)) {
        throw new DatasetError(spec.path ?? spec.name, `a ${spec.format} dataset gives ${kinds.join(' or ')} labels, not ${spec.kind}`);
    }
}

/**
 * Every file under `root`, recursively, sorted; dot-folders (caches, .git) are not entered. Symbolic
 * links are followed, to files and to folders (datasets are often linked in from another disk),
 * each folder entered once however many links lead to it; a link to nothing is listed, so that
 * reading it reports it.
 */
export async function listFiles(root: string): Promise<string[]> {
    const out: string[] = [];
    const entered = new Set<string>();
    const walk = async (dir: string): Promise<void> => {
        const real = await realpath(dir);
        if (entered.has(real)) return;
        entered.add(real);
        const entries = await readdir(dir, { withFileTypes: true });
        for (const entry of entries) {
            const full = path.join(dir, entry.name);
            let kind: 'file' | 'folder' | 'other' = entry.isDirectory() ? 'folder' : entry.isFile() ? 'file' : 'other';
            if (entry.isSymbolicLink()) {
                const target = await stat(full).catch(() => null);
                kind = !target || target.isFile() ? 'file' : target.isDirectory() ? 'folder' : 'other';
            }
            if (kind === 'folder') {
                if (!entry.name.startsWith('.')) await walk(full);
            } else if (kind === 'file') out.push(full);
        }
    };
    await walk(root);
    return out.sort();
}

/** Probes videos a few at a time (each is an ffmpeg process), remembering results per file. */
export async function probeAll(files: readonly string[], facts: FileFacts): Promise<Map<string, VideoInfo | VideoError>> {
    const results = new Map<string, VideoInfo | VideoError>();
    await mapLimit(files, os.availableParallelism(), async (file) => {
        try {
            results.set(file, await facts.remember('probe', file, () => probeVideo(file)));
        } catch (error) {
            if (error instanceof VideoError) results.set(file, error);
            else if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EACCES') {
                results.set(file, new VideoError(file, await unreadable(file, error as Error)));
            } else throw error;
        }
    });
    return results;
}

/** Why a file cannot be opened: a link to nothing is named as such, not as a missing clip. */
async function unreadable(file: string, error: Error): Promise<string> {
    const target = await readlink(file).catch(() => null);
    if (target !== null && (await stat(file).catch(() => null)) === null) {
        return `is a symbolic link to ${path.resolve(path.dirname(file), target)}, which does not exist`;
    }
    return `cannot be read: ${error.message}`;
}

/**
 * Moves the spec's `validation` fraction of train's people into a `validation` split, unless the
 * format shipped one (then the fraction is reported as unused).
 */
export function holdOutValidation(items: FoundItem[], spec: DatasetSpec, seed: number, report: LoadReport, root: string): FoundItem[] {
    if (spec.validation <= 0) return items;
    if (items.some((i) => i.split === 'validation')) {
        report.problem(root, `the dataset ships a validation split, so the validation fraction ${spec.validation} is not used`);
        return items;
    }
    const train = items.filter((i) => i.split === 'train');
    const people = train.map((i) => ({ person: i.video.person, item: i }));
    const { held } = splitByPerson(people, spec.validation, new Random(seedFor(seed, spec.name)));
    const moved = new Set(held.map((h) => h.item));
    return items.map((i) => (moved.has(i) ? { ...i, split: 'validation' } : i));
}

/** Each dataset gets its own draw. */
function seedFor(seed: number, name: string): number {
    return seedHash(`${seed}/${name}/validation`);
}

/** Reports the splits the spec asks for that the dataset does not have. */
export function checkSplits(spec: DatasetSpec, items: readonly FoundItem[], report: LoadReport, root: string): void {
    const have = new Set(items.map((i) => i.split));
    for (const split of spec.splits) if (!have.has(split)) report.problem(root, `has no items in split '${split}'`);
}
