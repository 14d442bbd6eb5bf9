import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { TRAITS } from '@persemon/language';
import { formatInspect, inspectDataset } from '../../src/data/inspect.js';
import { AFFWILD_V1, buildAffwild, buildChalearn, CHALEARN_SCORES, snapshot, tempDir } from './fixtures.js';

describe('data inspect', function () {
    this.timeout(30000);
    let tmp: ReturnType<typeof tempDir>;
    before(function () {
        tmp = tempDir('inspect');
        buildChalearn(path.join(tmp.dir, 'chalearn'));
        buildAffwild(path.join(tmp.dir, 'aff-wild'));
    });
    after(() => tmp.remove());
    const options = () => ({ cacheDir: path.join(tmp.dir, 'cache') });

    it('prints the contract shape for ChaLearn: items, labelled, label statistics, problems', async function () {
        const root = path.join(tmp.dir, 'chalearn');
        const before = snapshot(root);
        const report = await inspectDataset(root, 'chalearn', options());
        assert.deepEqual(Object.keys(report), ['format', 'root', 'splits', 'problems']);
        assert.equal(report.format, 'chalearn');
        assert.equal(report.root, root);
        assert.deepEqual(Object.keys(report.splits).sort(), ['test', 'train', 'validation']);
        assert.deepEqual(report.splits.test, { items: 1, labelled: 0, labels: {} });
        const train = report.splits.train;
        assert.deepEqual([train.items, train.labelled], [4, 3], 'extra.001.mp4 is a train item without labels');
        // Hand-worked from CHALEARN_SCORES: the three training clips.
        const rows = [CHALEARN_SCORES['AAAA.001.mp4'], CHALEARN_SCORES['AAAA.002.mp4'], CHALEARN_SCORES['BBBB.001.mp4']];
        TRAITS.forEach((trait, i) => {
            const values = rows.map((r) => r[i]);
            const stats = train.labels[trait];
            assert.ok(Math.abs(stats.mean - values.reduce((a, b) => a + b) / 3) < 1e-12, trait);
            assert.equal(stats.min, Math.min(...values));
            assert.equal(stats.max, Math.max(...values));
        });
        assert.deepEqual(Object.keys(train.labels), [...TRAITS]);
        for (const p of report.problems) assert.deepEqual(Object.keys(p), ['file', 'problem']);
        assert.ok(report.problems.some((p) => p.file.endsWith('annotation_test.pkl')));
        const json = JSON.parse(JSON.stringify(report));
        assert.deepEqual(json, report, 'plain JSON, nothing lost');
        assert.deepEqual(snapshot(root), before);
    });

    it('gives Aff-Wild arousal and valence over the labelled frames', async function () {
        const root = path.join(tmp.dir, 'aff-wild');
        const report = await inspectDataset(root, 'affwild', options());
        const train = report.splits.train;
        assert.deepEqual([train.items, train.labelled], [3, 3]);
        // v1 (frame 3 unlabelled), v2 (6 labelled frames of 0 / 1), v4 (6 of 0.5 / -0.5).
        const v1 = AFFWILD_V1.arousal.map((a, i) => [a, AFFWILD_V1.valence[i]]).filter((_, i) => i !== 3);
        const arousal = [...v1.map((f) => f[0]), ...Array(6).fill(0), ...Array(6).fill(0.5)];
        const valence = [...v1.map((f) => f[1]), ...Array(6).fill(1), ...Array(6).fill(-0.5)];
        const stats = (xs: number[]) => ({ mean: xs.reduce((a, b) => a + b) / xs.length, min: Math.min(...xs), max: Math.max(...xs) });
        for (const [label, values] of [['arousal', arousal], ['valence', valence]] as const) {
            const got = train.labels[label];
            const want = stats(values);
            assert.ok(Math.abs(got.mean - want.mean) < 1e-12 && got.min === want.min && got.max === want.max, `${label}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
        }
        assert.deepEqual(report.splits.test, { items: 1, labelled: 0, labels: {} });
    });

    it('formats a readable summary for the terminal', async function () {
        const report = await inspectDataset(path.join(tmp.dir, 'chalearn'), 'chalearn', options());
        const text = formatInspect(report);
        assert.match(text, /^chalearn dataset at .*chalearn\n/);
        assert.match(text, /^train\s+4\s+3$/m);
        assert.match(text, /^ {2}extraversion\s+mean  0\.300  min  0\.100  max  0\.500$/m);
        assert.match(text, /problems:\n/);
        assert.match(text, /^ {2}annotation_training\.pkl: labels GONE\.001\.mp4/m);
    });
});
