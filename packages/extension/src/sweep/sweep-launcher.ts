/**
 * Starts `persemon sweep` through the same CLI the other commands find (runner/cli.ts) and owns the
 * process until it exits. The sweep process runs the points as its own children; what they do is
 * read from the sweep directory (sweep.json and each point's events.jsonl) by the registry, never
 * from this output, which goes to the output channel as it is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { spawnOptions, type Cli } from '../runner/cli.js';
import type { RunRegistry } from '../runner/registry.js';

export interface SweepOptions {
    sweep: string;
    maxSteps?: number;
    backend?: string;
}

/** `persemon sweep FILE --sweep NAME [--max-steps N] [--backend B]`. */
export function sweepArgs(file: string, options: SweepOptions): string[] {
    const args = ['sweep', file, '--sweep', options.sweep];
    if (options.maxSteps !== undefined) args.push('--max-steps', String(options.maxSteps));
    if (options.backend) args.push('--backend', options.backend);
    return args;
}

export class SweepLauncher implements vscode.Disposable {
    private readonly processes = new Map<string, ChildProcess>();

    constructor(private readonly registry: RunRegistry, private readonly output: vscode.OutputChannel) {}

    /** Starts the sweep; resolves with its directory, which the CLI prints on its first line. */
    start(cli: Cli, file: string, options: SweepOptions): Promise<string> {
        const args = sweepArgs(file, options);
        const cwd = path.dirname(file);
        const tag = `sweep ${options.sweep}`;
        this.output.appendLine(`$ ${[cli.command, ...cli.prefix, ...args].join(' ')}`);
        const child = spawn(cli.command, [...cli.prefix, ...args], spawnOptions(cli, cwd));
        const stderr: string[] = [];
        readline.createInterface({ input: child.stderr! }).on('line', line => {
            stderr.push(line);
            if (stderr.length > 50) stderr.shift();
            this.output.appendLine(`[${tag}] ${line}`);
        });
        return new Promise((resolve, reject) => {
            let dir: string | undefined;
            readline.createInterface({ input: child.stdout! }).on('line', line => {
                this.output.appendLine(`[${tag}] ${line}`);
                if (dir !== undefined) return;
                dir = path.resolve(cwd, line.trim());
                this.processes.set(dir, child);
                this.registry.addSweep(dir);
                resolve(dir);
            });
            child.on('error', error => reject(new Error(`could not start ${cli.command}: ${error.message}`)));
            child.on('close', (code, signal) => {
                this.output.appendLine(`[${tag}] exited with ${signal ?? `code ${code}`}`);
                if (dir === undefined) {
                    reject(new Error(stderr.slice(-5).join('\n').trim() || `persemon sweep exited with code ${code} before creating a sweep directory`));
                    return;
                }
                this.processes.delete(dir);
                this.registry.addSweep(dir, true);
                if (code !== 0 && signal === null) {
                    void vscode.window.showErrorMessage(`PersEmoN: sweep ${path.basename(dir)} ended with code ${code}: ${failureLine(stderr) ?? 'see the PersEmoN output'}`, 'Show Output')
                        .then(choice => choice && this.output.show());
                }
            });
        });
    }

    isRunning(root: string): boolean {
        return this.processes.has(path.resolve(root));
    }

    /** SIGINT: the sweep starts no new point and its running points stop after their step, with a checkpoint. */
    stop(root: string): boolean {
        const child = this.processes.get(path.resolve(root));
        if (!child) return false;
        child.kill('SIGINT');
        return true;
    }

    dispose(): void {
        for (const child of this.processes.values()) child.kill('SIGINT');
        this.processes.clear();
    }
}

/** The sweep's own word on what failed (`<point>: FAILED (...)`), else its last line. */
function failureLine(lines: string[]): string | undefined {
    return lines.find(l => /FAILED/.test(l))?.replace(/^\[[^\]]*\]\s*/, '') ?? lines.at(-1);
}
