/** report.json keeps the splits a later evaluation did not cover. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mergeReport, reportedFusion, type Report } from '../../src/run/report.js';

const scores = (mean: number) => ({ mse: { arousal: mean, valence: mean, mean } });

describe('report.json', () => {
    it('adds a split and replaces a re-evaluated one, keeping the others with their step', () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-report-')), 'report.json');
        const final: Report = { experiment: 'Tiny', step: 6, backend: 'wasm', splits: { test: { step: 6, emotion: scores(0.3) }, validation: { step: 6, emotion: scores(0.2) } } };
        mergeReport(file, final);
        mergeReport(file, { experiment: 'Tiny', step: 8, backend: 'cpu', splits: { validation: { step: 8, emotion: scores(0.1) }, train: { step: 8, emotion: scores(0.05) } } });
        assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), {
            experiment: 'Tiny', step: 8, backend: 'cpu',
            splits: { test: { step: 6, emotion: scores(0.3) }, validation: { step: 8, emotion: scores(0.1) }, train: { step: 8, emotion: scores(0.05) } }
        });
    });

    it('a report written before splits carried a step gives them the report step', () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-report-')), 'report.json');
        fs.writeFileSync(file, JSON.stringify({ experiment: 'Tiny', step: 6, backend: 'wasm', splits: { test: { emotion: scores(0.3) } } }));
        mergeReport(file, { experiment: 'Tiny', step: 6, backend: 'wasm', splits: { validation: { step: 6, emotion: scores(0.1) } } });
        assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')).splits.test, { step: 6, emotion: scores(0.3) });
    });

    it('gives the fusion weights of the latest personality evaluation', () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-report-')), 'report.json');
        assert.equal(reportedFusion(file), undefined, 'no report yet');
        const search = (pam: number) => ({ pam, ram: 1 - pam, search: { on: 'p.validation', step: 0.5, score: 'A' as const, best: 0.9, grid: [] } });
        mergeReport(file, { experiment: 'T', step: 6, backend: 'wasm', splits: { test: { step: 6, personality: { fusion: search(0.5) } } } });
        mergeReport(file, { experiment: 'T', step: 8, backend: 'wasm', splits: { validation: { step: 8, personality: { fusion: search(1) } }, other: { step: 9, emotion: scores(0.1) } } });
        assert.deepEqual(reportedFusion(file), { pam: 1, ram: 0 });
    });
});
