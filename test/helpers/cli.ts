/** Running the `persemon` CLI from source in tests on a small experiment, and reading what a run wrote. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'packages/runtime/src/cli/main.ts');
const nodeArgs = ['--conditions=source', '--import', 'tsx', cli];

export { tinyExperiment, type TinyOptions } from './experiment.js';

export interface RunEvent { type: string; step: number; time: string; [key: string]: any }

/** A fresh folder holding `text` as `name`. */
export function workspace(text: string, name = 'tiny.persemon'): { dir: string; file: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-run-'));
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return { dir, file };
}

export interface PersemonOptions {
    env?: NodeJS.ProcessEnv;
    /** Milliseconds before the command is killed (its status then null). */
    timeout?: number;
}

export function persemon(args: string[], { env = process.env, timeout = 240_000 }: PersemonOptions = {}): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [...nodeArgs, ...args], { cwd: root, encoding: 'utf8', timeout, env });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function events(runDir: string): RunEvent[] {
    return fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8').split('\n').filter(l => l !== '').map(l => JSON.parse(l));
}

export function trainLosses(runDir: string): Map<number, number> {
    return new Map(events(runDir).filter(e => e.type === 'train').map(e => [e.step, e.loss.total]));
}

/** Resolves once the run's events.jsonl holds an event matching `predicate`. */
export async function waitForEvent(child: ChildProcess, runDir: () => string | undefined, predicate: (e: RunEvent) => boolean): Promise<void> {
    for (;;) {
        if (child.exitCode !== null) throw new Error(`the run exited (${child.exitCode}) before the awaited event`);
        const dir = runDir();
        if (dir && fs.existsSync(path.join(dir, 'events.jsonl')) && events(dir).some(predicate)) return;
        await new Promise(r => setTimeout(r, 50));
    }
}

export interface StartedRun {
    child: ChildProcess;
    /** The run directory, once the command has printed it (its first line). */
    runDir: () => string | undefined;
    firstLine: Promise<string>;
    stderr: () => string;
    exit: Promise<number | null>;
}

/** `persemon run FILE --out OUT ...extra` in the background. */
export function startRun(file: string, out: string, extra: string[] = []): StartedRun {
    const child = spawn(process.execPath, [...nodeArgs, 'run', file, '--out', out, ...extra], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const runDir = () => stdout.includes('\n') ? stdout.split('\n')[0] : undefined;
    const firstLine = new Promise<string>(resolve => child.stdout!.on('data', d => {
        stdout += d;
        if (runDir() !== undefined) resolve(runDir()!);
    }));
    child.stderr!.on('data', d => (stderr += d));
    const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    return { child, runDir, firstLine, stderr: () => stderr, exit };
}
