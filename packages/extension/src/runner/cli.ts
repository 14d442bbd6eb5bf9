/**
 * Finding and calling the `persemon` CLI. The runtime is not bundled into the extension: it needs
 * TensorFlow.js's wasm files, face-api's weights and native image decoders from its own
 * node_modules, so the extension uses the one the workspace installed, the way `npx persemon` would:
 *   1. the `persemon.cliPath` setting (a .js file runs with `node`, anything else as an executable);
 *   2. from each workspace folder upwards: node_modules/.bin/persemon, then
 *      node_modules/@persemon/runtime/bin/persemon.js (a workspace that depends on the runtime);
 *   3. `persemon` on the PATH.
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
}

export interface CliSearch {
    setting?: string;
    folders: readonly string[];
    pathEnv?: string;
    platform?: NodeJS.Platform;
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
    for (const dir of (search.pathEnv ?? process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
        const bin = path.join(dir, windows ? 'persemon.cmd' : 'persemon');
        if (isFile(bin)) return { command: bin, prefix: [], source: bin };
    }
    return undefined;
}

export const CLI_NOT_FOUND = 'The persemon CLI was not found: set "persemon.cliPath", or install @persemon/runtime in the workspace (npm install @persemon/runtime).';

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs a short verb (compile, predict) to completion and collects its output. */
export function execCli(cli: Cli, args: string[], cwd: string): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(cli.command, [...cli.prefix, ...args], { cwd, shell: cli.command.endsWith('.cmd') });
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
