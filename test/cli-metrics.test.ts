/**
 * The metrics a run asks for (`evaluate { metrics }`) and `fusion search`, end to end: what the eval
 * events, report.json and the printed tables hold, recomputed from predictions/*.csv with formulas
 * of their own (sums for PCC, Aff-Wild's PCC-based form of CCC, the fusion formula by hand).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { events, persemon, tinyExperiment, workspace, type RunEvent } from './helpers/cli.js';
import { ASTRONAUT } from '../packages/runtime/test/data/fixtures.js';

const TRAITS = ['extraversion', 'agreeableness', 'conscientiousness', 'neuroticism', 'openness'];

function run(evaluate: string): { runDir: string; stdout: string; evals: RunEvent[]; report: any } {
    const { dir, file } = workspace(tinyExperiment({ iterations: 4, evaluate, checkpoint: null }));
    const r = persemon(['run', file, '--out', path.join(dir, 'runs')]);
    assert.equal(r.status, 0, r.stderr);
    const runDir = r.stdout.split('\n')[0];
    const report = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8'));
    return { runDir, stdout: r.stdout, evals: events(runDir).filter(e => e.type === 'eval'), report };
}

/** The columns of a predictions CSV by name. */
function csv(file: string): Record<string, number[]> {
    const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n').map(l => l.split(','));
    return Object.fromEntries(header.map((name, i) => [name, rows.map(r => Number(r[i]))]));
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** PCC from raw sums: (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)). */
function pccBySums(x: number[], y: number[]): number {
    const n = x.length;
    const sx = x.reduce((a, b) => a + b, 0);
    const sy = y.reduce((a, b) => a + b, 0);
    const sxy = x.reduce((a, v, i) => a + v * y[i], 0);
    const sxx = x.reduce((a, v) => a + v * v, 0);
    const syy = y.reduce((a, v) => a + v * v, 0);
    return (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
}

/** CCC as the Aff-Wild evaluation writes it: 2·ρ·σx·σy / (σx² + σy² + (μx − μy)²). */
function cccByPcc(x: number[], y: number[]): number {
    const sdx = Math.sqrt(mean(x.map(v => (v - mean(x)) ** 2)));
    const sdy = Math.sqrt(mean(y.map(v => (v - mean(y)) ** 2)));
    return (2 * pccBySums(x, y) * sdx * sdy) / (sdx ** 2 + sdy ** 2 + (mean(x) - mean(y)) ** 2);
}

/** Equal to within what the CSV's 6 decimals allow, relative to the size of the value. */
function close(actual: number, expected: number, what: string, tol = 2e-4): void {
    assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

describe('evaluate { metrics } and fusion search, end to end', function () {
    this.timeout(600_000);

    it('reports every metric by default, each matching a recomputation from the predictions', () => {
        const { runDir, stdout, evals, report } = run('personality on personas.test  emotion on moods.test');
        const personality = evals.find(e => e.personality)!.personality;
        for (const key of ['pam', 'ram', 'fused', 'floor']) assert.deepEqual(Object.keys(personality[key]), ['A', 'R2', 'MSE', 'PCC', 'CCC'], key);
        assert.deepEqual(personality.fusion, { pam: 6, ram: 1 });
        assert.deepEqual(report.splits.test.personality, personality);
        const emotion = evals.find(e => e.emotion)!.emotion;
        assert.deepEqual(Object.keys(emotion), ['mse', 'pcc', 'ccc', 'floor']);
        assert.deepEqual(report.splits.test.emotion, emotion);

        const p = csv(path.join(runDir, 'predictions/test-personality.csv'));
        for (const group of ['pam', 'ram', 'fused']) {
            for (const trait of TRAITS) {
                const y = p[`true_${trait}`];
                const x = p[`${group}_${trait}`];
                close(personality[group].MSE[trait], mean(y.map((v, i) => (v - x[i]) ** 2)), `${group} MSE ${trait}`, 1e-5);
                close(personality[group].PCC[trait], pccBySums(y, x), `${group} PCC ${trait}`);
                close(personality[group].CCC[trait], cccByPcc(y, x), `${group} CCC ${trait}`);
            }
            close(personality[group].MSE.mean, mean(TRAITS.map(t => personality[group].MSE[t])), `${group} MSE mean`, 1e-12);
        }
        const e = csv(path.join(runDir, 'predictions/test-emotion.csv'));
        for (const dim of ['arousal', 'valence']) {
            const y = e[`true_${dim}`];
            const x = e[`pred_${dim}`];
            close(emotion.mse[dim], mean(y.map((v, i) => (v - x[i]) ** 2)), `emotion MSE ${dim}`, 1e-5);
            close(emotion.pcc[dim], pccBySums(y, x), `emotion PCC ${dim}`);
            close(emotion.ccc[dim], cccByPcc(y, x), `emotion CCC ${dim}`);
        }
        for (const block of ['A (mean accuracy)', 'R²', 'MSE', 'PCC (Pearson)', "CCC (Lin's concordance)", 'fusion: PAM 6, RAM 1 (fixed)', 'EAM (PCC)', 'EAM (CCC)']) {
            assert.ok(stdout.split('\n').some(l => l.startsWith(block)), `the printed table has ${block}:\n${stdout}`);
        }
    });

    it('`metrics [mse]` logs, reports and prints only MSE', () => {
        const { stdout, evals, report } = run('personality on personas.test  emotion on moods.test  metrics [mse]');
        const personality = evals.find(e => e.personality)!.personality;
        for (const key of ['pam', 'ram', 'fused', 'floor']) assert.deepEqual(Object.keys(personality[key]), ['MSE'], key);
        const emotion = evals.find(e => e.emotion)!.emotion;
        assert.deepEqual(Object.keys(emotion), ['mse', 'floor']);
        assert.deepEqual(report.splits.test.personality, personality);
        assert.deepEqual(report.splits.test.emotion, emotion);
        const table = stdout.slice(stdout.indexOf('Apparent personality'));
        assert.match(table, /^MSE$/m);
        assert.match(table, /^EAM \(MSE\)/m);
        assert.doesNotMatch(table, /mean accuracy|R²|PCC|CCC/);
    });

    it('`fusion search` chooses the PAM share with the best mean A on the validation split and fuses with it', () => {
        const { runDir, stdout, evals, report } = run('personality on personas.validation, personas.test  emotion on moods.test  fusion search step 0.1');
        const test = evals.find(e => e.personality && e.split === 'test')!.personality;
        const { fusion } = test;
        assert.equal(fusion.search.on, 'personas.validation');
        assert.equal(fusion.search.step, 0.1);
        assert.equal(fusion.search.score, 'A');
        assert.deepEqual(fusion.search.grid.map((g: { pam: number }) => g.pam), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
        assert.deepEqual(report.splits.test.personality.fusion, fusion);
        assert.deepEqual(report.splits.validation.personality.fusion, fusion, 'one choice per evaluation, for every split');

        // Each grid point's A, recomputed from the validation predictions by the fusion formula.
        const v = csv(path.join(runDir, 'predictions/validation-personality.csv'));
        const scoreOf = (alpha: number) => mean(TRAITS.map(t => 1 - mean(v[`true_${t}`].map((y, i) => Math.abs(y - (alpha * v[`pam_${t}`][i] + (1 - alpha) * v[`ram_${t}`][i]))))));
        for (const point of fusion.search.grid) close(point.A, scoreOf(point.pam), `A at α = ${point.pam}`, 1e-5);
        const best = Math.max(...fusion.search.grid.map((g: { A: number }) => g.A));
        assert.equal(fusion.search.best, best);
        assert.equal(fusion.search.grid.find((g: { A: number }) => g.A === best).pam, fusion.pam);
        assert.ok(Math.abs(fusion.pam + fusion.ram - 1) < 1e-12);
        // The validation split's fused A is the chosen point's score.
        close(report.splits.validation.personality.fused.A.mean, best, 'validation fused A', 1e-6);

        // The test split is fused with the chosen weights.
        const t = csv(path.join(runDir, 'predictions/test-personality.csv'));
        for (const trait of TRAITS) {
            t[`fused_${trait}`].forEach((f, i) => close(f, fusion.pam * t[`pam_${trait}`][i] + fusion.ram * t[`ram_${trait}`][i], `fused ${trait}`, 2e-6));
        }
        assert.ok(stdout.includes(`fusion: PAM ${fusion.pam}, RAM ${fusion.ram}, chosen by a search on personas.validation (step 0.1, 11 points)`), stdout);

        // predict fuses a portrait's PAM and RAM with the weights the search chose.
        const p = persemon(['predict', runDir, ASTRONAUT, '--json']);
        assert.equal(p.status, 0, p.stderr);
        const face = JSON.parse(p.stdout).faces[0].personality;
        for (const trait of TRAITS) close(face.fused[trait], fusion.pam * face.pam[trait] + fusion.ram * face.ram[trait], `predicted fused ${trait}`, 1e-5);
    });
});
