/**
 * TensorFlow and CUDA wheels: obtained with pip, read and unpacked with Python's zipfile (python3 is
 * needed anyway: node-gyp runs on it). Only the shared libraries, the C headers the binding
 * includes, and ptxas are unpacked; the rest of a wheel (Python code, ~1 GB) never reaches disk.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../errors.js';

/** Members of a TensorFlow wheel the tfjs binding needs: its two libraries and the C API headers. */
export const TENSORFLOW_MEMBERS = [
    'tensorflow/libtensorflow_cc.so.2',
    'tensorflow/libtensorflow_framework.so.2',
    'tensorflow/include/tensorflow/c/*',
    'tensorflow/include/tensorflow/core/platform/ctstring*',
    'tensorflow/include/tsl/platform/ctstring*',
    'tensorflow/include/xla/tsl/c/*',
];
/** Members of the CUDA wheels TensorFlow opens at run time, and the PTX assembler. */
export const CUDA_MEMBERS = ['nvidia/*/lib/*', 'nvidia/cuda_nvcc/bin/ptxas', 'nvidia/cuda_nvcc/nvvm/libdevice/*'];

/** Unpacks the members matching `patterns` (fnmatch) from each zip into `dest`, keeping executables executable. */
const UNPACK = `
import fnmatch, json, os, shutil, stat, sys, zipfile
dest, patterns, archives = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3:]
count = 0
for archive in archives:
    with zipfile.ZipFile(archive) as z:
        for info in z.infolist():
            if info.is_dir() or not any(fnmatch.fnmatch(info.filename, p) for p in patterns):
                continue
            target = os.path.join(dest, info.filename)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with z.open(info) as src, open(target, 'wb') as out:
                shutil.copyfileobj(src, out, 1 << 20)
            mode = (info.external_attr >> 16) & 0o777
            os.chmod(target, mode | stat.S_IRUSR | stat.S_IWUSR if mode else 0o644)
            count += 1
print(count)
`;

/** The requirements of a wheel's extra (e.g. TensorFlow's `and-cuda`), from its METADATA. */
const EXTRA_REQUIREMENTS = `
import re, sys, zipfile
archive, extra = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(archive) as z:
    name = next(n for n in z.namelist() if n.endswith('.dist-info/METADATA'))
    for line in z.read(name).decode('utf-8').splitlines():
        m = re.match(r'Requires-Dist:\\s*([^;]+);(.*)', line)
        if m and re.search(r'extra\\s*==\\s*["\\']' + re.escape(extra) + r'["\\']', m.group(2)):
            print(m.group(1).replace(' ', ''))
`;

function python(script: string, args: string[], what: string): string {
    const r = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
    if (r.error) throw new UserError(`${what}: python3 did not start (${r.error.message}); install python3`);
    if (r.status !== 0) throw new UserError(`${what}: ${lastLines(r.stderr)}`);
    return r.stdout;
}

export function unpack(archives: string[], patterns: string[], dest: string): number {
    return Number(python(UNPACK, [dest, JSON.stringify(patterns), ...archives], `unpacking ${archives.map((a) => path.basename(a)).join(', ')}`));
}

export function extraRequirements(wheel: string, extra: string): string[] {
    return python(EXTRA_REQUIREMENTS, [wheel, extra], `reading ${wheel}'s requirements`).split('\n').filter((l) => l !== '');
}

/** Downloads wheels (never their dependencies) into `dir` with pip; the files it added. */
export function pipDownload(requirements: string[], dir: string): string[] {
    fs.mkdirSync(dir, { recursive: true });
    const before = new Set(fs.readdirSync(dir));
    const r = spawnSync('python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check',
        '--quiet', '-d', dir, ...requirements], { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
    if (r.status !== 0) {
        throw new UserError(`pip could not obtain ${requirements.join(' ')}: ${lastLines(r.stderr || r.stdout)}. `
            + 'Give a wheel you already have with --wheel FILE (or an unpacked TensorFlow with --wheel DIR)');
    }
    return fs.readdirSync(dir).filter((f) => !before.has(f) && f.endsWith('.whl')).map((f) => path.join(dir, f));
}

function lastLines(text: string, n = 3): string {
    return text.trim().split('\n').slice(-n).join(' ').trim() || 'no output';
}
