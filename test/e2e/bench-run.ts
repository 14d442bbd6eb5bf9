/**
 * A run directory with 100,000 train events (and an eval every 10,000 steps), as a long run started
 * from a terminal would leave: the metrics panel's load, append and redraw budgets are measured on it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BENCH_EVENTS = 100_000;

export function writeBenchRun(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    const time = new Date().toISOString();
    const lines = [JSON.stringify({
        type: 'start', time, step: 0, backend: 'wasm', backend_version: '4.22.0', threads: 2, seed: 1, spec_hash: 'e2e',
        resumed_from: null, parameters: { fem: 1, pam: 1, eam: 1, ram: 1, coherence: 1, total: 5 },
        experiment: 'E2EBench', iterations: BENCH_EVENTS, micro_batch: 16, backends_tried: []
    })];
    const traits = (v: number) => ({ extraversion: v, agreeableness: v + 0.01, conscientiousness: v - 0.01, neuroticism: v + 0.02, openness: v - 0.02, mean: v });
    for (let s = 1; s <= BENCH_EVENTS; s++) {
        const total = 2 * Math.exp(-s / 20000) + 0.1 * Math.sin(s / 50) + 0.3;
        lines.push(JSON.stringify({
            type: 'train', time, step: s, lr: s < 60000 ? 0.01 : 0.001, images_per_s: 80 + 5 * Math.sin(s / 300),
            loss: { total, per: total * 0.4, emo: total * 0.3, d: 0.69, adv: 0.69, ram: total * 0.1 }
        }));
        if (s % 10000 === 0) {
            const a = 0.85 + 0.05 * (s / BENCH_EVENTS);
            lines.push(JSON.stringify({ type: 'eval', time, step: s, split: 'test', personality: { pam: { A: traits(a), R2: traits(a - 0.6) }, ram: { A: traits(a - 0.02), R2: traits(a - 0.65) }, fused: { A: traits(a + 0.005), R2: traits(a - 0.58) } }, emotion: { mse: { arousal: 0.1 - a / 20, valence: 0.09 - a / 20, mean: 0.095 - a / 20 } } }));
        }
    }
    fs.writeFileSync(path.join(dir, 'events.jsonl'), lines.join('\n') + '\n');
}
