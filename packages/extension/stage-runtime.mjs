// Copies the persemon CLI into dist/runtime/ so the .vsix runs experiments with nothing else
// installed: the runtime's bundle (dist/persemon.js, which holds @persemon/language and every pure
// JavaScript dependency) and, in dist/runtime/node_modules, the packages it leaves external because
// they carry native binaries, wasm files or weights (packages/runtime/esbuild.mjs), with their own
// dependencies, as this machine installed them: the linux-x64 builds of @napi-rs/canvas and ffmpeg.
// Only the files those packages load are copied (their Node entry, wasm-out/, the face models the
// runtime loads), not their browser builds, sources, types and source maps.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const runtime = path.resolve(here, '../runtime');
const out = path.join(here, 'dist', 'runtime');

/** What the bundle imports or resolves at run time (packages/runtime/esbuild.mjs's externals). */
const EXTERNAL = [
    '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm',
    '@vladmandic/face-api', '@napi-rs/canvas', '@ffmpeg-installer/ffmpeg'
];

/** The nets src/data/faces/detector.ts loads: the two detectors and the 68 landmarks. */
const FACE_MODELS = ['ssd_mobilenetv1_model', 'tiny_face_detector_model', 'face_landmark_68_model'];

/** Per package, which of its files to keep (a path relative to the package); others keep all but the generic drops. */
const KEEP = {
    '@tensorflow/tfjs-core': (file) => file === 'dist/tf-core.node.js' || !file.startsWith('dist/'),
    '@tensorflow/tfjs-backend-cpu': (file) => file === 'dist/tf-backend-cpu.node.js' || !file.startsWith('dist/'),
    // wasm-out/ (glue, worker and binaries, src/backend/wasm-assets.ts) is outside dist/ and kept; so
    // are dist/'s own copies of the binaries, the shipped loader's default place.
    '@tensorflow/tfjs-backend-wasm': (file) => file === 'dist/tf-backend-wasm.node.js' || file.endsWith('.wasm') || !file.startsWith('dist/'),
    '@vladmandic/face-api': (file) => file === 'dist/face-api.node-wasm.js' || file === 'LICENSE'
        || (file.startsWith('model/') && FACE_MODELS.some((m) => path.basename(file).startsWith(`${m}.`) || path.basename(file).startsWith(`${m}-`)))
};

/** Never needed to run: types, source maps, TypeScript sources, documentation. */
function generic(file) {
    return !/\.(d\.[cm]?ts|map|ts|md|markdown)$/i.test(file) && !/(^|\/)(src|test|tests|docs?|demo|types|\.github)\//.test(file);
}

function packageDir(name, from) {
    for (let dir = from; ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, 'node_modules', ...name.split('/'));
        if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
        if (path.dirname(dir) === dir) return undefined;
    }
}

function readJson(file) {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The packages to copy: the externals and what they depend on, optional ones only where installed. */
function closure() {
    const found = new Map();
    const visit = (name, from, optional) => {
        // Type declarations only (tfjs-core names @webgpu/types among its dependencies).
        if (name.startsWith('@types/') || name === '@webgpu/types') return;
        const dir = packageDir(name, from);
        if (!dir) {
            if (optional) return;
            throw new Error(`${name} (needed by ${from}) is not installed: run npm ci`);
        }
        const seen = found.get(name);
        if (seen) {
            if (seen !== dir && readJson(path.join(seen, 'package.json')).version !== readJson(path.join(dir, 'package.json')).version) {
                throw new Error(`two versions of ${name} (${seen}, ${dir}): the staged node_modules is flat`);
            }
            return;
        }
        found.set(name, dir);
        const manifest = readJson(path.join(dir, 'package.json'));
        for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir, false);
        for (const dep of Object.keys(manifest.optionalDependencies ?? {})) visit(dep, dir, true);
    };
    for (const name of EXTERNAL) visit(name, runtime, false);
    return found;
}

function copyTree(from, to, keep, relative = '') {
    let bytes = 0;
    let files = 0;
    for (const entry of fs.readdirSync(path.join(from, relative), { withFileTypes: true })) {
        const rel = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
            if (entry.name === 'node_modules') continue;
            const sub = copyTree(from, to, keep, rel);
            bytes += sub.bytes;
            files += sub.files;
        } else if (entry.isFile() && (rel === 'package.json' || (generic(rel) && keep(rel)))) {
            const target = path.join(to, rel);
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.copyFileSync(path.join(from, rel), target);
            // Keep executables (ffmpeg) executable.
            fs.chmodSync(target, fs.statSync(path.join(from, rel)).mode & 0o777);
            bytes += fs.statSync(target).size;
            files++;
        }
    }
    return { bytes, files };
}

/** Every bare package the bundle imports or resolves must have been staged. */
function checkImports(bundle, staged) {
    const text = fs.readFileSync(bundle, 'utf8');
    const specifiers = new Set();
    for (const match of text.matchAll(/^import\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"|require(?:\.resolve)?\("(@[^"]+)"\)/gm)) {
        specifiers.add(match[1] ?? match[2] ?? match[3]);
    }
    const missing = [...specifiers]
        .filter((s) => !s.startsWith('node:') && !s.startsWith('.') && !s.startsWith('ajv/'))
        .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2) : s.split('/').slice(0, 1)).join('/'))
        .filter((name) => !staged.has(name) && !isBuiltin(name));
    if (missing.length > 0) throw new Error(`the runtime bundle needs ${[...new Set(missing)].join(', ')}, which stage-runtime.mjs does not copy`);
}

function isBuiltin(name) {
    return ['fs', 'path', 'os', 'url', 'util', 'crypto', 'child_process', 'net', 'module', 'zlib', 'vm', 'events', 'stream', 'worker_threads'].includes(name);
}

const bundle = path.join(runtime, 'dist', 'persemon.js');
if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run bundle -w @persemon/runtime`);
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'dist'), { recursive: true });
fs.mkdirSync(path.join(out, 'bin'), { recursive: true });
fs.copyFileSync(bundle, path.join(out, 'dist', 'persemon.js'));
fs.copyFileSync(path.join(runtime, 'bin', 'persemon.js'), path.join(out, 'bin', 'persemon.js'));
fs.chmodSync(path.join(out, 'bin', 'persemon.js'), 0o755);
const manifest = readJson(path.join(runtime, 'package.json'));
// The CLI finds its version in the first @persemon/runtime package.json above it; "type" makes the bundle an ES module.
fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify({
    name: manifest.name, version: manifest.version, private: true, type: 'module', bin: manifest.bin, license: manifest.license
}, null, 2) + '\n');

const packages = closure();
checkImports(bundle, packages);
let total = 0;
for (const [name, dir] of [...packages].sort()) {
    const { bytes, files } = copyTree(dir, path.join(out, 'node_modules', ...name.split('/')), KEEP[name] ?? (() => true));
    total += bytes;
    if (bytes > 1_000_000) console.log(`stage-runtime: ${name} ${(bytes / 1e6).toFixed(1)} MB in ${files} files`);
}
console.log(`stage-runtime: ${packages.size} packages, ${(total / 1e6).toFixed(1)} MB, and the CLI bundle ${(fs.statSync(bundle).size / 1e6).toFixed(1)} MB in ${path.relative(here, out)}`);
