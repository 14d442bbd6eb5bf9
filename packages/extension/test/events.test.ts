import * as assert from 'node:assert/strict';
import { LineDecoder, parseEvent, type BadLine } from '../src/runner/events.js';

const train = (step: number) => JSON.stringify({ type: 'train', time: '2024-01-01T00:00:00.000Z', step, lr: 0.01, images_per_s: 80, loss: { total: 1, per: 0.5, emo: 0.3, d: 0.1, adv: 0.05, ram: 0.05 } });

describe('events.jsonl decoding', () => {
    it('parses an event and refuses what lacks a type or a numeric step', () => {
        assert.equal(parseEvent(train(3))?.step, 3);
        assert.equal(parseEvent('{"type":"train"}'), undefined);
        assert.equal(parseEvent('{"step":1}'), undefined);
        assert.equal(parseEvent('[1,2]'), undefined);
        assert.equal(parseEvent('{"type":"train","step":'), undefined);
    });

    it('waits for the newline of a line split across chunks', () => {
        const decoder = new LineDecoder();
        const text = `${train(1)}\n${train(2)}\n`;
        const cut = text.indexOf('\n') + 10;
        assert.deepEqual(decoder.push(Buffer.from(text.slice(0, cut))).map(e => e.step), [1]);
        assert.equal(decoder.pending, 9);
        assert.deepEqual(decoder.push(Buffer.from(text.slice(cut))).map(e => e.step), [2]);
        assert.equal(decoder.pending, 0);
    });

    it('keeps a multi-byte character whole when a chunk ends inside it', () => {
        const line = JSON.stringify({ type: 'error', time: 't', step: 4, message: 'λ₃ ≥ 0 — données', where: 'loss' });
        const bytes = Buffer.from(`${line}\n`);
        const cut = bytes.indexOf(Buffer.from('λ')) + 1;
        const decoder = new LineDecoder();
        assert.deepEqual(decoder.push(bytes.subarray(0, cut)), []);
        const [event] = decoder.push(bytes.subarray(cut));
        assert.equal((event as { message: string }).message, 'λ₃ ≥ 0 — données');
    });

    it('reports a bad line with its number and goes on', () => {
        const bad: BadLine[] = [];
        const events = new LineDecoder().push(Buffer.from(`${train(1)}\nnot json\n\n${train(2)}\n`), bad);
        assert.deepEqual(events.map(e => e.step), [1, 2]);
        assert.deepEqual(bad, [{ line: 2, text: 'not json' }]);
    });

    it('forgets a partial line dropped by a truncation', () => {
        const decoder = new LineDecoder();
        decoder.push(Buffer.from(`${train(1)}\n{"type":"tr`));
        decoder.dropPartial();
        assert.deepEqual(decoder.push(Buffer.from(`${train(2)}\n`)).map(e => e.step), [2]);
    });
});
