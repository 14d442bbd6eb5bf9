/**
 * Finding and calling the `persemon` CLI:
 *   1. the `persemon.cliPath` setting (a .js file runs with `node`, anything else as an executable),
 *      e.g. a global install with the native engine;
 *   2. from each workspace folder upwards: node_modules/.bin/persemon, then
 *      node_modules/@persemon/runtime/bin/persemon.js (a workspace that depends on the runtime);
 *   3. the CLI bundled with the extension (dist/runtime/, which stage-runtime.mjs fills for the .vsix),
 *      run by the editor's own Node.js so that no Node.js need be installed;
 *   4. `persemon` on the PATH.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Cli {
    command: string;
    /** Arguments before the verb (the script, when the CLI is a .js file run with node). */
    prefix: string[];
    /** Where it was found, for messages. */
    source: string;
    /** Set for the CLI bundled with the extension. */
    bundled?: true;
    /** Added to the environment it runs in. */
    env?: Record<string, string>;
}

export interface CliSearch {
    setting?: string;
    folders: readonly string[];
    pathEnv?: string;
    platform?: NodeJS.Platform;
    /** The bundled CLI's script; by default dist/runtime/bin/persemon.js beside the extension's bundle. */
    bundled?: string;
}

/**
 * dist/runtime/bin/persemon.js next to dist/extension.cjs. Only the CommonJS bundle has a
 * __dirname; run from sources (tests) there is no bundled CLI.
 */
export function bundledCliScript(): string | undefined {
    return typeof __dirname === 'string' ? path.join(__dirname, 'runtime', 'bin', 'persemon.js') : undefined;
}

/**
 * The bundled CLI runs under the editor's executable: Node.js in a remote or web host, Electron
 * in the desktop editor, which ELECTRON_RUN_AS_NODE turns into plain Node.js (the CLI's native
 * modules, @napi-rs/canvas, use N-API, which Electron's Node.js provides).
 */
function bundledCli(script: string): Cli {
    return { command: process.execPath, prefix: [script], source: `bundled with the extension (${script})`, bundled: true, env: { ELECTRON_RUN_AS_NODE: '1' } };
}

function isFile(file: string): boolean {
    try {
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

function fromFile(file: string, source: string): Cli {
    const real = fs.realpathSync(file);
    return /\.[cm]?js$/.test(real)
        ? { command: 'node', prefix: [real], source }
        : { command: real, prefix: [], source };
}

export function findCli(search: CliSearch): Cli | undefined {
    const windows = (search.platform ?? process.platform) === 'win32';
    if (search.setting) {
        const file = path.resolve(search.folders[0] ?? '.', search.setting);
        return isFile(file) ? fromFile(file, `setting persemon.cliPath (${file})`) : undefined;
    }
    for (const folder of search.folders) {
        for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
            const bin = path.join(dir, 'node_modules', '.bin', windows ? 'persemon.cmd' : 'persemon');
            if (isFile(bin)) return windows ? { command: bin, prefix: [], source: bin } : fromFile(bin, bin);
            const script = path.join(dir, 'node_modules', '@persemon', 'runtime', 'bin', 'persemon.js');
            if (isFile(script)) return fromFile(script, script);
            if (path.dirname(dir) === dir) break;
        }
    }
    const bundled = search.bundled ?? bundledCliScript();
    if (bundled && isFile(bundled)) return bundledCli(bundled);
    for (const dir of (search.pathEnv ?? process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
        const bin = path.join(dir, windows ? 'persemon.cmd' : 'persemon');
        if (isFile(bin)) return { command: bin, prefix: [], source: bin };
    }
    return undefined;
}

export const CLI_NOT_FOUND = 'The persemon CLI was not found (this build of the extension does not bundle it): set "persemon.cliPath" to a persemon CLI, for example one installed with npm install -g from the @persemon/runtime tarball.';

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs a short verb (compile, predict) to completion and collects its output. */
export function execCli(cli: Cli, args: string[], cwd: string): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(cli.command, [...cli.prefix, ...args], spawnOptions(cli, cwd));
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        child.on('error', reject);
        child.on('close', code => resolve({
            code: code ?? 1,
            stdout: Buffer.concat(stdout).toString('utf8'),
            stderr: Buffer.concat(stderr).toString('utf8')
        }));
    });
}

/** How a CLI process is spawned: in `cwd`, with the CLI's own environment additions. */
export function spawnOptions(cli: Cli, cwd: string): { cwd: string; shell: boolean; env: NodeJS.ProcessEnv } {
    return { cwd, shell: cli.command.endsWith('.cmd'), env: cli.env ? { ...process.env, ...cli.env } : process.env };
}

/** What `persemon --version` says: the runtime's version and the folder it runs from. */
export interface CliVersion {
    version: string;
    location: string;
}

const versions = new Map<string, Promise<CliVersion | undefined>>();

/**
 * `persemon --version`, asked once per CLI. Undefined when the CLI does not answer it (a runtime
 * older than the option), so that a run still starts.
 */
export function cliVersion(cli: Cli): Promise<CliVersion | undefined> {
    const key = [cli.command, ...cli.prefix].join('\0');
    let version = versions.get(key);
    if (!version) {
        version = execCli(cli, ['--version'], path.dirname(cli.prefix[0] ?? cli.command))
            .then(result => parseVersion(result.code === 0 ? result.stdout : ''), () => undefined);
        versions.set(key, version);
    }
    return version;
}

/** `persemon 0.1.0 at /path/to/runtime (Node.js v20.19.0)`. */
export function parseVersion(stdout: string): CliVersion | undefined {
    const match = /^persemon (\S+) at (.+?) \(Node\.js [^)]*\)\s*$/m.exec(stdout);
    return match ? { version: match[1], location: match[2] } : undefined;
}

/** Which CLI, in words: where it came from and its version. */
export function describeCli(cli: Cli, version: CliVersion | undefined): string {
    const which = cli.bundled ? 'bundled with the extension'
        : cli.source.startsWith('setting ') ? 'from persemon.cliPath'
            : cli.source.includes(`${path.sep}node_modules${path.sep}`) ? 'from the workspace' : 'on the PATH';
    return version ? `persemon ${version.version} ${which} (${version.location})` : `persemon ${which} (version unknown)`;
}
