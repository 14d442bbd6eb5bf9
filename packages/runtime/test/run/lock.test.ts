/**
 * One process per run directory: a second locker is refused with the holder named (pid, host, since),
 * a lock left by a dead process on this host is taken over, and releasing never removes another's lock.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOCK_FILE, readHolder, RunLock } from '../../src/run/lock.js';

function runFolder(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-lock-'));
}

/** The pid of a process that has exited: nothing lives under it now. */
function deadPid(): number {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    return Number(r.stdout);
}

describe('run directory lock', () => {
    it('refuses a second holder, naming the first one: pid, host and since when', () => {
        const dir = runFolder();
        const first = RunLock.acquire(dir, 'train');
        try {
            assert.throws(() => RunLock.acquire(dir, 'train'), (error: Error) => {
                assert.equal(error.name, 'UserError');
                assert.ok(error.message.startsWith(`${dir}: in use by process ${process.pid} on ${os.hostname()} since ${first.holder.since}`), error.message);
                assert.match(error.message, /\(train\)/);
                return true;
            });
        } finally {
            first.release();
        }
        assert.ok(!fs.existsSync(path.join(dir, LOCK_FILE)), 'released');
        RunLock.acquire(dir, 'eval').release();
    });

    it('takes over a lock whose process died on this host', () => {
        const dir = runFolder();
        const stale = { pid: deadPid(), host: os.hostname(), since: '2020-01-01T00:00:00.000Z', started: null, command: 'train' };
        fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(stale));
        const lock = RunLock.acquire(dir, 'train');
        assert.equal(readHolder(path.join(dir, LOCK_FILE))!.pid, process.pid);
        lock.release();
        assert.deepEqual(fs.readdirSync(dir), [], 'no lock or temporary left');
    });

    it('takes over a lock whose pid now belongs to another process (started at another time)', function () {
        const dir = runFolder();
        // Our own pid, but a start time it never had: the pid was reused after the holder died.
        if (!fs.existsSync(`/proc/${process.pid}/stat`)) this.skip();
        const reused = { pid: process.pid, host: os.hostname(), since: '2020-01-01T00:00:00.000Z', started: 1, command: 'train' };
        fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(reused));
        RunLock.acquire(dir, 'train').release();
    });

    it('never takes over a lock held on another host, which it cannot check', () => {
        const dir = runFolder();
        const remote = { pid: deadPid(), host: `not-${os.hostname()}`, since: '2020-01-01T00:00:00.000Z', started: null, command: 'train' };
        fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(remote));
        assert.throws(() => RunLock.acquire(dir, 'train'), { name: 'UserError', message: new RegExp(`in use by process ${remote.pid} on not-`) });
    });

    it('release leaves a lock another process holds alone', () => {
        const dir = runFolder();
        const lock = RunLock.acquire(dir, 'train');
        const other = { pid: process.pid + 1, host: os.hostname(), since: new Date().toISOString(), started: null, command: 'train' };
        fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(other));
        lock.release();
        assert.equal(readHolder(path.join(dir, LOCK_FILE))!.pid, other.pid);
    });

    it('a file that is not a lock is named, not parsed into a holder', () => {
        const dir = runFolder();
        fs.writeFileSync(path.join(dir, LOCK_FILE), 'garbage');
        assert.throws(() => RunLock.acquire(dir, 'train'), { name: 'UserError', message: new RegExp(`${LOCK_FILE}: not a lock file`) });
    });

    it('only one of several processes racing for one run gets it', async function () {
        this.timeout(120_000);
        const dir = runFolder();
        const go = path.join(dir, 'go');
        const lockModule = path.resolve('packages/runtime/src/run/lock.ts');
        // Each child loads, says so, waits for the start signal, then tries to lock and holds it a while.
        const script = `import * as fs from 'node:fs';
            import { RunLock } from ${JSON.stringify(lockModule)};
            console.log('ready');
            while (!fs.existsSync(${JSON.stringify(go)})) await new Promise(r => setTimeout(r, 5));
            try { const l = RunLock.acquire(${JSON.stringify(dir)}, 'train'); await new Promise(r => setTimeout(r, 2000)); l.release(); console.log('got'); }
            catch (e) { console.log(e.name); }`;
        const children = Array.from({ length: 4 }, () => {
            const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
            let out = '';
            const ready = new Promise<void>(resolve => child.stdout.on('data', d => {
                out += d;
                if (out.includes('ready')) resolve();
            }));
            const done = new Promise<string>(resolve => child.on('exit', () => resolve(out.replace('ready', '').trim())));
            return { ready, done };
        });
        await Promise.all(children.map(c => c.ready));
        fs.writeFileSync(go, '');
        const results = (await Promise.all(children.map(c => c.done))).sort();
        assert.deepEqual(results, ['UserError', 'UserError', 'UserError', 'got']);
    });
});
