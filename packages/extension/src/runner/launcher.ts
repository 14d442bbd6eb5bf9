/**
 * Starts `persemon run | resume | eval` as child processes and owns them until they exit. The
 * processes' output goes to the output channel as it is; what the runs did is read from their
 * events.jsonl by the registry, never from this output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { cliVersion, spawnOptions, type Cli, type CliVersion } from './cli.js';
import type { RunRegistry } from './registry.js';

export interface RunOptions {
    experiment: string;
    maxSteps?: number;
    backend?: string;
}

/** The CLI that last ran or resumed a run in this window, by run directory, and its version. */
export interface RunCli {
    cli: Cli;
    version: Promise<CliVersion | undefined>;
}

const clis = new Map<string, RunCli>();

/** Which CLI this window last started the run with; undefined for runs started elsewhere. */
export function runCli(dir: string): RunCli | undefined {
    return clis.get(path.resolve(dir));
}

/** After Stop, how long the run gets to write its `stopped` event before it is killed. */
const STOP_GRACE_MS = 15_000;

export class RunLauncher implements vscode.Disposable {
    /** Live processes by run directory. */
    private readonly processes = new Map<string, ChildProcess>();

    constructor(private readonly registry: RunRegistry, private readonly output: vscode.OutputChannel) {}

    /** Starts `persemon run`; resolves with the run directory, which the CLI prints on its first line. */
    run(cli: Cli, file: string, options: RunOptions): Promise<string> {
        const args = ['run', file, '--experiment', options.experiment];
        if (options.maxSteps !== undefined) args.push('--max-steps', String(options.maxSteps));
        if (options.backend) args.push('--backend', options.backend);
        const cwd = path.dirname(file);
        const child = this.spawn(cli, args, cwd, options.experiment);
        return new Promise((resolve, reject) => {
            let dir: string | undefined;
            const stderr: string[] = [];
            const lines = readline.createInterface({ input: child.stdout! });
            lines.on('line', line => {
                this.output.appendLine(`[${options.experiment}] ${line}`);
                if (dir !== undefined) return;
                dir = path.resolve(cwd, line.trim());
                this.adopt(dir, child, cli);
                resolve(dir);
            });
            readline.createInterface({ input: child.stderr! }).on('line', line => stderr.push(line));
            child.on('error', error => reject(new Error(`could not start ${cli.command}: ${error.message}`)));
            child.on('close', code => {
                if (dir === undefined) reject(new Error(lastLines(stderr) || `persemon run exited with code ${code} before creating a run directory`));
            });
        });
    }

    /** `persemon resume RUN_DIR`: continues in the same directory. */
    resume(cli: Cli, dir: string): ChildProcess {
        const child = this.spawn(cli, ['resume', dir], path.dirname(dir), path.basename(dir));
        this.pipe(child.stdout!, path.basename(dir));
        this.adopt(dir, child, cli);
        return child;
    }

    /** `persemon eval RUN_DIR [--split S]`; resolves with its exit code. */
    evaluate(cli: Cli, dir: string, split?: string): Promise<number> {
        const args = ['eval', dir];
        if (split) args.push('--split', split);
        const child = this.spawn(cli, args, path.dirname(dir), `eval ${path.basename(dir)}`);
        this.pipe(child.stdout!, `eval ${path.basename(dir)}`);
        return new Promise((resolve, reject) => {
            child.on('error', reject);
            child.on('close', code => resolve(code ?? 1));
        });
    }

    isRunning(dir: string): boolean {
        return this.processes.has(path.resolve(dir));
    }

    /** Asks the run to stop (SIGINT: it checkpoints and logs `stopped`), then kills it if it hangs. */
    stop(dir: string): boolean {
        const child = this.processes.get(path.resolve(dir));
        if (!child) return false;
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        child.once('exit', () => clearTimeout(timer));
        return true;
    }

    dispose(): void {
        for (const child of this.processes.values()) child.kill('SIGINT');
        this.processes.clear();
    }

    private spawn(cli: Cli, args: string[], cwd: string, tag: string): ChildProcess {
        this.output.appendLine(`$ ${[cli.command, ...cli.prefix, ...args].map(quote).join(' ')}`);
        const child = spawn(cli.command, [...cli.prefix, ...args], spawnOptions(cli, cwd));
        this.pipe(child.stderr!, tag);
        child.on('error', error => this.output.appendLine(`[${tag}] ${error.message}`));
        child.on('close', (code, signal) => this.output.appendLine(`[${tag}] exited with ${signal ?? `code ${code}`}`));
        return child;
    }

    private adopt(dir: string, child: ChildProcess, cli: Cli): void {
        const key = path.resolve(dir);
        clis.set(key, { cli, version: cliVersion(cli) });
        this.processes.set(key, child);
        this.registry.add(key);
        this.registry.setOwned(key, true);
        child.on('close', code => {
            this.processes.delete(key);
            this.registry.setOwned(key, false);
            const run = this.registry.get(key);
            if (code !== 0 && run?.state !== 'stopped') {
                void vscode.window.showErrorMessage(`PersEmoN: ${path.basename(key)} ended with code ${code}: ${run?.summary.end?.message ?? 'see the PersEmoN output'}`, 'Show Output')
                    .then(choice => choice && this.output.show());
            }
        });
    }

    private pipe(stream: NodeJS.ReadableStream, tag: string): void {
        readline.createInterface({ input: stream }).on('line', line => this.output.appendLine(`[${tag}] ${line}`));
    }
}

function lastLines(lines: string[]): string {
    return lines.slice(-5).join('\n').trim();
}

function quote(arg: string): string {
    return /^[\w./@:=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
