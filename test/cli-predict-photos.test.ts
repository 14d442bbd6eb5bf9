/**
 * `persemon predict` on photographs as people take them, made at test time from the NASA portrait
 * with ImageMagick and exiftool: the face small and off-centre in a 12-megapixel picture, several
 * faces in one, a phone's portrait stored sideways with an EXIF orientation, and the portrait in
 * the formats and pixel layouts cameras and editors write. Each face must be found where it is:
 * its landmarks are compared with those found on the original portrait, moved by the same scaling,
 * shift or rotation that made the picture.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DetectorKind, type FacePrediction, isVideoPrediction, Predictor } from '@persemon/runtime';
import { ASTRONAUT, exiftool, magick, tempDir } from '../packages/runtime/test/data/fixtures.js';
import { untrainedRun } from '../packages/runtime/test/predict/run-fixture.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'packages/runtime/src/cli/main.ts');

type Point = [number, number];
/** Where a point of the original 512x512 portrait lands in a made picture. */
type Move = (p: Point) => Point;

const scaleAndShift = (size: number, x: number, y: number): Move => ([px, py]) => [(px * size) / 512 + x, (py * size) / 512 + y];

/** A 4000x3000 photo: a soft colour gradient with the portrait scaled to `size` at each (x, y). */
function photo(file: string, size: number, at: Array<[number, number]>): string {
    const layers = at.flatMap(([x, y]) => ['(', ASTRONAUT, '-resize', `${size}x${size}`, ')', '-geometry', `+${x}+${y}`, '-composite']);
    magick('-size', '4000x3000', 'gradient:#6a7f96-#d8c8a8', ...layers, '-quality', '90', file);
    return file;
}

describe('persemon predict on photographs', function () {
    this.timeout(900_000);
    let tmp: ReturnType<typeof tempDir>;
    const predictors = new Map<DetectorKind, Predictor>();
    const reference = new Map<DetectorKind, FacePrediction>();
    const runs = new Map<DetectorKind, string>();

    const faces = async (detector: DetectorKind, file: string): Promise<FacePrediction[]> => {
        const prediction = await predictors.get(detector)!.predictFile(file);
        assert.ok(!isVideoPrediction(prediction));
        return prediction.faces;
    };

    /** The face is where the portrait's face was moved to: each of its five landmarks within 8% of the face's size. */
    const assertWhere = (face: FacePrediction, detector: DetectorKind, move: Move, what: string) => {
        const original = reference.get(detector)!;
        const expected = original.landmarks.map(move);
        const size = Math.hypot(expected[0][0] - expected[4][0], expected[0][1] - expected[4][1]);
        face.landmarks.forEach(([x, y], i) => {
            const d = Math.hypot(x - expected[i][0], y - expected[i][1]);
            assert.ok(d < 0.08 * size, `${what}: landmark ${i} at ${x},${y} is ${d.toFixed(1)} px from ${expected[i].map(Math.round)} (face ${size.toFixed(0)} px)`);
        });
        const { x, y, width, height } = face.box;
        const [cx, cy] = move([original.box.x + original.box.width / 2, original.box.y + original.box.height / 2]);
        assert.ok(cx > x && cx < x + width && cy > y && cy < y + height, `${what}: box ${JSON.stringify(face.box)} holds the face's centre ${Math.round(cx)},${Math.round(cy)}`);
    };

    before(async function () {
        tmp = tempDir('predict-photos');
        for (const detector of ['tiny', 'ssd'] as const) {
            runs.set(detector, await untrainedRun(path.join(tmp.dir, detector), detector));
            const predictor = await Predictor.open(runs.get(detector)!);
            predictors.set(detector, predictor);
            const found = await faces(detector, ASTRONAUT);
            assert.equal(found.length, 1, `${detector}: the portrait's one face`);
            reference.set(detector, found[0]);
        }
    });
    after(() => {
        for (const p of predictors.values()) p.dispose();
        tmp.remove();
    });

    for (const detector of ['tiny', 'ssd'] as const) {
        it(`${detector}: finds a face a twelfth of a 4000x3000 photo's width, off-centre, where it is`, async function () {
            const file = photo(path.join(tmp.dir, 'off-centre.jpg'), 1500, [[2300, 1300]]);
            const found = await faces(detector, file);
            assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.box)));
            assertWhere(found[0], detector, scaleAndShift(1500, 2300, 1300), 'off-centre');
        });

        it(`${detector}: finds a face a thirtieth of the photo's width in a corner`, async function () {
            const file = photo(path.join(tmp.dir, 'corner.jpg'), 600, [[3200, 150]]);
            const found = await faces(detector, file);
            assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.box)));
            assertWhere(found[0], detector, scaleAndShift(600, 3200, 150), 'corner');
        });

        it(`${detector}: finds each of three small faces in one photo, each where it is`, async function () {
            const at: Array<[number, number]> = [[150, 200], [1700, 1700], [3100, 300]];
            const file = photo(path.join(tmp.dir, 'group.jpg'), 650, at);
            const found = await faces(detector, file);
            assert.equal(found.length, 3, JSON.stringify(found.map((f) => f.box)));
            for (const [x, y] of at) {
                const [ex] = scaleAndShift(650, x, y)(reference.get(detector)!.landmarks[0]);
                const face = found.reduce((a, b) => (Math.abs(b.landmarks[0][0] - ex) < Math.abs(a.landmarks[0][0] - ex) ? b : a));
                assertWhere(face, detector, scaleAndShift(650, x, y), `the face at ${x},${y}`);
            }
        });
    }

    it('turns a phone photo stored sideways or upside down upright by its EXIF orientation before finding the face', async function () {
        // The picture as the phone shows it: 1500x2000, the portrait at 700 px off-centre.
        const upright = path.join(tmp.dir, 'upright.jpg');
        magick('-size', '1500x2000', 'gradient:#8a6f56-#c8d8e8', '(', ASTRONAUT, '-resize', '700x700', ')', '-geometry', '+650+1100', '-composite', '-quality', '92', upright);
        const move = scaleAndShift(700, 650, 1100);
        // As the sensor stored it, and the tag that says how to turn it: 6 is 90 degrees clockwise.
        for (const [orientation, turn] of [[6, '-90'], [8, '90'], [3, '180']] as const) {
            const file = path.join(tmp.dir, `stored-${orientation}.jpg`);
            magick(upright, '-rotate', turn, '-quality', '92', file);
            exiftool(`-Orientation=${orientation}`, '-n', file);
            // Each orientation with the tiny detector; the usual one of a phone held upright with SSD too.
            for (const detector of orientation === 6 ? (['tiny', 'ssd'] as const) : (['tiny'] as const)) {
                const found = await faces(detector, file);
                assert.equal(found.length, 1, `orientation ${orientation}, ${detector}: ${JSON.stringify(found.map((f) => f.box))}`);
                assertWhere(found[0], detector, move, `orientation ${orientation}, ${detector}`);
            }
        }
    });

    it('reads the portrait in the formats and pixel layouts cameras and editors write, and finds its face where it is', async function () {
        const variants: Array<[string, string[]]> = [
            ['grey.png', ['-colorspace', 'Gray']],
            ['deep.png', ['-depth', '16', 'PNG48:']],
            ['palette.png', ['-colors', '128', 'PNG8:']],
            ['alpha.png', ['-alpha', 'set', '-channel', 'A', '-fx', 'i < 420 ? 1 : 0', '+channel', 'PNG32:']],
            ['cmyk.jpg', ['-colorspace', 'CMYK', '-quality', '92']],
            ['progressive.jpg', ['-interlace', 'JPEG', '-quality', '92']],
            ['photo.webp', ['-quality', '90']],
            ['photo.avif', ['-quality', '85']],
            ['photo.gif', []],
            ['photo.bmp', []],
        ];
        for (const [name, args] of variants) {
            const file = path.join(tmp.dir, name);
            const prefix = args.at(-1)?.endsWith(':') ? args.at(-1)! : '';
            magick(ASTRONAUT, ...(prefix ? args.slice(0, -1) : args), `${prefix}${file}`);
            const found = await faces('tiny', file);
            assert.equal(found.length, 1, name);
            assertWhere(found[0], 'tiny', (p) => p, name);
        }
    });

    it('prints the --json contract for the off-centre photo from the command line', function () {
        const file = photo(path.join(tmp.dir, 'cli.jpg'), 1500, [[200, 1300]]);
        const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', cli, 'predict', runs.get('tiny')!, file, '--json'], {
            cwd: root, encoding: 'utf8', timeout: 300_000, env: { ...process.env, XDG_CACHE_HOME: path.join(tmp.dir, 'cache') },
        });
        assert.equal(r.status, 0, r.stderr);
        const result = JSON.parse(r.stdout);
        assert.deepEqual(Object.keys(result), ['source', 'faces']);
        assert.equal(result.faces.length, 1);
        assertWhere(result.faces[0], 'tiny', scaleAndShift(1500, 200, 1300), 'from the command line');
    });
});
