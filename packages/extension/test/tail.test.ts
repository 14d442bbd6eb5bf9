import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunEvent } from '../src/runner/events.js';
import { EventTail, readEvents } from '../src/runner/tail.js';

const event = (step: number) => `${JSON.stringify({ type: 'train', time: 't', step, lr: 0.01, images_per_s: 1, loss: { total: 1, per: 0, emo: 0, d: 0, adv: 0, ram: 0 } })}\n`;

/** Resolves once `predicate` holds for the steps received: the tail's own signal, no fixed sleep. */
function collector() {
    const steps: number[] = [];
    const waiters: { predicate: () => boolean; resolve: () => void }[] = [];
    const listener = (events: RunEvent[]) => {
        steps.push(...events.map(e => e.step));
        for (const w of waiters.splice(0)) (w.predicate() ? w.resolve() : waiters.push(w));
    };
    const until = (predicate: () => boolean) => new Promise<void>(resolve => (predicate() ? resolve() : waiters.push({ predicate, resolve })));
    return { steps, listener, until };
}

describe('EventTail', () => {
    let dir: string;
    let tail: EventTail | undefined;
    beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tail-')); });
    afterEach(() => {
        tail?.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('delivers the backlog synchronously on start, then each appended event once', async () => {
        const file = path.join(dir, 'events.jsonl');
        fs.writeFileSync(file, event(1) + event(2));
        const c = collector();
        tail = new EventTail(dir, c.listener);
        tail.start();
        assert.deepEqual(c.steps, [1, 2]);
        fs.appendFileSync(file, event(3));
        fs.appendFileSync(file, event(4).slice(0, 20));
        await c.until(() => c.steps.includes(3));
        fs.appendFileSync(file, event(4).slice(20));
        await c.until(() => c.steps.includes(4));
        assert.deepEqual(c.steps, [1, 2, 3, 4]);
        assert.equal(tail.completeOffset, fs.statSync(file).size);
    });

    it('waits for a file that does not exist yet, and reads it from the start', async () => {
        const c = collector();
        tail = new EventTail(dir, c.listener, { pollMs: 20 });
        tail.start();
        fs.writeFileSync(path.join(dir, 'events.jsonl'), event(7));
        await c.until(() => c.steps.length === 1);
        assert.deepEqual(c.steps, [7]);
    });

    it('follows by polling alone when no watch event comes', async () => {
        const file = path.join(dir, 'events.jsonl');
        fs.writeFileSync(file, event(1));
        const c = collector();
        tail = new EventTail(dir, c.listener, { pollMs: 20 });
        tail.start();
        (tail as unknown as { stopWatching(): void }).stopWatching();
        fs.appendFileSync(file, event(2));
        await c.until(() => c.steps.includes(2));
    });

    it('keeps its place when a partial last line is truncated away', () => {
        const file = path.join(dir, 'events.jsonl');
        fs.writeFileSync(file, event(1) + event(2).slice(0, 15));
        const c = collector();
        tail = new EventTail(dir, c.listener);
        tail.start();
        fs.truncateSync(file, Buffer.byteLength(event(1)));
        fs.appendFileSync(file, event(2));
        tail.read();
        assert.deepEqual(c.steps, [1, 2]);
    });

    it('readEvents reads the complete lines between two offsets', async () => {
        const file = path.join(dir, 'events.jsonl');
        fs.writeFileSync(file, event(1) + event(2) + event(3));
        const first = Buffer.byteLength(event(1));
        const end = Buffer.byteLength(event(1) + event(2));
        assert.deepEqual((await readEvents(file, 0, end)).map(e => e.step), [1, 2]);
        assert.deepEqual((await readEvents(file, 0, end + 5)).map(e => e.step), [1, 2]);
        assert.deepEqual((await readEvents(file, first, end)).map(e => e.step), [2]);
        assert.deepEqual(await readEvents(file, end, end), []);
    });
});
