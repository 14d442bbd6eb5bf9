/**
 * `persemon sweep --to slurm` against a real Slurm: Debian's slurm-wlm daemons (slurmctld and one
 * slurmd) started here on loopback with a scratch slurm.conf, no munge, and stopped at the end. The
 * quickstart sweep completing as a job array, a failing point reported with its exit state, and a
 * sweep cancelled with scancel, then resumed from its checkpoints.
 * Without slurmctld on the machine this is skipped, saying so; under CI (CI=true) that is a failure.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { events, persemon, root } from './helpers/cli.js';

const cli = path.join(root, 'packages/runtime/src/cli/main.ts');
const EXAMPLE = path.join(root, 'examples/sweep.persemon');

function installed(): boolean {
    return spawnSync('sh', ['-c', 'command -v slurmctld && command -v slurmd && command -v sbatch'], { encoding: 'utf8' }).status === 0
        || fs.existsSync('/usr/sbin/slurmctld');
}

/** The cluster: a controller and one node of 2 CPUs on this machine, its files under a scratch folder. */
class Cluster {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-slurm-'));
    readonly conf = path.join(this.dir, 'slurm.conf');
    readonly env: NodeJS.ProcessEnv;

    constructor() {
        for (const sub of ['state', 'spool', 'run', 'log']) fs.mkdirSync(path.join(this.dir, sub));
        const node = spawnSync('hostname', ['-s'], { encoding: 'utf8' }).stdout.trim();
        const d = this.dir;
        // The daemons run as whoever runs the tests (root here and in a container; a CI runner's user elsewhere).
        const user = os.userInfo().username;
        fs.writeFileSync(this.conf, [
            'ClusterName=test', `SlurmctldHost=${node}(127.0.0.1)`, 'SlurmctldPort=6817', 'SlurmdPort=6818',
            'CommunicationParameters=NoCtldInAddrAny,NoInAddrAny', `SlurmUser=${user}`, `SlurmdUser=${user}`, 'AuthType=auth/none',
            'CredType=cred/none', `StateSaveLocation=${d}/state`, `SlurmdSpoolDir=${d}/spool`, `SlurmctldPidFile=${d}/run/slurmctld.pid`,
            `SlurmdPidFile=${d}/run/slurmd.pid`, `SlurmctldLogFile=${d}/log/slurmctld.log`, `SlurmdLogFile=${d}/log/slurmd.log`,
            'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'JobAcctGatherType=jobacct_gather/none',
            'AccountingStorageType=accounting_storage/none', 'JobCompType=jobcomp/none', 'MailProg=/bin/true', 'MpiDefault=none',
            'SchedulerType=sched/backfill', 'SchedulerParameters=sched_interval=1', 'SelectType=select/cons_tres', 'SelectTypeParameters=CR_Core',
            'ReturnToService=2', 'MinJobAge=300', `NodeName=${node} NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN`,
            `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`, ''
        ].join('\n'));
        this.env = { ...process.env, SLURM_CONF: this.conf };
    }

    async start(): Promise<void> {
        for (const [daemon, args] of [['slurmctld', ['-f', this.conf, '-i']], ['slurmd', ['-f', this.conf]]] as const) {
            const r = spawnSync(daemon, [...args], { env: this.env, encoding: 'utf8' });
            if (r.status !== 0) throw new Error(`${daemon} did not start: ${r.stderr}${r.error ?? ''}`);
        }
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline) {
            const state = spawnSync('sinfo', ['-h', '-o', '%T'], { env: this.env, encoding: 'utf8' }).stdout.trim();
            if (state === 'idle') return;
            await new Promise(r => setTimeout(r, 250));
        }
        throw new Error(`the node never became idle: ${fs.readFileSync(path.join(this.dir, 'log/slurmctld.log'), 'utf8').slice(-2000)}`);
    }

    stop(): void {
        spawnSync('scancel', ['--user', os.userInfo().username], { env: this.env });
        for (const pidFile of ['slurmd.pid', 'slurmctld.pid']) {
            const file = path.join(this.dir, 'run', pidFile);
            if (!fs.existsSync(file)) continue;
            const pid = Number(fs.readFileSync(file, 'utf8').trim());
            try {
                process.kill(pid, 'SIGTERM');
            } catch {
                // Already gone.
            }
        }
    }

    scontrol(job: string): string {
        return spawnSync('scontrol', ['-o', 'show', 'job', job], { env: this.env, encoding: 'utf8' }).stdout;
    }
}

function sweepJson(dir: string): any {
    return JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8'));
}

describe('persemon sweep --to slurm, on a real Slurm', function () {
    this.timeout(900_000);
    let cluster: Cluster;
    let work: string;

    before(async function () {
        if (!installed()) {
            if (process.env.CI === 'true') throw new Error('slurmctld is not installed, and CI needs this test: scripts/install-test-deps.sh installs slurm-wlm');
            console.log('    (skipped: slurmctld is not installed; `apt-get install slurm-wlm` runs this test)');
            this.skip();
        }
        cluster = new Cluster();
        await cluster.start();
        work = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-slurm-sweeps-'));
    });

    after(() => cluster?.stop());

    it('runs the quickstart sweep\'s 4 points as one job array', () => {
        const r = persemon(['sweep', EXAMPLE, '--to', 'slurm', '--max-steps', '2', '--cpus', '1', '--mem', '400M', '--poll', '1', '--out', work], { env: cluster.env, timeout: 600_000 });
        assert.equal(r.status, 0, r.stderr);
        const sweepDir = r.stdout.split('\n')[0];
        const sweep = sweepJson(sweepDir);
        assert.equal(sweep.slurm_jobs.length, 1);
        const job = sweep.slurm_jobs[0];
        assert.match(job.id, /^\d+$/);
        const script = fs.readFileSync(job.script, 'utf8');
        // The sweep's own settings (examples/sweep.persemon: parallel 2, time) and the command line's (cpus, mem).
        for (const line of ['#SBATCH --array=0-3%2', '#SBATCH --cpus-per-task=1', '#SBATCH --mem=400M', '#SBATCH --time=0:30:00']) assert.ok(script.includes(line), script);
        assert.deepEqual(sweep.points.map((p: any) => p.status), ['done', 'done', 'done', 'done']);
        for (let i = 0; i < 4; i++) {
            const info = cluster.scontrol(`${job.id}_${i}`);
            assert.match(info, /JobState=COMPLETED/);
            assert.match(info, /ExitCode=0:0/);
            const runDir = path.join(sweepDir, 'runs', sweep.points[i].name);
            assert.equal(events(runDir).at(-1)!.type, 'done');
            assert.equal(events(runDir).filter(e => e.type === 'train').length, 2);
            assert.ok(fs.existsSync(path.join(sweepDir, 'logs', `slurm-${job.id}_${i}.out`)));
        }
        assert.match(r.stderr, new RegExp(`submitted Slurm job array ${job.id} \\(4 task\\(s\\)\\)`));
        assert.match(r.stdout, /^4\/4 points done, 0 failed, 0 not finished$/m);
        // The same tables as a local sweep's.
        const table = persemon(['compare', sweepDir, '--format', 'json']);
        assert.equal(table.status, 0, table.stderr);
        assert.deepEqual(JSON.parse(table.stdout).configurations.map((c: any) => c.runs.length), [2, 2]);
    });

    it('reports a failing point with its exit state and run directory', () => {
        fs.copyFileSync(path.join(root, 'examples/quickstart.persemon'), path.join(work, 'quickstart.persemon'));
        const file = path.join(work, 'broken.persemon');
        fs.writeFileSync(file, 'import "quickstart.persemon"\nsweep Broken over Quickstart {\n  zip {\n    fem.init ["/nonexistent/w.weights", null]\n    seed [1, 2]\n  }\n}\n');
        const r = persemon(['sweep', file, '--to', 'slurm', '--max-steps', '1', '--mem', '400M', '--poll', '1', '--out', work], { env: cluster.env, timeout: 600_000 });
        assert.equal(r.status, 1, r.stderr);
        const sweepDir = r.stdout.split('\n')[0];
        const name = '0-Quickstart-fem.init=w.weights-seed=1';
        assert.ok(r.stderr.includes(`${name}: FAILED (JobState=FAILED, exit code 1): /nonexistent/w.weights: FEM's init weights file does not exist`), r.stderr);
        assert.ok(r.stderr.includes(`  run directory: ${path.join(sweepDir, 'runs', name)}\n`), r.stderr);
        const sweep = sweepJson(sweepDir);
        assert.deepEqual(sweep.points.map((p: any) => p.status), ['failed', 'done']);
        assert.deepEqual(sweep.points[0].exit, { code: 1, signal: null, state: 'FAILED' });
        assert.match(cluster.scontrol(`${sweep.slurm_jobs[0].id}_0`), /JobState=FAILED .*ExitCode=1:0|ExitCode=1:0.*JobState=FAILED|JobState=FAILED/);
    });

    it('resumes a sweep cancelled with scancel from its checkpoints', async () => {
        const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cli, 'sweep', EXAMPLE, '--to', 'slurm', '--max-steps', '200',
            '--set', 'checkpoint.every=3', '--mem', '400M', '--cpus', '1', '--poll', '1', '--out', work], { cwd: root, env: cluster.env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', d => (stdout += d));
        child.stderr.on('data', d => (stderr += d));
        const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
        const sweepDir = () => (stdout.includes('\n') ? stdout.split('\n')[0] : undefined);
        const firstRun = () => path.join(sweepDir()!, 'runs', '0-Quickstart-seed=1-coherence.enabled=true');
        for (;;) {
            const dir = sweepDir();
            if (dir && fs.existsSync(path.join(firstRun(), 'events.jsonl')) && events(firstRun()).some(e => e.type === 'checkpoint')) break;
            if (child.exitCode !== null) throw new Error(`sweep ended early: ${stderr}`);
            await new Promise(r => setTimeout(r, 100));
        }
        const job = sweepJson(sweepDir()!).slurm_jobs[0].id;
        assert.equal(spawnSync('scancel', [job], { env: cluster.env }).status, 0);
        assert.equal(await exit, 1, stderr);
        assert.match(stderr, /0-Quickstart-seed=1-coherence\.enabled=true: cancelled/);
        assert.match(cluster.scontrol(`${job}_0`), /JobState=CANCELLED/);
        const cancelled = sweepJson(sweepDir()!);
        assert.ok(cancelled.points.every((p: any) => p.status === 'interrupted' || p.status === 'pending'), JSON.stringify(cancelled.points));
        assert.match(stdout, /^0\/4 points done, 0 failed, 4 not finished$/m);
        const lastBefore = events(firstRun()).filter(e => e.type === 'train').at(-1)!.step;
        assert.ok(lastBefore < 20, `ran to step ${lastBefore} before the cancel`);

        const resumed = persemon(['sweep', sweepDir()!, '--max-steps', '20', '--poll', '1'], { env: cluster.env, timeout: 600_000 });
        assert.equal(resumed.status, 0, resumed.stderr);
        const again = sweepJson(sweepDir()!);
        assert.equal(again.to, 'slurm');
        assert.equal(again.slurm_jobs.length, 2);
        assert.notEqual(again.slurm_jobs[1].id, job);
        assert.deepEqual(again.points.map((p: any) => p.status), ['done', 'done', 'done', 'done']);
        const log = events(firstRun());
        const starts = log.filter(e => e.type === 'start');
        assert.equal(starts.length, 2);
        assert.ok(starts[1].resumed_from >= 3, JSON.stringify(starts[1]));
        assert.deepEqual(log.filter(e => e.type === 'train').map(e => e.step), Array.from({ length: 20 }, (_, i) => i + 1), 'no step lost or logged twice');
    });
});
