/**
 * Looking for the faces in a still photograph, small ones included. One look at the whole picture
 * shrinks it to the detector's input (416 or 512 px): in a 4000x3000 phone photo a face a tenth of
 * the width becomes some 40 px there, below what the Tiny Face Detector finds, and the faces of a
 * group are smaller still. So the picture is searched as a pyramid: shrunk less at each level (to
 * about 2 and 4 detector inputs along its longer side, while that is still smaller than the
 * picture) and looked at in overlapping tiles of the detector's own input size. The search goes
 * down until a level finds faces, and by default one level further, since the faces of a group
 * differ in size; a face about a quarter the size of the largest one may be missed. A face found in a tile
 * is looked at again in its own surroundings at full resolution, so its box and landmarks are as
 * precise as in a portrait. A picture no larger than the detector's input takes one look, as
 * before; bench/faces.ts measures what a large one costs.
 */
import { areaResize, cropPixels, type Pixels, type Rect } from '../image.js';
import type { Box, DetectedFace, FaceDetector } from './detector.js';

/** Tiles share this fraction of their side with each neighbour: a face up to that size is whole in one. */
const OVERLAP = 0.25;

/** Pyramid levels after the whole picture: its longer side shrunk to about 2 and 4 detector inputs. */
const MAX_LEVELS = 2;

/** Detections overlapping by more than this part of the smaller box are one face. */
const SAME_FACE = 0.5;

/** A face found in a tile is looked at again in a square this many times its box, at full resolution. */
const SURROUNDINGS = 3;

/** The input side assumed for a detector that does not state its own. */
const DEFAULT_INPUT = 416;

export interface SearchResult {
    /** Every face found, most confident first, in the image's coordinates. */
    faces: DetectedFace[];
    /** Looks the detector took: the whole picture, every tile, every face looked at again. */
    looks: number;
}

interface Candidate {
    face: DetectedFace;
    level: number;
    /** Reaches an edge of its tile inside the picture: the face may go on beyond it. */
    cut: boolean;
}

export interface SearchOptions {
    /** Levels searched after the first that finds faces: 1 (the default) for a group's smaller faces, 0 when the largest face is all that is wanted. */
    further?: number;
}

export async function searchFaces(detector: FaceDetector, image: Pixels, options: SearchOptions = {}): Promise<SearchResult> {
    const further = options.further ?? 1;
    const input = detector.options.inputSize ?? DEFAULT_INPUT;
    const candidates: Candidate[] = (await detector.detect(image)).map((face) => ({ face, level: 0, cut: false }));
    let looks = 1;
    // Down the levels until faces are found, and `further` levels more: faces in a group differ in size.
    let firstFound = candidates.length > 0 ? 0 : -1;
    for (let level = 1; level <= MAX_LEVELS && (firstFound < 0 || level <= firstFound + further); level++) {
        const scale = (input * levelSpan(level)) / Math.max(image.width, image.height);
        if (scale >= 1) break;
        const view = areaResize(image, { width: Math.max(1, Math.round(image.width * scale)), height: Math.max(1, Math.round(image.height * scale)) });
        for (const tile of tilesOf(view, input)) {
            looks++;
            for (const face of await detector.detect(cropPixels(view, tile))) {
                candidates.push({ face: place(face, tile.x, tile.y, view.width / image.width, view.height / image.height), level, cut: touchesInnerEdge(face.box, tile, view) });
            }
        }
        if (firstFound < 0 && candidates.length > 0) firstFound = level;
    }
    const faces: DetectedFace[] = [];
    for (const { face, level } of merge(candidates)) {
        if (level === 0) faces.push(face);
        else {
            looks++;
            faces.push(await lookAgain(detector, image, face));
        }
    }
    return { faces: faces.sort((a, b) => b.score - a.score), looks };
}

/** Detector inputs along the picture's longer side at a level: tiles overlapping by OVERLAP, 2^level of them. */
function levelSpan(level: number): number {
    return 1 + (2 ** level - 1) * (1 - OVERLAP);
}

/** Square tiles of `side` (or the view's side, where it is smaller) covering the view, overlapping by at least OVERLAP. */
export function tilesOf(view: { width: number; height: number }, side: number): Rect[] {
    const tiles: Rect[] = [];
    for (const y of starts(view.height, side)) {
        for (const x of starts(view.width, side)) tiles.push({ x, y, width: Math.min(side, view.width), height: Math.min(side, view.height) });
    }
    return tiles;
}

/** Tile starts along one axis of `length`, evenly spread. */
function starts(length: number, side: number): number[] {
    if (side >= length) return [0];
    const n = Math.ceil((length - side * OVERLAP) / (side * (1 - OVERLAP)));
    return Array.from({ length: n }, (_, i) => Math.round((i * (length - side)) / (n - 1)));
}

/** A face found in a tile at (dx, dy) of a view shrunk by (sx, sy), in the full image's coordinates. */
function place(face: DetectedFace, dx: number, dy: number, sx: number, sy: number): DetectedFace {
    const move = <P extends { x: number; y: number }>(p: P): P => ({ ...p, x: (p.x + dx) / sx, y: (p.y + dy) / sy });
    const box = move(face.box);
    return {
        ...face,
        box: { ...box, width: face.box.width / sx, height: face.box.height / sy },
        landmarks68: face.landmarks68.map(move),
        landmarks5: face.landmarks5.map(move) as unknown as DetectedFace['landmarks5'],
    };
}

/** The same face found in its surroundings at full resolution; the tile's finding if it is not found there. */
async function lookAgain(detector: FaceDetector, image: Pixels, face: DetectedFace): Promise<DetectedFace> {
    const side = SURROUNDINGS * Math.max(face.box.width, face.box.height);
    const cx = face.box.x + face.box.width / 2;
    const cy = face.box.y + face.box.height / 2;
    const x0 = clamp(Math.floor(cx - side / 2), 0, image.width - 1);
    const y0 = clamp(Math.floor(cy - side / 2), 0, image.height - 1);
    const x1 = clamp(Math.ceil(cx + side / 2), x0 + 1, image.width);
    const y1 = clamp(Math.ceil(cy + side / 2), y0 + 1, image.height);
    const found = (await detector.detect(cropPixels(image, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }))).map((f) => place(f, x0, y0, 1, 1));
    let best: DetectedFace | undefined;
    for (const f of found) if (overlapOfSmaller(f.box, face.box) > SAME_FACE && (!best || f.score > best.score)) best = f;
    return best ?? face;
}

function clamp(v: number, lo: number, hi: number): number {
    return Math.min(Math.max(v, lo), hi);
}

function touchesInnerEdge(box: Box, tile: Rect, view: { width: number; height: number }): boolean {
    const margin = 0.01 * Math.max(tile.width, tile.height);
    return (
        (tile.x > 0 && box.x <= margin) ||
        (tile.y > 0 && box.y <= margin) ||
        (tile.x + tile.width < view.width && box.x + box.width >= tile.width - margin) ||
        (tile.y + tile.height < view.height && box.y + box.height >= tile.height - margin)
    );
}

/**
 * One finding per face. Of findings that overlap, a face whole in its tile goes before one cut by
 * its tile's edge, a coarser level (the whole picture first) before a finer one, then the more confident.
 */
function merge(candidates: readonly Candidate[]): Candidate[] {
    const ranked = [...candidates].sort((a, b) => Number(a.cut) - Number(b.cut) || a.level - b.level || b.face.score - a.face.score);
    const kept: Candidate[] = [];
    for (const c of ranked) if (!kept.some((k) => overlapOfSmaller(k.face.box, c.face.box) > SAME_FACE)) kept.push(c);
    return kept;
}

function overlapOfSmaller(a: Box, b: Box): number {
    const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
    const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
    if (w <= 0 || h <= 0) return 0;
    return (w * h) / Math.min(a.width * a.height, b.width * b.height);
}
