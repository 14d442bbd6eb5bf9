/**
 * One process per run directory: `run`, `resume` and `eval` hold RUN/.lock while they work, so two
 * processes never train one run (each logging every step) nor prune each other's checkpoints.
 *
 * The lock file appears whole in one atomic step: written under a temporary name, then hard-linked
 * to `.lock`, which fails when `.lock` exists. A lock whose process is gone from this host is stale
 * (kill -9, a crash) and is taken over.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../errors.js';

export const LOCK_FILE = '.lock';

/** Who holds a run directory; written into the lock file as JSON. */
export interface LockHolder {
    pid: number;
    host: string;
    /** ISO 8601. */
    since: string;
    /** The process's start time in clock ticks since boot (Linux), so a reused pid is not mistaken for the holder. */
    started: number | null;
    command: string;
}

export class RunLock {
    private released = false;
    private readonly onExit = () => this.release();

    private constructor(readonly file: string, readonly holder: LockHolder) {
        // A second Ctrl-C leaves through process.exit: the lock goes with the process.
        process.on('exit', this.onExit);
    }

    /** Locks `root` for this process, or throws a UserError naming the process that holds it. */
    static acquire(root: string, command: string): RunLock {
        const file = path.join(root, LOCK_FILE);
        const mine: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), started: startTime(process.pid), command };
        // A few tries: a holder may release, or another process take over a stale lock, between our steps.
        for (let attempt = 0; attempt < 5; attempt++) {
            if (create(file, mine)) return new RunLock(file, mine);
            const holder = readHolder(file);
            if (holder === null) continue;
            if (!isStale(holder)) {
                throw new UserError(`${root}: in use by process ${holder.pid} on ${holder.host} since ${holder.since} (${holder.command}); `
                    + `one process at a time may work on a run. If that process is gone, delete ${file}`);
            }
            takeOver(file, holder);
        }
        throw new UserError(`${root}: could not lock ${file}: other processes keep taking it`);
    }

    release(): void {
        if (this.released) return;
        this.released = true;
        process.off('exit', this.onExit);
        // Only our own lock: never one another process took over in the meantime.
        if (readHolder(this.file)?.pid === this.holder.pid) fs.rmSync(this.file, { force: true });
    }
}

/** Creates `file` holding `holder`, all at once; false when it already exists. */
function create(file: string, holder: LockHolder): boolean {
    // Not `.tmp-PID`: the holder's clean-up of stale temporaries must not take a contender's file.
    const tmp = `${file}.new-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(holder) + '\n');
    try {
        fs.linkSync(tmp, file);
        return true;
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
    } finally {
        fs.rmSync(tmp, { force: true });
    }
}

/** The holder a lock file names; null when the file vanished. A file that is not a lock is an error. */
export function readHolder(file: string): LockHolder | null {
    let text: string;
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
    }
    try {
        const holder = JSON.parse(text) as LockHolder;
        if (Number.isInteger(holder.pid) && typeof holder.host === 'string') return holder;
    } catch {
        // Reported below.
    }
    throw new UserError(`${file}: not a lock file this version wrote; delete it if no other persemon works on this run`);
}

/** Dead on this host. A holder on another host (a shared file system) cannot be checked: never stale. */
function isStale(holder: LockHolder): boolean {
    if (holder.host !== os.hostname()) return false;
    if (!alive(holder.pid)) return true;
    const started = startTime(holder.pid);
    return holder.started !== null && started !== null && started !== holder.started;
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        // EPERM: it exists, under another user.
        return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
}

/** Field 22 of /proc/PID/stat; null where there is no /proc. */
function startTime(pid: number): number | null {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    } catch {
        return null;
    }
}

/**
 * Moves the stale lock aside and deletes it. If another process took it over first, what we moved is
 * its fresh lock: put that back.
 */
function takeOver(file: string, stale: LockHolder): void {
    const aside = `${file}.stale-${process.pid}`;
    try {
        fs.renameSync(file, aside);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
    }
    const moved = readHolder(aside);
    if (moved !== null && (moved.pid !== stale.pid || moved.since !== stale.since)) {
        try {
            fs.linkSync(aside, file);
        } catch {
            // A third process locked it meanwhile; the one we moved lost its lock, a race too rare to chase.
        }
    }
    fs.rmSync(aside, { force: true });
}
