/**
 * Real-format data end to end through the `persemon` command: synth writes ChaLearn and Aff-Wild
 * data, `data inspect` reports it (checked against the pickles as python3 reads them and the text
 * files), a small experiment trains on it through face detection and alignment (one clip truncated
 * on purpose), `eval` reproduces its report, and `predict` reads a synthetic frame, a video and a
 * real photograph, and refuses an image without a face.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findFfmpeg } from '@persemon/runtime';
import { persemon as cli, root, tinyExperiment } from './helpers/cli.js';

const ASTRONAUT = path.join(root, 'test/fixtures/astronaut.png');
const TRAITS = ['extraversion', 'agreeableness', 'conscientiousness', 'neuroticism', 'openness'];

interface Stats { mean: number; min: number; max: number }
interface Face {
    box: { x: number; y: number; width: number; height: number };
    landmarks: Array<[number, number]>;
    arousal: number;
    valence: number;
    personality: Record<'pam' | 'ram' | 'fused', Record<string, number>>;
}

function stats(values: number[]): Stats {
    return { mean: values.reduce((a, b) => a + b, 0) / values.length, min: Math.min(...values), max: Math.max(...values) };
}

function assertStats(got: Stats, want: Stats, what: string): void {
    assert.ok(Math.abs(got.mean - want.mean) < 1e-9 && Math.abs(got.min - want.min) < 1e-12 && Math.abs(got.max - want.max) < 1e-12,
        `${what}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
}

/** A face as the contract describes it, inside an image of width x height. */
function assertFace(face: Face, width: number, height: number, what: string): void {
    const { x, y, width: w, height: h } = face.box;
    assert.ok(x >= -1 && y >= -1 && w > 0 && h > 0 && x + w <= width + 1 && y + h <= height + 1, `${what}: box ${JSON.stringify(face.box)} in ${width}x${height}`);
    assert.equal(face.landmarks.length, 5, what);
    for (const [px, py] of face.landmarks) assert.ok(px > x && px < x + w && py > y && py < y + h, `${what}: landmark ${px},${py} outside the box`);
    assert.ok(face.arousal >= -1 && face.arousal <= 1 && face.valence >= -1 && face.valence <= 1, `${what}: arousal/valence`);
    for (const module of ['pam', 'ram', 'fused'] as const) {
        assert.deepEqual(Object.keys(face.personality[module]), TRAITS, `${what}: ${module}`);
        for (const v of Object.values(face.personality[module])) assert.ok(v >= 0 && v <= 1, `${what}: ${module} ${v}`);
    }
    // The experiment's fusion weights, pam 6 and ram 1.
    for (const t of TRAITS) {
        const { pam, ram, fused } = face.personality;
        assert.ok(Math.abs(fused[t] - (6 * pam[t] + ram[t]) / 7) < 2e-6, `${what}: fused ${t}`);
    }
}

describe('persemon synth, data inspect, run, eval and predict on data in the real formats', function () {
    this.timeout(300_000);
    let tmp: string;
    let chalearn: string;
    let affwild: string;
    let corrupt: string;
    let runDir: string;

    const persemon = (...args: string[]) => cli(args, { env: { ...process.env, XDG_CACHE_HOME: path.join(tmp, 'cache') } });
    const ok = (...args: string[]) => {
        const r = persemon(...args);
        assert.equal(r.status, 0, `persemon ${args.join(' ')}: ${r.stderr}`);
        return r.stdout;
    };

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-data-'));
        chalearn = path.join(tmp, 'chalearn');
        affwild = path.join(tmp, 'aff-wild');
        const printed = ok('synth', '--format', 'chalearn', '--out', chalearn, '--videos', '10', '--frames', '12', '--seed', '3');
        assert.match(printed, new RegExp(`^wrote synthetic chalearn data to ${chalearn} \\(seed 3\\)`));
        assert.match(printed, /train +6 clips in training80_01\//);
        ok('synth', '--format', 'affwild', '--out', affwild, '--videos', '6', '--frames', '12', '--seed', '3');
        // A download cut short: only the start of the file is there.
        const folder = path.join(chalearn, 'training80_01');
        corrupt = path.join(folder, fs.readdirSync(folder).sort()[0]);
        fs.writeFileSync(corrupt, fs.readFileSync(corrupt).subarray(0, 400));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('data inspect --json reports ChaLearn as python3 reads its pickles, with the truncated clip as the problem', () => {
        const report = JSON.parse(ok('data', 'inspect', chalearn, '--format', 'chalearn', '--json'));
        assert.deepEqual(Object.keys(report), ['format', 'root', 'splits', 'problems']);
        assert.equal(report.root, chalearn);
        const pickles = JSON.parse(execFileSync('/usr/bin/python3', ['-c',
            "import json, pickle, sys\nprint(json.dumps({f: pickle.load(open(f, 'rb'), encoding='latin1') for f in sys.argv[1:]}))",
            ...['training', 'validation', 'test'].map((s) => path.join(chalearn, `annotation_${s}.pkl`))], { encoding: 'utf8' }));
        const splitOf: Record<string, string> = { training: 'train', validation: 'validation', test: 'test' };
        for (const [file, scores] of Object.entries<Record<string, Record<string, number>>>(pickles)) {
            const split = splitOf[/annotation_(\w+)\.pkl$/.exec(file)![1]];
            // The unreadable clip is no item: inspect counts what a run can use.
            const clips = Object.keys(scores.extraversion).filter((c) => c !== path.basename(corrupt));
            const got = report.splits[split];
            assert.deepEqual([got.items, got.labelled], [clips.length, clips.length], split);
            assert.deepEqual(Object.keys(got.labels), TRAITS, split);
            for (const t of TRAITS) assertStats(got.labels[t], stats(clips.map((c) => scores[t][c])), `${split} ${t}`);
        }
        assert.equal(report.splits.train.items, 5);
        assert.equal(report.problems.length, 1, JSON.stringify(report.problems));
        assert.equal(report.problems[0].file, corrupt);

        const text = ok('data', 'inspect', chalearn, '--format', 'chalearn');
        assert.match(text, new RegExp(`1 problem:\\n  training80_01/${path.basename(corrupt).replace(/[.-]/g, '\\$&')}: `));
    });

    it('data inspect --json reports Aff-Wild label statistics as the annotation files hold them', () => {
        const report = JSON.parse(ok('data', 'inspect', affwild, '--format', 'affwild', '--json'));
        assert.deepEqual(report.problems, []);
        assert.deepEqual(Object.keys(report.splits).sort(), ['test', 'train']);
        for (const split of ['train', 'test']) {
            const ids = fs.readdirSync(path.join(affwild, 'videos', split)).map((f) => f.replace(/\.mp4$/, ''));
            const values = (d: string) => ids.flatMap((id) => fs.readFileSync(path.join(affwild, 'annotations', split, d, `${id}.txt`), 'utf8').trim().split('\n').map(Number));
            const got = report.splits[split];
            assert.deepEqual([got.items, got.labelled], [ids.length, ids.length], split);
            assert.equal(values('arousal').length, ids.length * 12);
            for (const d of ['arousal', 'valence']) assertStats(got.labels[d], stats(values(d)), `${split} ${d}`);
        }
    });

    it('data inspect exits 1 when no item is labelled, 0 when the dataset is usable with problems, and its help says so', () => {
        // Usable, with its truncated clip listed: exit 0 (ok() checks the status).
        assert.match(ok('data', 'inspect', chalearn, '--format', 'chalearn'), /1 problem:/);
        // Clips with no annotation at all: nothing to train on.
        const bare = path.join(tmp, 'bare');
        fs.mkdirSync(path.join(bare, 'videos', 'train'), { recursive: true });
        fs.copyFileSync(path.join(affwild, 'videos', 'train', fs.readdirSync(path.join(affwild, 'videos', 'train'))[0]), path.join(bare, 'videos', 'train', 'v1.mp4'));
        const r = persemon('data', 'inspect', bare, '--format', 'affwild', '--json');
        assert.equal(r.status, 1, r.stderr);
        const report = JSON.parse(r.stdout);
        assert.ok(report.problems.length > 0, 'the report is still printed');
        assert.equal(r.stderr, `persemon: ${bare}: no labelled item, so nothing to train or evaluate on (see the problems listed)\n`);

        const help = ok('data', 'inspect', '--help');
        assert.match(help, /^usage: persemon data inspect DIR --format chalearn\|affwild\|affwild2\|folder \[--json\]\n/);
        assert.match(help, /exit status: 0 when the dataset is usable \(at least one labelled item\), its problems listed;\n +1 when it is unusable \(no labelled item, or no dataset there\); 2 for bad arguments/);
        assert.equal(ok('data', '--help'), help);
    });

    it('runs an experiment on both datasets through detection and alignment, skipping the bad clip', () => {
        const doc = path.join(tmp, 'ondisk.persemon');
        fs.writeFileSync(doc, tinyExperiment({
            name: 'OnDisk', seed: 2, input: 32, iterations: 4, checkpoint: 4,
            datasets: [
                'dataset a: personality from chalearn "chalearn" { faces { detect tiny  align 32x32 } }',
                'dataset b: emotion from affwild "aff-wild" { faces { detect tiny  align 32x32 } }'
            ],
            evaluate: 'personality on a.test  emotion on b.validation  fusion pam 6 ram 1'
        }));
        runDir = ok('run', doc, '--out', path.join(tmp, 'runs')).split('\n')[0];
        const events = fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
        const data = new Map(events.filter((e) => e.type === 'data').map((e) => [e.dataset, e]));
        const a = data.get('a');
        assert.deepEqual([a.items, a.skipped, a.reasons, a.faces_not_found], [9, 1, { 'unreadable video': 1 }, 0]);
        assert.deepEqual(a.problems.map((p: { file: string }) => p.file), [corrupt]);
        const b = data.get('b');
        assert.deepEqual([b.items, b.skipped, b.faces_not_found, b.problems], [6, 0, 0, []]);

        const report = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8'));
        assert.equal(report.step, 4);
        for (const module of ['pam', 'ram', 'fused']) assert.deepEqual(Object.keys(report.splits.test.personality[module].A), [...TRAITS, 'mean']);
        assert.ok(report.splits.validation.emotion.mse.mean > 0);
        // Every evaluated frame had its face found: 2 test clips, and all 12 frames of Aff-Wild's one validation video.
        const rows = (name: string) => fs.readFileSync(path.join(runDir, 'predictions', name), 'utf8').trim().split('\n').length - 1;
        assert.equal(rows('test-personality.csv'), 2);
        assert.equal(rows('validation-emotion.csv'), 12);
    });

    it('eval re-scores the latest checkpoint to the same report', () => {
        const before = fs.readFileSync(path.join(runDir, 'report.json'), 'utf8');
        ok('eval', runDir);
        assert.deepEqual(JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')).splits, JSON.parse(before).splits);
    });

    it('predict --json finds the face in a synthetic frame and in a real photograph', () => {
        const clip = path.join(chalearn, 'test80_01', fs.readdirSync(path.join(chalearn, 'test80_01'))[0]);
        const frame = path.join(tmp, 'frame.png');
        execFileSync(findFfmpeg().path, ['-v', 'error', '-i', clip, '-vf', 'select=eq(n\\,6)', '-frames:v', '1', frame]);
        for (const [file, width, height] of [[frame, 160, 160], [ASTRONAUT, 512, 512]] as const) {
            const result = JSON.parse(ok('predict', runDir, file, '--json'));
            assert.deepEqual(Object.keys(result), ['source', 'faces']);
            assert.equal(result.source, file);
            assert.equal(result.faces.length, 1, `${file}: one face`);
            assertFace(result.faces[0], width, height, file);
        }
        const text = ok('predict', runDir, ASTRONAUT);
        assert.match(text, /: 1 face\n\nface 1 at x \d+, y \d+, \d+x\d+ px\n  arousal +-?\d\.\d{3} +valence +-?\d\.\d{3}\n  trait +pam +ram +fused\n  extraversion /);
    });

    it('predict --json on a video gives every frame and a video-level personality', () => {
        const video = path.join(affwild, 'videos', 'test', fs.readdirSync(path.join(affwild, 'videos', 'test'))[0]);
        const result = JSON.parse(ok('predict', runDir, video, '--json'));
        assert.deepEqual(Object.keys(result), ['source', 'faces', 'frames', 'personality']);
        assert.deepEqual(result.frames.map((f: { index: number }) => f.index), Array.from({ length: 12 }, (_, i) => i));
        for (const f of result.frames) {
            assert.ok(Math.abs(f.time - f.index / 30) < 1e-4, `frame ${f.index} at ${f.time} s`);
            assert.equal(f.faces.length, 1, `frame ${f.index}`);
            assertFace(f.faces[0], 160, 160, `frame ${f.index}`);
        }
        assert.deepEqual(Object.keys(result.personality), ['pam', 'ram', 'fused']);
    });

    it('predict on an image without a face exits 1 naming the file', () => {
        const grey = path.join(tmp, 'grey.png');
        execFileSync(findFfmpeg().path, ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=gray:s=128x128', '-frames:v', '1', grey]);
        const r = persemon('predict', runDir, grey, '--json');
        assert.equal(r.status, 1);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, new RegExp(`^persemon: ${grey}: no face found`));
    });

    it('bad arguments exit 2, bad data 1, each saying what is wrong', () => {
        const cases: Array<[string[], number, RegExp]> = [
            [['synth', '--format', 'vggface', '--out', path.join(tmp, 'x')], 2, /--format chalearn\|affwild, not 'vggface'/],
            [['synth', '--format', 'affwild', '--out', affwild], 1, new RegExp(`${affwild}: is not empty`)],
            [['data', 'inspect', chalearn], 2, /--format chalearn\|affwild\|affwild2\|folder/],
            [['data', 'inspect', path.join(tmp, 'nowhere'), '--format', 'affwild'], 1, /nowhere: does not exist/],
            [['predict', runDir, path.join(tmp, 'missing.png')], 1, /missing\.png: file not found/],
        ];
        for (const [args, status, message] of cases) {
            const r = persemon(...args);
            assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
            assert.match(r.stderr, message, args.join(' '));
        }
    });
});
