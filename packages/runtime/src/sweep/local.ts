/**
 * Runs a sweep's points on this machine, at most `parallel` at once, each as a child `persemon run`
 * (or `persemon resume` for a point that had started), its output in logs/<point>.log. With
 * `failFast`, the first failure stops the launching and asks the running points to stop after their
 * current step (SIGINT: they keep a checkpoint and resume later).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { observePoint } from './point-state.js';

/**
 * The caller's hold on a running sweep (Ctrl-C): `stop` launches nothing more and asks the running
 * points to stop after their current step; `quit`, set here, asks them to quit at once.
 */
export interface SweepControl {
    stop: boolean;
    quit?: () => void;
}

export interface PointTask {
    name: string;
    runDir: string;
    specFile: string;
}

export interface PointOutcome {
    status: 'done' | 'failed' | 'interrupted';
    code: number | null;
    signal: string | null;
    error?: string;
}

export interface LocalOptions {
    parallel: number;
    failFast: boolean;
    maxSteps?: number;
    /** The persemon command: node, its flags, the CLI's script. */
    command: string[];
    logsDir: string;
    started(task: PointTask, resumed: boolean): void;
    finished(task: PointTask, outcome: PointOutcome, log: string): void;
    control?: SweepControl;
}

/** The command line that runs one point: a fresh run in its exact folder, or a resume of it. */
export function pointArgs(task: PointTask, maxSteps: number | undefined): { args: string[]; resumed: boolean } {
    const cap = maxSteps === undefined ? [] : ['--max-steps', String(maxSteps)];
    const resumed = fs.existsSync(path.join(task.runDir, 'spec.json'));
    return resumed
        ? { args: ['resume', task.runDir, ...cap], resumed }
        : { args: ['run', task.specFile, '--run-dir', task.runDir, ...cap], resumed };
}

/** Resolves when every task has ended or, after a stop, every running one has. True when it stopped early. */
export async function runLocal(tasks: readonly PointTask[], options: LocalOptions): Promise<boolean> {
    const queue = [...tasks];
    const running = new Map<ChildProcess, PointTask>();
    const control = options.control ?? { stop: false };
    let stopped = false;

    // Each point gets SIGINT once to stop after its step (as `persemon run` takes a first Ctrl-C), a
    // second time to quit. The children have their own process group, so a Ctrl-C at the terminal
    // reaches the sweep alone and each child hears it once, from here.
    const stopAll = () => {
        stopped = true;
        control.stop = true;
        for (const child of running.keys()) child.kill('SIGINT');
    };
    control.quit = () => {
        for (const child of running.keys()) child.kill('SIGINT');
    };
    const watch = setInterval(() => {
        if (control.stop && !stopped) stopAll();
    }, 100);

    await new Promise<void>(resolve => {
        const launch = () => {
            if (control.stop && !stopped) stopAll();
            while (!control.stop && running.size < options.parallel && queue.length > 0) start(queue.shift()!);
            if (running.size === 0) resolve();
        };
        const start = (task: PointTask) => {
            const { args, resumed } = pointArgs(task, options.maxSteps);
            const log = path.join(options.logsDir, `${task.name}.log`);
            const fd = fs.openSync(log, 'a');
            fs.writeSync(fd, `$ persemon ${args.join(' ')}\n`);
            const [program, ...flags] = options.command;
            const child = spawn(program, [...flags, ...args], { stdio: ['ignore', fd, fd], detached: true });
            fs.closeSync(fd);
            running.set(child, task);
            options.started(task, resumed);
            child.on('exit', (code, signal) => {
                running.delete(child);
                const outcome = outcomeOf(task, code, signal, log, control.stop);
                options.finished(task, outcome, log);
                if (outcome.status === 'failed' && options.failFast && !control.stop) stopAll();
                launch();
            });
        };
        launch();
    });
    clearInterval(watch);
    delete control.quit;
    return stopped || queue.length > 0;
}

/** How a child ended, by its run directory first (done, an error event) and its exit status second. */
function outcomeOf(task: PointTask, code: number | null, signal: NodeJS.Signals | null, log: string, asked: boolean): PointOutcome {
    const observed = observePoint(task.runDir);
    if (observed.status === 'done' && code === 0) return { status: 'done', code, signal };
    if (code === 0 || (asked && observed.status !== 'failed' && (signal === 'SIGINT' || code === 130))) return { status: 'interrupted', code, signal };
    return { status: 'failed', code, signal, error: observed.error ?? lastError(log) ?? (signal ? `killed by ${signal}` : `exit code ${code}`) };
}

/** The error the CLI printed last (`persemon: …`), from a point's log. */
export function lastError(log: string): string | undefined {
    try {
        const lines = fs.readFileSync(log, 'utf8').split('\n');
        return lines.filter(l => l.startsWith('persemon: ')).at(-1)?.slice('persemon: '.length);
    } catch {
        return undefined;
    }
}
