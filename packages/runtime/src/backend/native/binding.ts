/**
 * Fetches @tensorflow/tfjs-node(-gpu) without running its install script (which downloads
 * libtensorflow and a prebuilt binding) and builds its binding with node-gyp against the TensorFlow
 * unpacked beside it. The package's deps/ folder, where its binding.gyp looks for TensorFlow, is
 * made of relative links into that TensorFlow, and the binding's run path is `$ORIGIN/../../deps/lib`
 * (binding.gyp's), so the whole engine folder can be moved.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../errors.js';

/** The tools a build needs, each with how to get it; empty when all are here. */
export function missingBuildTools(): string[] {
    const missing: string[] = [];
    const runs = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8' }).status === 0;
    if (!runs('npm', ['--version'])) missing.push('npm (it comes with Node.js)');
    if (!runs('python3', ['--version'])) missing.push('python3 (apt-get install python3)');
    if (!runs('g++', ['--version'])) missing.push('g++ (apt-get install g++)');
    if (!runs('make', ['--version'])) missing.push('make (apt-get install make)');
    if (nodeHeadersDir() == null) missing.push(`Node.js ${process.version}'s headers (apt-get install libnode-dev for Debian's nodejs, or a Node.js from a release archive, which ships include/node)`);
    if (nodeGypScript() == null) missing.push('node-gyp (npm install -g node-gyp)');
    return missing;
}

/** The prefix whose include/node has Node's headers; node-gyp would otherwise download them. */
export function nodeHeadersDir(): string | undefined {
    const candidates = [process.env.npm_config_nodedir, path.dirname(path.dirname(process.execPath)), '/usr'];
    return candidates.find((dir): dir is string => dir != null && dir !== '' && fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h')));
}

/** npm's own node-gyp, else one on npm's global prefix. */
export function nodeGypScript(): string | undefined {
    const candidates = [process.env.npm_config_node_gyp];
    const root = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' });
    if (root.status === 0) {
        const global = root.stdout.trim();
        candidates.push(path.join(global, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
            path.join(global, 'node-gyp', 'bin', 'node-gyp.js'));
    }
    return candidates.find((file): file is string => file != null && file !== '' && fs.existsSync(file));
}

/** Installs `pkg@version` and its dependencies under `prefix`/node_modules, running no install script. */
export function fetchPackage(pkg: string, version: string, prefix: string): string {
    fs.mkdirSync(prefix, { recursive: true });
    fs.writeFileSync(path.join(prefix, 'package.json'), JSON.stringify({ name: 'persemon-native-engine', private: true }) + '\n');
    const r = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--omit=dev',
        '--loglevel=error', `${pkg}@${version}`], { cwd: prefix, encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
    if (r.status !== 0) throw new UserError(`npm could not install ${pkg}@${version}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
    return path.join(prefix, 'node_modules', ...pkg.split('/'));
}

/** The N-API version tfjs-node's loader will look for: the highest of the package's that this Node has. */
export function napiVersion(packageDir: string): number {
    const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { binary: { napi_versions: number[] } };
    const supported = Number(process.versions.napi);
    const usable = manifest.binary.napi_versions.filter((v) => v <= supported);
    if (usable.length === 0) throw new UserError(`Node.js ${process.version} has N-API ${supported}; the package needs one of ${manifest.binary.napi_versions.join(', ')}`);
    return Math.max(...usable);
}

/** deps/include and deps/lib as binding.gyp expects them, as relative links into `tensorflowDir`. */
export function linkTensorflow(packageDir: string, tensorflowDir: string): void {
    const deps = path.join(packageDir, 'deps');
    fs.rmSync(deps, { recursive: true, force: true });
    fs.mkdirSync(path.join(deps, 'lib'), { recursive: true });
    const link = (target: string, at: string) => fs.symlinkSync(path.relative(path.dirname(at), target), at);
    link(path.join(tensorflowDir, 'include'), path.join(deps, 'include'));
    for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) link(path.join(tensorflowDir, lib), path.join(deps, 'lib', lib));
    // The linker's names for them (-ltensorflow -ltensorflow_framework); the binding then records the sonames above.
    fs.symlinkSync('libtensorflow_cc.so.2', path.join(deps, 'lib', 'libtensorflow.so'));
    fs.symlinkSync('libtensorflow_framework.so.2', path.join(deps, 'lib', 'libtensorflow_framework.so'));
}

/** Builds lib/napi-v<N>/tfjs_binding.node with node-gyp; removes node-gyp's intermediate build/ after. */
export function buildBinding(packageDir: string, napi: number): string {
    const gyp = nodeGypScript();
    const nodedir = nodeHeadersDir();
    if (gyp == null || nodedir == null) throw new UserError(`cannot build the binding: missing ${missingBuildTools().join(', ')}`);
    const modulePath = path.join(packageDir, 'lib', `napi-v${napi}`);
    const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, `--napi_build_version=${napi}`,
        '--module_name=tfjs_binding', `--module_path=${modulePath}`, '--loglevel=warn'],
    { cwd: packageDir, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    const binding = path.join(modulePath, 'tfjs_binding.node');
    if (r.status !== 0 || !fs.existsSync(binding)) {
        const errors = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /error|ERR!/i.test(l)).slice(0, 6).join('\n  ');
        throw new UserError(`node-gyp could not build the tfjs binding in ${packageDir}:\n  ${errors || 'no error text'}`);
    }
    fs.rmSync(path.join(packageDir, 'build'), { recursive: true, force: true });
    return binding;
}
