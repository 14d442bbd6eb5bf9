/**
 * Draws one synthetic frontal face with @napi-rs/canvas. Faces have shading, ears, hair, eye whites
 * with iris and pupil, brows, a nose and lips because flat cartoon faces are missed by the face
 * detectors (found by trying both on drawn faces); the expression follows arousal and valence.
 *
 * Geometry lives in "face units": the origin is midway between the eye centres, y points down and
 * the distance between the eye centres is 1, as in the SphereFace alignment template.
 */
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Size } from '@persemon/language';
import { Random } from '../../util/random.js';

export type RGB = [number, number, number];

/** What makes one person look like themself; fixed for all their clips. */
export interface Identity {
    /** Half-width of the head at the cheekbones. */
    headWidth: number;
    /** y of the top of the skull (negative) and of the chin. */
    crown: number;
    chin: number;
    /** Width of the jaw towards the chin: small is pointed, large is square. */
    jaw: number;
    skin: RGB;
    hair: RGB;
    hairStyle: 'short' | 'long' | 'cropped';
    /** y of the hairline at the middle of the forehead. */
    hairline: number;
    /** Half-width of one eye. */
    eyeSize: number;
    iris: RGB;
    browThickness: number;
    /** y of the nose tip and half-width of the nostrils. */
    noseY: number;
    noseWidth: number;
    /** y of the mouth line and half-width of the mouth at rest. */
    mouthY: number;
    mouthWidth: number;
    lips: RGB;
    lipThickness: number;
    earSize: number;
    clothes: RGB;
}

/** What changes from frame to frame: arousal and valence in [-1, 1], gaze in about [-1, 1]. */
export interface Expression {
    arousal: number;
    valence: number;
    gazeX: number;
    gazeY: number;
}

/** The photographic conditions of a clip: what differs between the two datasets' domains. */
export interface Look {
    /** Background colour at the top and at the bottom. */
    backgroundTop: RGB;
    backgroundBottom: RGB;
    /** Where the light comes from, in face units relative to the face centre. */
    light: [number, number];
    /** 0 flat, 1 strong shading. */
    contrast: number;
    /** Per-channel gain and an added brightness, applied to the finished image. */
    cast: RGB;
    brightness: number;
    /** Standard deviation of pixel noise, in 0..255 units. */
    noise: number;
    /** Scale and offset (face units) on top of the framing: slight misalignment. */
    scale: number;
    offset: [number, number];
}

/** `aligned`: eyes and mouth where SphereFace's template puts them; `portrait`: the whole head with margins. */
export type Framing = 'aligned' | 'portrait';

export const NEUTRAL_LOOK: Look = {
    backgroundTop: [150, 152, 158],
    backgroundBottom: [110, 112, 118],
    light: [-0.4, -0.8],
    contrast: 0.5,
    cast: [1, 1, 1],
    brightness: 0,
    noise: 2,
    scale: 1,
    offset: [0, 0]
};

const SKIN_TONES: RGB[] = [
    [255, 224, 200],
    [240, 196, 160],
    [224, 172, 128],
    [198, 140, 96],
    [150, 100, 66],
    [100, 66, 44]
];
const HAIR_COLOURS: RGB[] = [
    [30, 24, 20],
    [70, 45, 30],
    [120, 80, 45],
    [190, 150, 90],
    [150, 70, 35],
    [150, 150, 150]
];
const IRIS_COLOURS: RGB[] = [
    [90, 55, 30],
    [60, 100, 150],
    [80, 120, 70],
    [130, 100, 50]
];

/** A plausible random identity. */
export function randomIdentity(random: Random): Identity {
    const between = (lo: number, hi: number) => lo + (hi - lo) * random.next();
    const pick = <T>(items: T[]) => items[random.int(0, items.length)];
    const tone = between(0, SKIN_TONES.length - 1);
    const skin = mix(SKIN_TONES[Math.floor(tone)], SKIN_TONES[Math.ceil(tone)], tone % 1);
    const styles: Identity['hairStyle'][] = ['short', 'long', 'cropped'];
    return {
        headWidth: between(1.0, 1.2),
        crown: between(-1.95, -1.75),
        chin: between(1.6, 1.8),
        jaw: between(0.55, 0.85),
        skin,
        hair: pick(HAIR_COLOURS),
        hairStyle: pick(styles),
        hairline: between(-1.2, -0.95),
        eyeSize: between(0.2, 0.24),
        iris: pick(IRIS_COLOURS),
        browThickness: between(0.06, 0.1),
        noseY: between(0.52, 0.62),
        noseWidth: between(0.16, 0.22),
        mouthY: between(1.08, 1.18),
        mouthWidth: between(0.36, 0.44),
        lips: mix(skin, [180, 60, 70], between(0.35, 0.55)),
        lipThickness: between(0.06, 0.09),
        earSize: between(0.26, 0.32),
        clothes: [random.int(30, 220), random.int(30, 220), random.int(30, 220)]
    };
}

const canvases = new Map<string, { canvas: Canvas; ctx: SKRSContext2D }>();

/** A reused canvas per size: creating one costs more than drawing a small face. */
function canvasFor(size: Size): SKRSContext2D {
    const key = `${size.width}x${size.height}`;
    let entry = canvases.get(key);
    if (!entry) {
        const canvas = createCanvas(size.width, size.height);
        entry = { canvas, ctx: canvas.getContext('2d') };
        canvases.set(key, entry);
    }
    return entry.ctx;
}

/**
 * What does not change within a clip, drawn once per identity, look, size and framing (about half
 * the drawing), kept for the most recently used few hundred.
 */
const stills = new Map<string, Canvas>();
const STILLS_KEPT = 256;
const objectIds = new WeakMap<object, number>();
let objectCount = 0;

function objectId(o: object): number {
    let id = objectIds.get(o);
    if (id === undefined) objectIds.set(o, (id = ++objectCount));
    return id;
}

function still(identity: Identity, look: Look, size: Size, framing: Framing): Canvas {
    const key = `${objectId(identity)}/${objectId(look)}/${size.width}x${size.height}/${framing}`;
    let canvas = stills.get(key);
    if (canvas) {
        stills.delete(key);
    } else {
        canvas = createCanvas(size.width, size.height);
        drawStill(canvas.getContext('2d'), identity, look, size, framing);
        if (stills.size >= STILLS_KEPT) stills.delete(stills.keys().next().value!);
    }
    stills.set(key, canvas);
    return canvas;
}

function drawStill(ctx: SKRSContext2D, identity: Identity, look: Look, size: Size, framing: Framing): void {
    const sky = ctx.createLinearGradient(0, 0, 0, size.height);
    sky.addColorStop(0, css(look.backgroundTop));
    sky.addColorStop(1, css(look.backgroundBottom));
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, size.width, size.height);
    const [s, cx, cy] = frame(identity, framing, size, look);
    ctx.setTransform(s, 0, 0, s, cx, cy);
    drawBody(ctx, identity, look);
    drawHairBack(ctx, identity);
    drawEars(ctx, identity, look);
    drawHead(ctx, identity, look);
    drawHairFront(ctx, identity);
    for (const side of [-1, 1]) drawSocket(ctx, identity, side);
    drawNose(ctx, identity);
}

/**
 * One frame as RGBA bytes at `size`. `noiseSeed` makes the pixel noise reproducible per frame.
 */
export function renderFrame(
    identity: Identity,
    expression: Expression,
    look: Look,
    size: Size,
    framing: Framing,
    noiseSeed: number
): Uint8ClampedArray {
    const { width: w, height: h } = size;
    if (!(Number.isInteger(w) && Number.isInteger(h) && w > 0 && h > 0)) throw new Error(`bad frame size ${w}x${h}`);
    const ctx = canvasFor(size);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(still(identity, look, size, framing), 0, 0);
    const [s, cx, cy] = frame(identity, framing, size, look);
    ctx.setTransform(s, 0, 0, s, cx, cy);
    drawCheeks(ctx, expression);
    for (const side of [-1, 1]) drawEye(ctx, identity, expression, side);
    for (const side of [-1, 1]) drawBrow(ctx, identity, expression, side);
    drawMouth(ctx, identity, expression);

    const pixels = ctx.getImageData(0, 0, w, h).data;
    develop(pixels, look, noiseSeed);
    return pixels;
}

export interface Point {
    x: number;
    y: number;
}

/** Where a frame's face was drawn, in pixels: the skin of the head and the five alignment points. */
export interface FaceGeometry {
    head: { x: number; y: number; width: number; height: number };
    /** Image-left eye first, as a face detector's landmarks list them. */
    eyes: [Point, Point];
    nose: Point;
    mouth: [Point, Point];
}

export function faceGeometry(identity: Identity, expression: Expression, look: Look, size: Size, framing: Framing): FaceGeometry {
    const [s, cx, cy] = frame(identity, framing, size, look);
    const at = (x: number, y: number): Point => ({ x: cx + x * s, y: cy + y * s });
    const [mw, corner] = mouthCorner(identity, expression);
    const top = at(-identity.headWidth, identity.crown);
    return {
        head: { x: top.x, y: top.y, width: 2 * identity.headWidth * s, height: (identity.chin - identity.crown) * s },
        eyes: [at(-0.5, 0), at(0.5, 0)],
        nose: at(0, identity.noseY),
        mouth: [at(-mw, corner), at(mw, corner)]
    };
}

/** Pixels per face unit and the image position of the face origin. */
function frame(id: Identity, framing: Framing, size: Size, look: Look): [number, number, number] {
    const { width: w, height: h } = size;
    if (framing === 'aligned') {
        // Template 96x112: eyes 35.2 px apart at y 51.6, so 96/35.2 and 112/35.2 face units fit.
        const s = Math.min(w / 2.727, h / 3.182) * look.scale;
        return [s, w / 2 + look.offset[0] * s, 0.461 * h + look.offset[1] * s];
    }
    const headHeight = id.chin - id.crown + 0.2;
    const s = Math.min((0.6 * h) / headHeight, (0.75 * w) / (2 * id.headWidth + 0.6)) * look.scale;
    const middle = (id.chin + id.crown) / 2;
    return [s, w / 2 + look.offset[0] * s, 0.46 * h - middle * s + look.offset[1] * s];
}

function drawBody(ctx: SKRSContext2D, id: Identity, look: Look): void {
    ctx.fillStyle = css(shade(id.clothes, 0.9));
    ctx.beginPath();
    ctx.ellipse(0, id.chin + 2.1, 2.4, 1.5, 0, 0, 2 * Math.PI);
    ctx.fill();
    const neck = ctx.createLinearGradient(0, id.chin - 0.4, 0, id.chin + 0.9);
    neck.addColorStop(0, css(shade(id.skin, 1 - 0.5 * look.contrast)));
    neck.addColorStop(1, css(shade(id.skin, 0.9)));
    ctx.fillStyle = neck;
    ctx.fillRect(-0.5, 0.6, 1.0, id.chin + 0.4);
}

function drawHairBack(ctx: SKRSContext2D, id: Identity): void {
    if (id.hairStyle !== 'long') return;
    ctx.fillStyle = css(shade(id.hair, 0.8));
    ctx.beginPath();
    const w = id.headWidth + 0.28;
    ctx.moveTo(-w, id.chin + 0.2);
    ctx.bezierCurveTo(-w - 0.1, -0.8, -w * 0.7, id.crown - 0.25, 0, id.crown - 0.25);
    ctx.bezierCurveTo(w * 0.7, id.crown - 0.25, w + 0.1, -0.8, w, id.chin + 0.2);
    ctx.closePath();
    ctx.fill();
}

function drawEars(ctx: SKRSContext2D, id: Identity, look: Look): void {
    for (const side of [-1, 1]) {
        const x = side * (id.headWidth - 0.04);
        const lit = side * look.light[0] > 0 ? 1 : 1 - 0.25 * look.contrast;
        ctx.fillStyle = css(shade(id.skin, 0.92 * lit));
        ctx.beginPath();
        ctx.ellipse(x, 0.25, 0.16, id.earSize, side * 0.15, 0, 2 * Math.PI);
        ctx.fill();
        ctx.strokeStyle = css(shade(id.skin, 0.65 * lit));
        ctx.lineWidth = 0.04;
        ctx.beginPath();
        ctx.ellipse(x + side * 0.03, 0.25, 0.08, id.earSize * 0.65, side * 0.15, 0, 2 * Math.PI);
        ctx.stroke();
    }
}

/** An egg-shaped head lit from `look.light`, darker towards the edges. */
function headPath(ctx: SKRSContext2D, id: Identity, grow = 0): void {
    const w = id.headWidth + grow;
    const top = id.crown - grow;
    const chin = id.chin + grow;
    ctx.beginPath();
    ctx.moveTo(0, top);
    ctx.bezierCurveTo(0.62 * w, top, w, 0.6 * top, w, -0.15);
    ctx.bezierCurveTo(w, 0.55, id.jaw + grow, chin, 0, chin);
    ctx.bezierCurveTo(-id.jaw - grow, chin, -w, 0.55, -w, -0.15);
    ctx.bezierCurveTo(-w, 0.6 * top, -0.62 * w, top, 0, top);
    ctx.closePath();
}

function drawHead(ctx: SKRSContext2D, id: Identity, look: Look): void {
    const [lx, ly] = look.light;
    const glow = ctx.createRadialGradient(0.35 * lx, 0.3 * ly - 0.2, 0.1, 0, 0.1, 2.3);
    glow.addColorStop(0, css(shade(id.skin, 1 + 0.12 * look.contrast)));
    glow.addColorStop(0.55, css(id.skin));
    glow.addColorStop(1, css(shade(id.skin, 1 - 0.55 * look.contrast)));
    ctx.fillStyle = glow;
    headPath(ctx, id);
    ctx.fill();
}

function drawHairFront(ctx: SKRSContext2D, id: Identity): void {
    const w = id.headWidth + 0.06;
    const top = id.crown - (id.hairStyle === 'cropped' ? 0.04 : 0.14);
    const side = id.hairStyle === 'long' ? 0.1 : id.hairStyle === 'short' ? -0.35 : -0.6;
    const line = id.hairStyle === 'cropped' ? id.hairline - 0.2 : id.hairline;
    const g = ctx.createLinearGradient(0, top, 0, line);
    g.addColorStop(0, css(shade(id.hair, 1.15)));
    g.addColorStop(1, css(shade(id.hair, 0.85)));
    ctx.fillStyle = g;
    ctx.beginPath();
    ctx.moveTo(-w, side);
    ctx.bezierCurveTo(-w - 0.02, 0.55 * top, -0.62 * w, top, 0, top);
    ctx.bezierCurveTo(0.62 * w, top, w + 0.02, 0.55 * top, w, side);
    ctx.lineTo(w - 0.16, side);
    ctx.quadraticCurveTo(w - 0.2, line + 0.1, 0.3, line);
    ctx.quadraticCurveTo(0, line + 0.12, -0.3, line);
    ctx.quadraticCurveTo(-w + 0.2, line + 0.1, -w + 0.16, side);
    ctx.closePath();
    ctx.fill();
}

function drawCheeks(ctx: SKRSContext2D, e: Expression): void {
    const warmth = 0.1 + 0.12 * Math.max(e.valence, 0);
    for (const side of [-1, 1]) {
        const g = ctx.createRadialGradient(side * 0.6, 0.65, 0, side * 0.6, 0.65, 0.35);
        g.addColorStop(0, `rgba(210,90,90,${warmth})`);
        g.addColorStop(1, 'rgba(210,90,90,0)');
        ctx.fillStyle = g;
        ctx.fillRect(side * 0.6 - 0.35, 0.3, 0.7, 0.7);
    }
}

/** An almond of half-width `ew` whose upper and lower lids open by `up` and `down`. */
function eyePath(ctx: SKRSContext2D, x: number, ew: number, up: number, down: number): void {
    ctx.beginPath();
    ctx.moveTo(x - ew, 0);
    ctx.quadraticCurveTo(x, -2 * up, x + ew, 0);
    ctx.quadraticCurveTo(x, 2 * down, x - ew, 0);
    ctx.closePath();
}

function drawEye(ctx: SKRSContext2D, id: Identity, e: Expression, side: number): void {
    const x = side * 0.5;
    const ew = id.eyeSize;
    // Arousal opens the eyes wide; calm or tired faces have heavy lids.
    const open = clamp(0.75 + 0.35 * e.arousal, 0.4, 1.1);
    const up = ew * 0.5 * open;
    const down = ew * 0.32 * Math.min(1, 0.6 + 0.4 * open) * (1 - 0.25 * Math.max(e.valence, 0));

    ctx.save();
    eyePath(ctx, x, ew, up, down);
    ctx.fillStyle = 'rgb(245,243,238)';
    ctx.fill();
    ctx.clip();
    const ir = ew * 0.5;
    const ix = x + clamp(e.gazeX, -1, 1) * ew * 0.4;
    const iy = clamp(e.gazeY, -1, 1) * ew * 0.15;
    const iris = ctx.createRadialGradient(ix, iy, 0, ix, iy, ir);
    iris.addColorStop(0, css(shade(id.iris, 1.3)));
    iris.addColorStop(0.8, css(id.iris));
    iris.addColorStop(1, css(shade(id.iris, 0.45)));
    ctx.fillStyle = iris;
    ctx.beginPath();
    ctx.arc(ix, iy, ir, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = 'rgb(12,10,10)';
    ctx.beginPath();
    ctx.arc(ix, iy, ir * 0.45, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = 'rgba(255,255,255,0.9)';
    ctx.beginPath();
    ctx.arc(ix - ir * 0.35, iy - ir * 0.35, ir * 0.2, 0, 2 * Math.PI);
    ctx.fill();
    ctx.restore();

    // Lash line above, a thin lid below and the crease of the upper lid.
    ctx.lineCap = 'round';
    ctx.strokeStyle = 'rgb(35,25,22)';
    ctx.lineWidth = 0.05;
    ctx.beginPath();
    ctx.moveTo(x - ew * 1.05, 0.01);
    ctx.quadraticCurveTo(x, -2 * up - 0.01, x + ew * 1.05, 0.01);
    ctx.stroke();
    ctx.strokeStyle = css(shade(id.skin, 0.6));
    ctx.lineWidth = 0.018;
    ctx.beginPath();
    ctx.moveTo(x - ew, 0);
    ctx.quadraticCurveTo(x, 2 * down, x + ew, 0);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(x - ew * 0.9, -up * 0.4 - 0.05);
    ctx.quadraticCurveTo(x, -2 * up - 0.12, x + ew * 0.9, -up * 0.4 - 0.05);
    ctx.stroke();
}

/** The shadow of the eye socket, under the eye. */
function drawSocket(ctx: SKRSContext2D, id: Identity, side: number): void {
    const x = side * 0.5;
    const ew = id.eyeSize;
    const socket = ctx.createRadialGradient(x, -0.05, 0.05, x, -0.05, ew * 1.9);
    socket.addColorStop(0, css(shade(id.skin, 0.75), 0.55));
    socket.addColorStop(1, css(shade(id.skin, 0.75), 0));
    ctx.fillStyle = socket;
    ctx.fillRect(x - ew * 1.9, -0.05 - ew * 1.9, ew * 3.8, ew * 3.8);

}

function drawBrow(ctx: SKRSContext2D, id: Identity, e: Expression, side: number): void {
    // Arousal raises both brows; negative valence pulls the inner ends down into a frown.
    const y = -0.36 - 0.1 * e.arousal;
    const inner = y + 0.09 * -e.valence;
    const outer = y + 0.03;
    ctx.strokeStyle = css(shade(id.hair, 0.7));
    ctx.lineCap = 'round';
    ctx.lineWidth = id.browThickness;
    ctx.beginPath();
    ctx.moveTo(side * 0.2, inner);
    ctx.quadraticCurveTo(side * 0.5, y - 0.1, side * 0.8, outer);
    ctx.stroke();
}

function drawNose(ctx: SKRSContext2D, id: Identity): void {
    const y = id.noseY;
    const nw = id.noseWidth;
    const dark = shade(id.skin, 0.6);
    ctx.lineCap = 'round';
    ctx.strokeStyle = css(dark, 0.55);
    ctx.lineWidth = 0.035;
    for (const side of [-1, 1]) {
        ctx.beginPath();
        ctx.moveTo(side * 0.1, -0.05);
        ctx.quadraticCurveTo(side * 0.13, y - 0.3, side * nw * 0.9, y - 0.08);
        ctx.stroke();
        ctx.beginPath();
        ctx.arc(side * nw * 0.85, y + 0.02, 0.07, -Math.PI / 2, Math.PI / 2, side < 0);
        ctx.stroke();
    }
    const tip = ctx.createRadialGradient(0, y - 0.05, 0, 0, y - 0.05, 0.14);
    tip.addColorStop(0, css(shade(id.skin, 1.12), 0.9));
    tip.addColorStop(1, css(shade(id.skin, 1.12), 0));
    ctx.fillStyle = tip;
    ctx.fillRect(-0.14, y - 0.19, 0.28, 0.28);
    ctx.fillStyle = css(shade(id.skin, 0.35));
    for (const side of [-1, 1]) {
        ctx.beginPath();
        ctx.ellipse(side * 0.085, y + 0.05, 0.055, 0.028, side * 0.3, 0, 2 * Math.PI);
        ctx.fill();
    }
}

/** Half-width of the mouth and height of its corners: valence widens and lifts them into a smile, or drops them. */
function mouthCorner(id: Identity, e: Expression): [number, number] {
    const v = e.valence;
    return [id.mouthWidth * (1 + 0.15 * Math.max(v, 0) - 0.05 * Math.max(-v, 0)), id.mouthY - 0.12 * v];
}

function drawMouth(ctx: SKRSContext2D, id: Identity, e: Expression): void {
    const v = e.valence;
    const [mw, corner] = mouthCorner(id, e);
    const middle = id.mouthY + 0.03 * v;
    // Arousal opens it.
    const open = clamp(0.2 * (e.arousal + 0.35), 0, 0.22);
    const topInner = middle - open * 0.35;
    const bottomInner = middle + open * 0.65;
    const t = id.lipThickness;
    const through = (mid: number) => 2 * mid - corner;

    // Smile lines from the nostrils to the mouth corners.
    if (v > 0) {
        ctx.strokeStyle = css(shade(id.skin, 0.65), 0.5 * v);
        ctx.lineWidth = 0.025;
        for (const side of [-1, 1]) {
            ctx.beginPath();
            ctx.moveTo(side * (id.noseWidth + 0.08), id.noseY + 0.02);
            ctx.quadraticCurveTo(side * (mw + 0.14), (id.noseY + corner) / 2, side * (mw + 0.05), corner - 0.02);
            ctx.stroke();
        }
    }

    if (open > 0.01) {
        ctx.fillStyle = 'rgb(70,20,28)';
        ctx.beginPath();
        ctx.moveTo(-mw, corner);
        ctx.quadraticCurveTo(0, through(topInner), mw, corner);
        ctx.quadraticCurveTo(0, through(bottomInner), -mw, corner);
        ctx.fill();
        ctx.save();
        ctx.clip();
        ctx.fillStyle = 'rgb(240,238,228)';
        ctx.fillRect(-mw, topInner - 0.1, 2 * mw, 0.1 + Math.min(open * 0.45, 0.07));
        ctx.restore();
    }

    // Upper lip with a cupid's bow, then the fuller lower lip.
    ctx.fillStyle = css(shade(id.lips, 0.85));
    ctx.beginPath();
    ctx.moveTo(-mw, corner);
    ctx.bezierCurveTo(-0.55 * mw, through(middle - 1.2 * t) * 0.5 + corner * 0.5, -0.18, middle - 1.5 * t, 0, middle - 1.1 * t);
    ctx.bezierCurveTo(0.18, middle - 1.5 * t, 0.55 * mw, through(middle - 1.2 * t) * 0.5 + corner * 0.5, mw, corner);
    ctx.quadraticCurveTo(0, through(topInner), -mw, corner);
    ctx.fill();
    const lower = ctx.createLinearGradient(0, bottomInner, 0, bottomInner + 1.6 * t);
    lower.addColorStop(0, css(id.lips));
    lower.addColorStop(0.4, css(shade(id.lips, 1.12)));
    lower.addColorStop(1, css(shade(id.lips, 0.8)));
    ctx.fillStyle = lower;
    ctx.beginPath();
    ctx.moveTo(-mw, corner);
    ctx.quadraticCurveTo(0, through(bottomInner), mw, corner);
    ctx.quadraticCurveTo(0, through(bottomInner + 1.5 * t), -mw, corner);
    ctx.fill();
    ctx.strokeStyle = 'rgb(80,30,35)';
    ctx.lineWidth = 0.02;
    ctx.beginPath();
    ctx.moveTo(-mw, corner);
    ctx.quadraticCurveTo(0, through(topInner), mw, corner);
    ctx.stroke();
}

/** Camera and lighting on the finished image: colour cast, brightness and noise. */
function develop(pixels: Uint8ClampedArray, look: Look, noiseSeed: number): void {
    const [gr, gg, gb] = look.cast;
    const add = look.brightness;
    // The sum of two 16-bit uniforms from one draw, scaled to the wanted standard deviation: much
    // cheaper than Gaussian noise and as good for a camera's grain.
    const amp = (look.noise * Math.sqrt(6)) / 65536;
    const random = new Random(noiseSeed);
    for (let i = 0; i < pixels.length; i += 4) {
        const u = random.uint32();
        const n = amp * ((u & 0xffff) + (u >>> 16) - 65535);
        pixels[i] = pixels[i] * gr + add + n;
        pixels[i + 1] = pixels[i + 1] * gg + add + n;
        pixels[i + 2] = pixels[i + 2] * gb + add + n;
    }
}

export function mix(a: RGB, b: RGB, t: number): RGB {
    return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function shade(c: RGB, k: number): RGB {
    return [c[0] * k, c[1] * k, c[2] * k];
}

function css(c: RGB, alpha = 1): string {
    const b = (x: number) => Math.round(clamp(x, 0, 255));
    return alpha === 1 ? `rgb(${b(c[0])},${b(c[1])},${b(c[2])})` : `rgba(${b(c[0])},${b(c[1])},${b(c[2])},${alpha})`;
}

function clamp(x: number, lo: number, hi: number): number {
    return Math.min(hi, Math.max(lo, x));
}
