/** The predict page: the picture (or video) with face boxes, and the predictions in tables. */
import { TRAITS } from '@persemon/runtime/events';
import type { FacePrediction, PersonalityPrediction, PredictHostMessage, PredictPageMessage, PredictResult } from '../../src/predict/messages.js';
import { element, vscodeApi } from './vscode-api.js';

const api = vscodeApi<PredictPageMessage, never>();
const app = document.getElementById('app')!;
let mediaUrl: string | undefined;

const num = (value: number | undefined | null, digits = 3) => (value === undefined || value === null ? '–' : value.toFixed(digits));

function personalityTable(personality: PersonalityPrediction): HTMLTableElement {
    const predictors = (['fused', 'pam', 'ram'] as const).filter(p => personality[p]);
    return element('table', { className: 'results' },
        element('thead', {}, element('tr', {}, element('th', { textContent: 'Trait' }),
            ...predictors.map(p => element('th', { textContent: p === 'fused' ? 'PAM+RAM' : p.toUpperCase() })))),
        element('tbody', {}, ...TRAITS.map(trait => element('tr', {},
            element('td', { textContent: trait }),
            ...predictors.map(p => element('td', { textContent: num(personality[p]?.[trait]) }))))));
}

/** A run with EAM or PAM and RAM switched off predicts less: show what there is. */
function faceSection(face: FacePrediction, index: number): HTMLElement {
    const parts: HTMLElement[] = [element('h3', { textContent: `Face ${index + 1}` })];
    if (face.arousal !== undefined) parts.push(element('p', { textContent: `arousal ${num(face.arousal)} · valence ${num(face.valence)}` }));
    if (face.personality) parts.push(personalityTable(face.personality));
    return element('section', { className: 'face' }, ...parts);
}

/** Boxes over the shown picture, scaled from the image's pixels to its displayed size. */
function overlay(stage: HTMLElement, media: HTMLImageElement | HTMLVideoElement, faces: () => FacePrediction[]): void {
    const layer = element('div', { className: 'boxes' });
    stage.append(layer);
    const place = () => {
        const naturalW = media instanceof HTMLImageElement ? media.naturalWidth : media.videoWidth;
        const scale = naturalW ? media.clientWidth / naturalW : 1;
        layer.replaceChildren(...faces().map((face, i) => {
            const box = element('div', { className: 'box', textContent: String(i + 1) });
            Object.assign(box.style, {
                left: `${face.box.x * scale}px`, top: `${face.box.y * scale}px`,
                width: `${face.box.width * scale}px`, height: `${face.box.height * scale}px`
            });
            return box;
        }));
    };
    media.addEventListener(media instanceof HTMLImageElement ? 'load' : 'loadedmetadata', place);
    if (media instanceof HTMLVideoElement) media.addEventListener('timeupdate', place);
    new ResizeObserver(place).observe(media);
}

function show(run: string, result: PredictResult, media?: { mime: string; bytes: Uint8Array }): void {
    if (mediaUrl) URL.revokeObjectURL(mediaUrl);
    mediaUrl = undefined;
    const parts: HTMLElement[] = [element('h2', { textContent: result.source }), element('p', { className: 'facts', textContent: `model: ${run}` })];
    if (media) {
        mediaUrl = URL.createObjectURL(new Blob([media.bytes as BlobPart], { type: media.mime }));
        const stage = element('div', { className: 'stage' });
        if (media.mime.startsWith('video/') && result.frames) {
            const frames = result.frames;
            const video = element('video', { src: mediaUrl, controls: true });
            stage.append(video);
            // The boxes of the sampled frame nearest the playhead.
            // Frames without a known time (no frame rate in the file) cannot follow the playhead.
            const timed = frames.filter(f => f.time !== null);
            overlay(stage, video, () => timed.reduce((best, f) => Math.abs(f.time! - video.currentTime) < Math.abs(best.time! - video.currentTime) ? f : best, timed[0])?.faces ?? []);
        } else {
            const image = element('img', { src: mediaUrl, alt: result.source });
            stage.append(image);
            overlay(stage, image, () => result.faces);
        }
        parts.push(stage);
    }
    if (result.personality) parts.push(element('h3', { textContent: 'Video-level personality' }), personalityTable(result.personality));
    if (result.faces.length === 0 && !result.frames?.length) parts.push(element('p', { textContent: 'No face found.' }));
    parts.push(...result.faces.map(faceSection));
    if (result.frames) {
        parts.push(element('h3', { textContent: 'Frames' }), element('table', { className: 'results' },
            element('thead', {}, element('tr', {}, ...['Frame', 'Time (s)', 'Faces', 'Arousal', 'Valence'].map(t => element('th', { textContent: t })))),
            element('tbody', {}, ...result.frames.map(f => element('tr', {},
                element('td', { textContent: String(f.index) }), element('td', { textContent: num(f.time, 2) }),
                element('td', { textContent: String(f.faces.length) }),
                element('td', { textContent: num(f.faces[0]?.arousal) }),
                element('td', { textContent: num(f.faces[0]?.valence) }))))));
    }
    app.replaceChildren(...parts);
}

window.addEventListener('message', (event: MessageEvent<PredictHostMessage>) => {
    const message = event.data;
    if (message.type === 'show') show(message.run, message.result, message.media);
    else app.replaceChildren(element('p', { textContent: 'This prediction was made before the window reloaded. Run “PersEmoN: Predict on Image or Video…” again.' }));
});

api.postMessage({ type: 'ready' });
