/**
 * compare's tables from runs whose reports hold hand-picked numbers: configurations from the settings
 * that differ, mean ± sd and the paired t-test worked by hand, and each format read back (CSV by
 * d3-dsv's parser, JSON by JSON.parse, Markdown and LaTeX by their table structure).
 */
import * as assert from 'node:assert/strict';
import { csvParse } from 'd3-dsv';
import { buildComparison, type ComparedRun } from '../../src/compare/table.js';
import { formatComparison } from '../../src/compare/format.js';

const TRAITS = ['extraversion', 'agreeableness', 'conscientiousness', 'neuroticism', 'openness'];

function scores(a: number, r2: number, extra: Record<string, number> = {}) {
    const block = (v: number) => Object.fromEntries([...TRAITS, 'mean'].map(t => [t, v]));
    return { A: block(a), R2: block(r2), ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, block(v)])) };
}

/** A finished run: coherence on or off, a seed, fused A (PAM and RAM a little lower), emotion MSE. */
function run(coherence: boolean, seed: number, fusedA: number, mse: number, options: { pamOnly?: boolean; extra?: boolean } = {}): ComparedRun {
    const name = `${coherence ? 'on' : 'off'}-${seed}`;
    const extra = options.extra ? { MSE: 0.02, PCC: 0.5, CCC: 0.4 } : {};
    const personality = options.pamOnly ? { pam: scores(fusedA, 0.1, extra) } : { fused: scores(fusedA, 0.3, extra), pam: scores(fusedA - 0.01, 0.2, extra), ram: scores(fusedA - 0.02, 0.1, extra) };
    return {
        name, dir: `/runs/${name}`,
        spec: { version: 1, experiment: 'Quickstart', source: '/a.persemon', seed, model: { coherence: { enabled: coherence } }, schedule: { milestones: [280, 360] }, output: `/out/${name}` },
        report: {
            splits: {
                validation: { emotion: { mse: { arousal: 9, valence: 9, mean: 9 } } },
                test: { personality, emotion: { mse: { arousal: mse, valence: mse + 0.002, mean: mse + 0.001 }, ...(options.extra ? { pcc: { arousal: 0.6, valence: 0.7, mean: 0.65 } } : {}) } }
            }
        }
    };
}

// Coherence on: fused A 0.91, 0.93, 0.90 over seeds 1-3; off: 0.89, 0.92, 0.90.
const runs = (extra = false) => [
    run(true, 1, 0.91, 0.1, { extra }), run(true, 2, 0.93, 0.12, { extra }), run(true, 3, 0.90, 0.11, { extra }),
    run(false, 1, 0.89, 0.1, { extra }), run(false, 2, 0.92, 0.12, { extra }), run(false, 3, 0.90, 0.11, { extra })
];
const RUNS = runs();
// Mean 0.913333…, sample sd √((0.003333² + 0.016667² + 0.013333²) / 2) = √(0.00046667 / 2) = 0.0152753.
const ON_MEAN = 0.91333333333333333;
const ON_SD = 0.015275252316519468;

describe('compare: configurations, mean ± sd and the paired test', () => {
    const c = buildComparison(RUNS);

    it('makes configurations of the settings that differ, seed and provenance aside', () => {
        assert.deepEqual(c.settings, ['model.coherence.enabled']);
        assert.deepEqual(c.pairedBy, ['seed']);
        assert.deepEqual(c.configurations.map(x => [x.label, x.runs]), [
            ['model.coherence.enabled=true', ['on-1', 'on-2', 'on-3']], ['model.coherence.enabled=false', ['off-1', 'off-2', 'off-3']]
        ]);
        assert.equal(c.personalitySplit, 'test');
        assert.equal(c.emotionSplit, 'test');
    });

    it('computes mean and sample sd over the seeds', () => {
        const a = c.configurations[0].metrics['personality.fused.A.openness'];
        assert.equal(a.n, 3);
        assert.ok(Math.abs(a.mean - ON_MEAN) < 1e-12);
        assert.ok(Math.abs(a.sd - ON_SD) < 1e-12);
        assert.equal(c.configurations[0].predictor, 'fused');
    });

    it('tests each configuration against the first, paired by seed: differences −0.02, −0.01, 0 give t = −√3', () => {
        const a = c.tests.find(t => t.metric === 'personality.fused.A.mean')!;
        assert.equal(a.against, 'model.coherence.enabled=true');
        assert.ok(Math.abs(a.test.t + Math.sqrt(3)) < 1e-9, String(a.test.t));
        assert.equal(a.test.df, 2);
        assert.ok(Math.abs(a.test.p - (1 - Math.sqrt(3) / Math.sqrt(5))) < 1e-9);
        // Emotion MSE is the same per seed in both: nothing differs, p = 1.
        assert.equal(c.tests.find(t => t.metric === 'emotion.mse.mean')!.test.p, 1);
        assert.deepEqual(c.tests.map(t => t.metric), ['personality.fused.A.mean', 'personality.fused.R2.mean', 'emotion.mse.mean']);
    });

    it('groups by the settings asked for, pairing by the rest', () => {
        const bySeed = buildComparison(RUNS, { by: ['seed'] });
        assert.deepEqual(bySeed.pairedBy, ['model.coherence.enabled']);
        assert.deepEqual(bySeed.configurations.map(x => x.runs), [['on-1', 'off-1'], ['on-2', 'off-2'], ['on-3', 'off-3']]);
        assert.ok(Math.abs(bySeed.configurations[0].metrics['personality.fused.A.mean'].mean - 0.9) < 1e-12);
    });

    it('reads emotion from another split where the asked one has none, and takes PAM where there is no fusion', () => {
        const pamOnly = buildComparison([run(true, 1, 0.8, 0.1, { pamOnly: true }), run(false, 1, 0.85, 0.1)], { split: 'validation' });
        assert.equal(pamOnly.emotionSplit, 'validation');
        assert.equal(pamOnly.personalitySplit, 'test');
        assert.deepEqual(pamOnly.configurations.map(x => x.predictor), ['pam', 'fused']);
        // One run each: no sd, and no pairs to test (nothing but the configuration differs).
        assert.ok(Number.isNaN(pamOnly.configurations[0].metrics['personality.pam.A.mean'].sd));
        assert.deepEqual(pamOnly.pairedBy, []);
        assert.deepEqual(pamOnly.tests, []);
        assert.match(formatComparison(pamOnly, 'md'), /\| true \| PAM \| 1 \| 0\.800 \| 0\.100 \|/);
    });

    it('has no cap on runs', () => {
        const many = Array.from({ length: 1000 }, (_, i) => {
            const r = run(i % 2 === 0, 1 + (i % 2), 0.9, 0.1);
            return { ...r, name: `p${i}`, spec: { ...r.spec, seed: 1 + (i % 4), loss: { lambda3: Math.floor(i / 4) } } };
        });
        const table = buildComparison(many);
        assert.equal(table.configurations.length, 500);
        assert.equal(table.configurations.reduce((n, x) => n + x.runs.length, 0), 1000);
        // Each configuration's PAM+RAM row in Table 4 and its row in Tables 5-6.
        assert.equal(formatComparison(table, 'md').split('\n').filter(l => /^\| (true|false) \| \d+ \| PAM\+RAM \| 2 \| 0\.900/.test(l)).length, 1000);
    });
});

describe('compare: each format read back', () => {
    // With the metrics a run may add: personality MSE, PCC, CCC and emotion PCC.
    const c = buildComparison(runs(true));

    it('Markdown: a table per layout, every row as wide as its header', () => {
        const md = formatComparison(c, 'md');
        const sections = md.trim().split('\n\n### ').map(s => s.replace(/^### /, ''));
        assert.deepEqual(sections.map(s => s.split('\n')[0].split(':')[0]), ['Table 4', 'Tables 5-6', 'Paired test']);
        for (const section of sections) {
            const lines = section.split('\n').filter(l => l.startsWith('|'));
            const widths = lines.map(l => l.split(' | ').length);
            assert.ok(widths.every(w => w === widths[0]), section);
        }
        const table4 = sections[0].split('\n').filter(l => l.startsWith('|'));
        assert.equal(table4[0], '| model.coherence.enabled | Predictor | n | Average A | Average R² | Extraversion A | Extraversion R² | Agreeableness A | Agreeableness R² | Conscientiousness A | Conscientiousness R² | Neuroticism A | Neuroticism R² | Openness A | Openness R² |');
        assert.equal(table4.length, 2 + 6, 'header, rule, 3 predictors x 2 configurations');
        assert.match(table4[2], /^\| true \| PAM\+RAM \| 3 \| 0\.913 ± 0\.015 \| 0\.300 ± 0\.000 \|/);
        assert.match(sections[2], /\| model\.coherence\.enabled=false \| model\.coherence\.enabled=true \| PAM\+RAM A \(average\) \| 3 \| -0\.0100 \| -1\.732 \| 2 \| 0\.225 \|/);
    });

    it('CSV: one number a row, parsed by a CSV parser', () => {
        const rows = csvParse(formatComparison(c, 'csv'));
        assert.deepEqual(rows.columns, ['table', 'model.coherence.enabled', 'n', 'predictor', 'metric', 'target', 'mean', 'sd', 't', 'df', 'p', 'against']);
        const a = rows.find(r => r.table === 'tables5-6' && r['model.coherence.enabled'] === 'true' && r.metric === 'A')!;
        assert.equal(a.predictor, 'fused');
        assert.ok(Math.abs(Number(a.mean) - ON_MEAN) < 1e-12);
        assert.ok(Math.abs(Number(a.sd) - ON_SD) < 1e-12);
        assert.equal(rows.filter(r => r.table === 'table4').length, 2 * 3 * 12);
        const arousal = rows.find(r => r.table === 'tables5-6' && r['model.coherence.enabled'] === 'false' && r.metric === 'MSE' && r.target === 'arousal')!;
        assert.ok(Math.abs(Number(arousal.mean) - 0.11) < 1e-12);
        const test = rows.find(r => r.table === 'paired-t' && r.metric === 'A')!;
        assert.ok(Math.abs(Number(test.t) + Math.sqrt(3)) < 1e-9);
        assert.equal(test.against, 'model.coherence.enabled=true');
    });

    it('LaTeX: booktabs tables whose rows match their column spec', () => {
        const tex = formatComparison(c, 'latex');
        const tables = tex.split('\\begin{table}').slice(1);
        assert.equal(tables.length, 3);
        for (const t of tables) {
            const columns = /\\begin\{tabular\}\{([lr]+)\}/.exec(t)![1].length;
            const body = t.split('\\midrule')[1].split('\\bottomrule')[0].trim().split('\n');
            const header = t.split('\\toprule')[1].split('\\midrule')[0].trim();
            for (const line of [header, ...body]) {
                assert.match(line, /\\\\$/);
                assert.equal(line.replace(/\\&/g, '').split(' & ').length, columns, line);
            }
            assert.match(t, /\\end\{tabular\}\n\\end\{table\}/);
        }
        assert.match(tex, /0\.913 \$\\pm\$ 0\.015/);
        assert.match(tex, /Average R\$\^2\$/);
        assert.match(tex, /model\.coherence\.enabled/);
    });

    it('JSON: the comparison itself', () => {
        const back = JSON.parse(formatComparison(c, 'json'));
        assert.deepEqual(back.settings, ['model.coherence.enabled']);
        assert.ok(Math.abs(back.configurations[0].metrics['personality.fused.A.mean'].mean - ON_MEAN) < 1e-12);
        assert.deepEqual(back.configurations[0].metrics['personality.fused.A.mean'].values, [0.91, 0.93, 0.90]);
        assert.equal(back.tests[0].test.df, 2);
        assert.match(back.testName, /paired t-test/);
    });
});
