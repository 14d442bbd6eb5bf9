/**
 * The code-server side of the editor end to end: where things live, a sandboxed home, the packaged
 * .vsix installed into it, a fresh copy of examples/, and one session (code-server plus a Chromium
 * page) that the specs share. The root hooks (hooks.ts) prepare and tear down; a spec asks for the
 * session it needs with `useSession`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { Workbench } from './workbench.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
/**
 * The workspace the editor opens: a fresh copy of examples/ made for each e2e run, inside the
 * repository so the extension still finds node_modules/.bin/persemon upwards. The tests edit and
 * run in it; the real examples/ is never touched.
 */
export const examples = path.join(here, '.work', 'examples');
export const artifacts = path.join(here, 'artifacts');
/** A run directory written before the editor starts, as a long run started from a terminal would leave. */
export const benchDir = path.join(examples, 'runs', 'E2EBench-20000101-000000');
const codeServer = path.join(here, '.tools/code-server-4.100.3/node_modules/code-server/out/node/entry.js');
const vsix = path.join(root, 'packages/extension/dist/persemon-vscode.vsix');
/** persemon.run.maxSteps for the runs the editor starts, so a run ends in seconds. */
export const MAX_STEPS = 3;
/** The same portrait as the repository keeps it (test/fixtures/README.md). */
export const FIXTURE_PORTRAIT = path.join(root, 'test/fixtures/astronaut.png');
/** A public-domain portrait (NASA) that Debian's python3-skimage ships; setup.sh installs it. */
export const PORTRAIT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';

/** Timings and sizes the tests measure; written to artifacts/results.json. */
export const figures: Record<string, number | string> = {};

export interface Result {
    name: string;
    ok: boolean;
    ms: number;
    error?: string;
}

/** Each test's outcome, and any failed setup, for artifacts/results.json. */
export const results: Result[] = [];

export function recordSetupFailure(error: unknown): void {
    results.push({ name: 'setup', ok: false, ms: 0, error: error instanceof Error ? error.message : String(error) });
}

/** A temporary home for code-server and Chromium, so nothing is written into the user's. */
interface Sandbox {
    dir: string;
    env: NodeJS.ProcessEnv;
    userData: string;
    extensions: string;
    config: string;
}

function sandbox(): Sandbox {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-e2e-'));
    return sandboxIn(dir, process.env);
}

function sandboxIn(dir: string, base: NodeJS.ProcessEnv): Sandbox {
    const sub = (name: string) => {
        const p = path.join(dir, name);
        fs.mkdirSync(p, { recursive: true });
        return p;
    };
    const env: NodeJS.ProcessEnv = {
        ...base,
        HOME: sub('home'), TMPDIR: sub('tmp'),
        XDG_CONFIG_HOME: sub('xdg/config'), XDG_DATA_HOME: sub('xdg/data'),
        XDG_CACHE_HOME: sub('xdg/cache'), XDG_STATE_HOME: sub('xdg/state'), XDG_RUNTIME_DIR: sub('xdg/runtime')
    };
    const userData = sub('user-data');
    const extensions = sub('extensions');
    const config = path.join(dir, 'config.yaml');
    fs.writeFileSync(config, 'auth: none\ncert: false\n');
    return { dir, env, userData, extensions, config };
}

let box: Sandbox | undefined;
let current: Session | undefined;

/**
 * Packages the extension, installs the .vsix into a new sandbox and copies examples/, for the
 * sessions that follow; `cleanUp` removes both.
 */
export function prepare(): void {
    fs.mkdirSync(artifacts, { recursive: true });
    if (!fs.existsSync(codeServer)) throw new Error(`code-server is not installed: run bash test/e2e/setup.sh (${codeServer} is missing)`);

    process.stdout.write('e2e: packaging the extension\n');
    const t0 = Date.now();
    const packaged = spawnSync('npm', ['run', 'package'], { cwd: root, encoding: 'utf8' });
    if (packaged.status !== 0) throw new Error(`npm run package failed:\n${packaged.stdout}\n${packaged.stderr}`);
    figures.package_ms = Date.now() - t0;

    box = sandbox();
    installVsix(box);
    copyExamples(examples);
}

function installVsix(home: Sandbox): void {
    const install = spawnSync('node', [codeServer, '--user-data-dir', home.userData, '--extensions-dir', home.extensions,
        '--config', home.config, '--install-extension', vsix], { env: home.env, encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`--install-extension failed:\n${install.stdout}\n${install.stderr}`);
}

/**
 * A session as a new user has it: a new sandbox with only the .vsix installed, a workspace outside
 * the repository holding a copy of the example documents and nothing else, no persemon.cliPath,
 * and a PATH with no folder of this checkout and no `persemon` on it; code-server itself still
 * runs on this machine's Node.js. The shared session is stopped first; `useSession` starts it
 * again when a later spec asks. Stopping the returned session removes its sandbox and workspace.
 */
export async function standaloneSession(): Promise<{ session: Session; folder: string; extensions: string; dispose(): Promise<void> }> {
    await stopSession();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-e2e-alone-'));
    standaloneDirs.push(dir);
    const base: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
        // npm run's variables name this checkout (npm_package_json, npm_config_local_prefix, INIT_CWD).
        if (key.startsWith('npm_') || key === 'INIT_CWD' || key === 'NODE_PATH' || key === 'NODE_OPTIONS') continue;
        base[key] = value;
    }
    base.PATH = (process.env.PATH ?? '').split(path.delimiter)
        .filter(entry => entry !== '' && !isInside(path.resolve(entry), root) && !fs.existsSync(path.join(entry, 'persemon')))
        .join(path.delimiter);
    const home = sandboxIn(dir, base);
    installVsix(home);
    const folder = path.join(dir, 'workspace', 'examples');
    copyExamples(folder);
    const session = await Session.start(home, true, folder);
    return {
        session, folder, extensions: home.extensions,
        async dispose() {
            await session.stop();
            // The language servers code-server started may still be exiting (and writing into its TMPDIR).
            await new Promise(resolve => setTimeout(resolve, 1000));
            fs.rmSync(dir, { recursive: true, force: true });
        }
    };
}

function isInside(file: string, folder: string): boolean {
    const relative = path.relative(folder, file);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Sandboxes of standalone sessions: removed again at the end, as code-server's children may write after it stopped. */
const standaloneDirs: string[] = [];

/** Removes the sandbox and the copy of examples/. */
export function cleanUp(): void {
    if (box) fs.rmSync(box.dir, { recursive: true, force: true });
    for (const dir of standaloneDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    box = undefined;
    fs.rmSync(path.dirname(examples), { recursive: true, force: true });
}

/** A fresh copy of the example documents (no run directories, no data) for the editor to open. */
function copyExamples(to: string): void {
    fs.rmSync(to, { recursive: true, force: true });
    fs.mkdirSync(to, { recursive: true });
    for (const name of fs.readdirSync(path.join(root, 'examples'))) {
        if (name.endsWith('.persemon')) fs.copyFileSync(path.join(root, 'examples', name), path.join(to, name));
    }
}

/** User settings: quiet, deterministic, and trusted or not. */
function writeSettings(userData: string, trusted: boolean): void {
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
        'workbench.startupEditor': 'none',
        'workbench.colorTheme': 'Default Dark Modern',
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'security.workspace.trust.enabled': !trusted,
        'security.workspace.trust.startupPrompt': 'never',
        'workbench.tips.enabled': false,
        'editor.codeLens': true,
        // The tests edit the copy of quickstart.persemon and check the editor never saved it.
        'files.autoSave': 'off',
        'git.openRepositoryInParentFolders': 'never',
        'persemon.run.maxSteps': MAX_STEPS
    }, null, 2));
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
        server.on('error', reject);
    });
}

async function waitForHealth(port: number, server: ChildProcess, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (server.exitCode !== null) throw new Error(`code-server exited with code ${server.exitCode}`);
        try {
            const response = await fetch(`http://127.0.0.1:${port}/healthz`);
            if (response.ok) return;
        } catch {
            // Not listening yet: ask again when the event loop comes back round.
        }
        await new Promise(resolve => setImmediate(resolve));
    }
    throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms`);
}

/** One code-server and one Chromium page on it; a trusted session or one in Restricted Mode. */
export class Session {
    private constructor(
        readonly trusted: boolean,
        readonly port: number,
        /** The user data folder, whose User/settings.json the Settings editor writes. */
        readonly userData: string,
        readonly workbench: Workbench,
        private readonly server: ChildProcess,
        private readonly context: BrowserContext,
        /** The folder the workbench opens. */
        readonly folder: string
    ) {}

    /** The workbench on its folder (the copy of examples/). */
    get url(): string {
        return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.folder)}`;
    }

    static async start(home: Sandbox, trusted: boolean, folder: string = examples): Promise<Session> {
        writeSettings(home.userData, trusted);
        const port = await freePort();
        const serverArgs = ['--user-data-dir', home.userData, '--extensions-dir', home.extensions, '--config', home.config];
        const server = spawn('node', [codeServer, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
            '--disable-update-check', ...(trusted ? ['--disable-workspace-trust'] : []), ...serverArgs, folder],
            { env: home.env, stdio: ['ignore', 'pipe', 'pipe'] });
        const serverLog = fs.createWriteStream(path.join(artifacts, `code-server${trusted ? '' : '-restricted'}${folder === examples ? '' : '-alone'}.log`));
        server.stdout!.pipe(serverLog);
        server.stderr!.pipe(serverLog);
        let context: BrowserContext | undefined;
        try {
            await waitForHealth(port, server, 30_000);
            context = await chromium.launchPersistentContext(path.join(home.dir, trusted ? 'chromium' : 'chromium-restricted'), {
                executablePath: '/usr/bin/chromium',
                headless: true,
                viewport: { width: 1600, height: 1000 },
                args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                    '--disable-background-networking', '--disable-component-update', '--disable-sync']
            });
            context.setDefaultTimeout(60_000);
            const page = context.pages()[0] ?? await context.newPage();
            return new Session(trusted, port, home.userData, new Workbench(page, artifacts), server, context, folder);
        } catch (error) {
            await stop(server, context);
            throw error;
        }
    }

    async stop(): Promise<void> {
        await stop(this.server, this.context);
    }
}

async function stop(server: ChildProcess, context: BrowserContext | undefined): Promise<void> {
    await context?.close().catch(() => undefined);
    server.kill('SIGTERM');
    await new Promise(resolve => server.exitCode !== null ? resolve(undefined) : server.once('exit', resolve));
}

/**
 * The session the specs share: the running one when its trust matches, else the running one is
 * stopped and a new one started (Restricted Mode needs its own code-server and settings).
 */
export async function useSession(trusted: boolean): Promise<Session> {
    if (current?.trusted === trusted) return current;
    if (!box) throw new Error('the e2e sandbox is not prepared (hooks.ts did not run)');
    await stopSession();
    try {
        current = await Session.start(box, trusted);
    } catch (error) {
        recordSetupFailure(error);
        throw error;
    }
    return current;
}

/** The running session, if any (for a screenshot when a test fails). */
export function activeSession(): Session | undefined {
    return current;
}

export async function stopSession(): Promise<void> {
    const session = current;
    current = undefined;
    await session?.stop();
}

/** The run directory of the trusted specs' Run Experiment test once it finished; the tests that use its run need it. */
let editorRun: string | undefined;

export function markEditorRun(runDir: string): void {
    editorRun = runDir;
}

/** That run's directory (other specs stop and resume runs of the same experiment beside it). */
export function requireEditorRun(): string {
    if (!editorRun) throw new Error('no run was started (see above)');
    return editorRun;
}
