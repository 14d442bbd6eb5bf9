import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openChalearnSource } from '../../src/data/chalearn.js';
import { DatasetError } from '../../src/data/file-source.js';
import { buildChalearn, CHALEARN_SCORES, datasetSpec, findProblem, mean, python, rampValue, snapshot, tempDir } from './fixtures.js';

describe('ChaLearn First Impressions loader', function () {
    this.timeout(30000);
    let tmp: ReturnType<typeof tempDir>;
    let root: string;
    const options = () => ({ cacheDir: path.join(tmp.dir, 'cache') });
    const spec = (over = {}) => datasetSpec({ format: 'chalearn', kind: 'personality', path: root, ...over });

    before(function () {
        tmp = tempDir('chalearn');
        root = path.join(tmp.dir, 'chalearn');
        buildChalearn(root);
    });
    after(() => tmp.remove());

    it('matches clips in nested folders to the pickles\' labels, traits in TRAITS order', async function () {
        const before = snapshot(root);
        const source = await openChalearnSource(spec(), options());
        assert.deepEqual(source.splits(), ['train', 'validation']);
        const train = source.videos('train');
        assert.deepEqual(train.map((v) => v.id), ['AAAA.001.mp4', 'AAAA.002.mp4', 'BBBB.001.mp4']);
        for (const video of [...train, ...source.videos('validation')]) {
            assert.deepEqual(video.traits, CHALEARN_SCORES[video.id as keyof typeof CHALEARN_SCORES]);
        }
        assert.deepEqual(train.map((v) => [v.person, v.frameCount]), [['AAAA', 6], ['AAAA', 5], ['BBBB', 4]]);
        assert.equal(source.videos('validation')[0].person, 'CCCC');
        assert.equal(source.unlabelled('test'), 1, 'the clip in test80_01 has no annotation_test.pkl');
        assert.deepEqual(snapshot(root), before, 'the loader modified nothing it read');
    });

    it('reports every flaw, naming its file, and goes on with the good clips', async function () {
        const source = await openChalearnSource(spec(), options());
        const problems = source.problems();
        assert.ok(findProblem(problems, 'annotation_test.pkl', 'missing annotation'), JSON.stringify(problems, null, 1));
        assert.ok(findProblem(problems, 'annotation_training.pkl', 'labels GONE.001.mp4, which is not under the dataset folder'));
        assert.ok(findProblem(problems, 'annotation_training.pkl', 'agreeableness score 1.3 of BAD.001.mp4 is not in [0, 1]'));
        assert.ok(findProblem(problems, 'extra.001.mp4', 'has no labels'));
        assert.ok(problems.some((p) => p.file.endsWith('EEEE.001.mp4') && /moov atom not found|no readable video stream/.test(p.problem)));
        const counts = source.counts();
        assert.equal(counts.items, 4);
        assert.deepEqual(counts.reasons, { 'label out of range': 1, 'no labels': 2, 'unreadable video': 1 });
        assert.equal(counts.skipped, 4);
    });

    it('decodes the frames asked for through the source', async function () {
        const before = snapshot(root);
        const source = await openChalearnSource(spec(), options());
        const video = source.videos('train')[0];
        const crops = await source.frames(video, [5, 0, 2], { width: 8, height: 8 });
        [5, 0, 2].forEach((n, i) => {
            const crop = crops[i];
            assert.ok(crop);
            assert.ok(Math.abs(mean(crop.data) * 128 + 127.5 - rampValue(n)) < 1.5, `frame ${n}`);
        });
        assert.equal(source.counts().read, 3);
        assert.deepEqual(snapshot(root), before);
    });

    it('refuses a hostile annotation pickle, naming the global, and still loads the other splits', async function () {
        const hostile = path.join(tmp.dir, 'hostile');
        cpSync(root, hostile, { recursive: true });
        const pickle = path.join(hostile, 'annotations', 'annotation_validation.pkl');
        python(
            `import os, pickle, sys\nclass P:\n    def __reduce__(self):\n        return (os.system, ('touch ' + sys.argv[1] + '/pwned',))\n` +
                `open(sys.argv[1] + '/annotations/annotation_validation.pkl', 'wb').write(pickle.dumps({'extraversion': P()}, protocol=2))`,
            hostile
        );
        const source = await openChalearnSource(spec({ path: hostile }), options());
        assert.ok(findProblem(source.problems(), 'annotation_validation.pkl', 'refuses to import posix.system'));
        assert.equal(existsSync(path.join(hostile, 'pwned')), false);
        assert.deepEqual(source.splits(), ['train']);
        assert.equal(source.videos('train').length, 3);
    });

    it('holds out people, not clips, when asked for a validation fraction', async function () {
        const tree = path.join(tmp.dir, 'no-validation');
        cpSync(root, tree, { recursive: true, filter: (src) => !src.includes('annotation_validation') && !src.includes('validation80') });
        const source = await openChalearnSource(spec({ path: tree, validation: 0.5 }), options());
        const train = source.videos('train').map((v) => v.person);
        const validation = source.videos('validation').map((v) => v.person);
        assert.equal(train.length + validation.length, 3);
        assert.equal(new Set(validation).size, 1);
        assert.ok(!train.some((p) => validation.includes(p)), 'no person on both sides');
    });

    it('says when one YouTube id has clips in several splits', async function () {
        const tree = path.join(tmp.dir, 'shared');
        cpSync(root, tree, { recursive: true });
        copyFileSync(path.join(tree, 'validation80_01', 'CCCC.001.mp4'), path.join(tree, 'validation80_01', 'AAAA.003.mp4'));
        python(
            `import pickle, sys\nd = {t: {'AAAA.003.mp4': 0.5} for t in ['extraversion', 'neuroticism', 'agreeableness', 'conscientiousness', 'openness']}\n` +
                `open(sys.argv[1] + '/annotations/annotation_validation.pkl', 'wb').write(pickle.dumps(d, protocol=2))`,
            tree
        );
        const source = await openChalearnSource(spec({ path: tree }), options());
        assert.ok(findProblem(source.problems(), 'shared', '1 YouTube id(s) have clips in more than one split (e.g. AAAA: train, validation)'));
    });

    it('fails with the folder named when there is no dataset, or the kind is wrong', async function () {
        await assert.rejects(openChalearnSource(spec({ path: path.join(tmp.dir, 'absent') }), options()), (e: unknown) => e instanceof DatasetError && /absent: does not exist/.test(e.message));
        await assert.rejects(openChalearnSource(spec({ kind: 'emotion' }), options()), /gives personality labels, not emotion/);
    });
});

/** Big-endian double, as BINFLOAT holds it. */
function binfloat(v: number): Buffer {
    const b = Buffer.alloc(9);
    b[0] = 0x47;
    b.writeDoubleBE(v, 1);
    return b;
}

/** SHORT_BINSTRING, as Python 2 wrote the keys. */
function shortString(s: string): Buffer {
    return Buffer.concat([Buffer.from([0x55, s.length]), Buffer.from(s, 'latin1')]);
}

/** N empty lists, then N - 1 APPENDs: each list holds the next, N deep. */
function nestedList(depth: number): Buffer {
    return Buffer.concat([Buffer.alloc(depth, 0x5d), Buffer.alloc(depth - 1, 0x61)]);
}

/**
 * A hand-assembled annotation pickle, {trait: {'a.001.mp4': 0.5}}, whose openness score is the
 * given opcodes instead, and with `extraKey` (opcodes of a key) added to the top-level dict.
 */
function annotation(openness: Buffer, extraKey?: Buffer): Buffer {
    const traits = ['extraversion', 'neuroticism', 'agreeableness', 'conscientiousness', 'openness'];
    const parts: Buffer[] = [Buffer.from([0x80, 2, 0x7d, 0x28])];
    for (const trait of traits) {
        parts.push(shortString(trait), Buffer.from([0x7d]), shortString('a.001.mp4'), trait === 'openness' ? openness : binfloat(0.5), Buffer.from([0x73]));
    }
    if (extraKey) parts.push(extraKey, binfloat(0.5));
    parts.push(Buffer.from([0x75, 0x2e]));
    return Buffer.concat(parts);
}

describe('ChaLearn loader on hostile annotation pickles', function () {
    this.timeout(180000);
    let tmp: ReturnType<typeof tempDir>;
    before(() => {
        tmp = tempDir('chalearn-hostile');
    });
    after(() => tmp.remove());

    const folder = (name: string, pickle?: Buffer): string => {
        const root = path.join(tmp.dir, name);
        mkdirSync(root, { recursive: true });
        if (pickle) writeFileSync(path.join(root, 'annotation_training.pkl'), pickle);
        return root;
    };
    const problems = async (root: string) =>
        (await openChalearnSource(datasetSpec({ format: 'chalearn', kind: 'personality', path: root }), { cacheDir: path.join(tmp.dir, 'cache') })).problems();

    it('names the type of a score that is a list of 300,000 items', async function () {
        const items = Buffer.alloc(2 * 300_000);
        for (let i = 0; i < items.length; i += 2) items.set([0x4b, 1], i);
        const root = folder('long', annotation(Buffer.concat([Buffer.from([0x5d, 0x28]), items, Buffer.from([0x65])])));
        assert.ok(findProblem(await problems(root), 'annotation_training.pkl', 'openness score of a.001.mp4 is a list, not a number; the clip is skipped'));
    });

    it('names the type of a score nested 200,000 deep, and of a key likewise', async function () {
        const deepTuple = Buffer.concat([Buffer.from([0x29]), Buffer.alloc(200_000, 0x85)]);
        const root = folder('deep', annotation(nestedList(200_000), deepTuple));
        const found = await problems(root);
        assert.ok(findProblem(found, 'annotation_training.pkl', 'openness score of a.001.mp4 is a list, not a number'), JSON.stringify(found));
        assert.ok(findProblem(found, 'annotation_training.pkl', 'has an unknown key (a tuple); expected the traits'), JSON.stringify(found));
    });

    it('names the type of a 600-byte score that python3 pickles as a list DAG 60 levels deep, in a bounded time', function () {
        const root = folder('dag');
        python(
            `import pickle, sys\nL = []\nfor _ in range(60):\n    L = [L, L]\n` +
                `d = {t: {'a.001.mp4': 0.5} for t in ['extraversion', 'neuroticism', 'agreeableness', 'conscientiousness', 'openness']}\n` +
                `d['openness']['a.001.mp4'] = L\nopen(sys.argv[1] + '/annotation_training.pkl', 'wb').write(pickle.dumps(d, protocol=2))`,
            root
        );
        // Formatting the score by walking it would take 2^60 steps and never yield to mocha's timeout:
        // the loader runs in a child process that is killed after a bound.
        const loader = fileURLToPath(new URL('../../src/data/chalearn.ts', import.meta.url));
        const script =
            `const { openChalearnSource } = await import(${JSON.stringify(loader)});\n` +
            `const spec = JSON.parse(process.argv[1]);\n` +
            `const source = await openChalearnSource(spec, { cacheDir: ${JSON.stringify(path.join(tmp.dir, 'cache'))} });\n` +
            `process.stdout.write(JSON.stringify(source.problems()));\n`;
        const spec = datasetSpec({ format: 'chalearn', kind: 'personality', path: root });
        let stdout: string;
        try {
            stdout = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script, JSON.stringify(spec)], {
                encoding: 'utf8', timeout: 120000, stdio: ['ignore', 'pipe', 'pipe'],
            });
        } catch (error) {
            const e = error as { code?: string; signal?: string; stderr?: string };
            assert.fail(e.code === 'ETIMEDOUT' || e.signal ? 'the loader did not finish within 120 s' : `the loader failed: ${e.stderr}`);
        }
        assert.ok(findProblem(JSON.parse(stdout), 'annotation_training.pkl', 'openness score of a.001.mp4 is a list, not a number'), stdout);
    });
});
