/**
 * The language server on a large document. In process: parse + validate a 2,000-line document of
 * experiments that extend each other, and completion at a few places in it (targets: validation
 * under 1 s, completion under 100 ms). Over LSP, as an editor sees it (`persemon lsp --stdio`
 * spawned from source): opening examples/ablations.persemon repeated to 2,014 lines with its
 * experiments renamed, and a one-character edit, each until the diagnostics of that version arrive
 * (targets: open under 300 ms, edit under 150 ms), with the server's CPU time beside the wall
 * time, since a busy machine stretches the latter. Medians of several runs; prints JSON when run
 * directly (`-- --lsp-from DIR` also measures the server of another checkout, for before/after):
 *
 *   node --conditions=source --import tsx bench/language.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type LangiumDocument, URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { type ast, compileExperiment, createPersemonServices, type PersemonServices } from '@persemon/language';
import { LspSession, root } from '../test/lsp-session.js';
import { median } from './median.js';

const TARGET_LINES = 2000;
const VALIDATE_RUNS = 7;
const COMPLETION_RUNS = 21;
const LSP_LINES = 2014;
const LSP_OPENS = 8;
const LSP_EDITS = 40;
/** Documents beside the edited one in the workspace folder, each with an unresolved `extends`. */
const LSP_BROKEN_NEIGHBOURS = 5;

const BASE = `experiment Base {
  seed 7
  backend auto
  dataset selfies: personality from synthetic { people 32  clips 4  frames 24  image 64x64  shift 0.5 }
  dataset moods: emotion from synthetic { people 32  clips 2  frames 24 }
  fem sphereface depth 20 { input 112x96 }
  pam { consensus average }
  eam { }
  ram { hidden 128  consensus average }
  coherence { }
  sampling { segments 10  emotion frames 100  personality videos 10 }
  loss { λ1 1.0  λ2 1.0  λ3 0.1  λ4 0.1  λ5 0.1  margin 0.05 }
  optimizer sgd { lr 0.01  momentum 0.9  weight decay 0.0005 }
  schedule step { iterations 56000  milestones [32000, 48000]  gamma 0.1 }
  evaluate every 1000 {
    personality on selfies.test
    emotion on moods.validation
    metrics [mse, accuracy, r2]
    fusion pam 6 ram 1
  }
  checkpoint every 1000
}
`;

/** Variant i extends the one before it, in chains of ten that start again from Base. */
function variant(i: number): string {
    const parent = i % 10 === 1 ? 'Base' : `Variant${i - 1}`;
    return `
// Variant ${i}: a smaller run on its own extra personality set.
experiment Variant${i} extends ${parent} {
  seed ${i}
  dataset extra${i}: personality from synthetic {
    people 16
    clips 2
  }
  sampling {
    segments 8
    emotion frames 64
  }
  loss { λ1 1  λ3 0.2 }
  optimizer sgd {
    lr 0.02
  }
  schedule step {
    iterations 40000
    milestones [20000, 30000]
  }
  evaluate every 500 {
    personality on extra${i}.test, selfies.test
    emotion on moods.validation
  }
}
`;
}

export function largeDocument(): { text: string; experiments: number } {
    let text = BASE;
    let experiments = 1;
    while (text.split('\n').length < TARGET_LINES) text += variant(experiments++);
    return { text, experiments };
}

let documentCount = 0;

async function build(services: PersemonServices, text: string): Promise<LangiumDocument> {
    const { LangiumDocumentFactory, LangiumDocuments, DocumentBuilder } = services.shared.workspace;
    const document = LangiumDocumentFactory.fromString(text, URI.parse(`file:///bench/large-${documentCount++}.persemon`));
    LangiumDocuments.addDocument(document);
    await DocumentBuilder.build([document], { validation: true });
    return document;
}

async function remove(services: PersemonServices, document: LangiumDocument): Promise<void> {
    await services.shared.workspace.DocumentBuilder.update([], [document.uri]);
}

export async function run(): Promise<Record<string, unknown>> {
    const services = createPersemonServices(NodeFileSystem).Persemon;
    const { text, experiments } = largeDocument();

    // The first build warms the parser and the JIT; it is not counted.
    await remove(services, await build(services, text));
    const validateRuns: number[] = [];
    for (let i = 0; i < VALIDATE_RUNS; i++) {
        const start = performance.now();
        const document = await build(services, text);
        validateRuns.push(performance.now() - start);
        const errors = (document.diagnostics ?? []).filter(d => d.severity === 1);
        if (errors.length > 0) throw new Error(`the benchmark document has errors: ${errors[0].message}`);
        await remove(services, document);
    }

    const document = await build(services, text);
    const last = text.lastIndexOf('experiment Variant');
    const positions: Record<string, number> = {
        'setting keywords (start of a line in an experiment)': text.indexOf('  seed', last),
        'experiments after extends': text.indexOf('extends ', last) + 'extends '.length,
        'datasets after on (through 10 ancestors)': text.indexOf('personality on ', last) + 'personality on '.length,
        'splits after dataset.': text.indexOf('selfies.test', last) + 'selfies.'.length
    };
    const completion: Record<string, number> = {};
    const provider = services.lsp.CompletionProvider!;
    for (const [where, offset] of Object.entries(positions)) {
        const params = { textDocument: { uri: document.uri.toString() }, position: document.textDocument.positionAt(offset) };
        const times: number[] = [];
        for (let i = 0; i <= COMPLETION_RUNS; i++) {
            const start = performance.now();
            const list = await provider.getCompletion(document, params);
            if (i > 0) times.push(performance.now() - start);
            if (!list || list.items.length === 0) throw new Error(`no completion for ${where}`);
        }
        completion[where] = Number(median(times).toFixed(2));
    }

    const validateMs = Number(median(validateRuns).toFixed(2));
    const worstCompletion = Math.max(...Object.values(completion));
    await remove(services, document);
    const large = await largeDocuments(services);
    const lsp = await overLsp(root);
    return {
        document: { lines: text.split('\n').length, experiments, characters: text.length },
        validate_ms: { median: validateMs, runs: validateRuns.map(t => Number(t.toFixed(1))) },
        completion_ms: completion,
        large_documents_ms: large,
        lsp,
        targets: { validate_ms: 1000, completion_ms: 100, lsp_open_ms: 300, lsp_edit_ms: 150 },
        meets_targets: validateMs < 1000 && worstCompletion < 100 && lsp.open_ms.median < 300 && lsp.edit_ms.median < 150
            && lsp.workspace_edit_ms.median < 150
    };
}

/**
 * Documents far beyond what anyone writes by hand, which must take time in proportion to their
 * size (one run each): parse + validate, and for the chain, compiling its last experiment too.
 */
async function largeDocuments(services: PersemonServices): Promise<Record<string, number>> {
    const chain = ['experiment E0 { seed 42  dataset selfies: personality from synthetic  pam { } }'];
    for (let i = 1; i < 20_000; i++) chain.push(`experiment E${i} extends E${i - 1} { }`);
    const documents: Record<string, string> = {
        'extends chain of 20,000 experiments, compiling the last': chain.join('\n') + '\n',
        'one line of 200,000 settings (199,999 duplicates)': 'experiment A { ' + 'seed 1 '.repeat(200_000) + '}\n',
        '130,000 lines, 129,999 errors': 'experiment A {\n' + '  seed 1\n'.repeat(130_000) + '}\n'
    };
    const times: Record<string, number> = {};
    for (const [what, text] of Object.entries(documents)) {
        const start = performance.now();
        const document = await build(services, text);
        const experiments = (document.parseResult.value as ast.Model).experiments;
        if (what.startsWith('extends') && compileExperiment(experiments.at(-1)!, null).seed !== 42) throw new Error('the chain lost its seed');
        times[what] = Number((performance.now() - start).toFixed(0));
        await remove(services, document);
    }
    return times;
}

/** examples/ablations.persemon repeated to LSP_LINES lines, its experiments renamed in each copy (and imported once). */
export function ablationsDocument(): string {
    const source = fs.readFileSync(path.join(root, 'examples/ablations.persemon'), 'utf8').replace(/\n$/, '').split('\n');
    const lines: string[] = [];
    for (let copy = 0; lines.length < LSP_LINES; copy++) {
        for (const line of source) {
            lines.push(copy > 0 && line.startsWith('import ') ? `// copy ${copy}` : line.replace(/^experiment (\w+)/, `experiment $1${copy}`));
        }
    }
    return lines.slice(0, LSP_LINES).join('\n') + '\n';
}

/** The CPU time (user + system) a process has used, from /proc; undefined where there is none. */
function cpuMs(pid: number): number | undefined {
    try {
        const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        // utime and stime, the 14th and 15th fields, in clock ticks of 10 ms.
        return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
        return undefined;
    }
}

interface LspFigures {
    lines: number;
    /** The first document a fresh server opens, its JIT still cold. */
    first_open_ms: number;
    /** Opening more copies of the document, once the server has served the edits. */
    open_ms: { median: number; runs: number[] };
    edit_ms: { median: number; runs: number[] };
    /** The server's CPU time per open (after the first) and per edit, on average, in steps of 10 ms. */
    server_cpu_ms: { open?: number; edit?: number };
    /** The same edits with the document in a workspace folder beside LSP_BROKEN_NEIGHBOURS copies that do not link. */
    workspace_edit_ms: { broken_neighbours: number; median: number; server_cpu_ms?: number };
}

/** Wall time, and the server's CPU time, from `send` to the diagnostics of that version. */
async function timed(session: LspSession, send: () => Promise<void>, uri: string, version: number): Promise<{ wall: number; cpu: number }> {
    const seen = session.published.length;
    const cpu = cpuMs(session.server.pid!) ?? NaN;
    const start = performance.now();
    await send();
    // A server without versioned diagnostics (an older checkout) publishes once per change here.
    await session.diagnostics(uri, p => p.version === version || (p.version === undefined && session.published.indexOf(p) >= seen));
    return { wall: performance.now() - start, cpu: (cpuMs(session.server.pid!) ?? NaN) - cpu };
}

/** LSP_EDITS one-character edits of the opened `text` (typing over the 8 of a `hidden 128`, back and forth). */
async function edits(session: LspSession, uri: string, text: string): Promise<Array<{ wall: number; cpu: number }>> {
    const at = text.indexOf('hidden 128') + 'hidden 12'.length;
    const before = text.slice(0, at).split('\n');
    const position = { line: before.length - 1, character: before.at(-1)!.length };
    const range = { start: position, end: { line: position.line, character: position.character + 1 } };
    const runs: Array<{ wall: number; cpu: number }> = [];
    for (let version = 2; version < 2 + LSP_EDITS; version++) {
        runs.push(await timed(session, () => session.edit(uri, range, version % 2 === 0 ? '9' : '8', version), uri, version));
    }
    return runs;
}

const round = (t: number) => Number(t.toFixed(1));
const meanCpu = (runs: Array<{ cpu: number }>) => {
    const mean = runs.reduce((sum, r) => sum + r.cpu, 0) / runs.length;
    return Number.isFinite(mean) ? round(mean) : undefined;
};

/**
 * Over stdio with the server of the checkout at `from`: the first open, the edits, then more opens;
 * then, in a fresh server, the edits again in a workspace folder with documents that do not link.
 */
export async function overLsp(from: string): Promise<LspFigures> {
    const text = ablationsDocument();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-bench-lsp-'));
    fs.copyFileSync(path.join(root, 'examples/paper.persemon'), path.join(dir, 'paper.persemon'));
    try {
        const session = await LspSession.start(from);
        const open = (i: number) => {
            const uri = pathToFileURL(path.join(dir, `large-${i}.persemon`)).href;
            return timed(session, () => session.open(uri, text, 1), uri, 1);
        };
        let first: { wall: number; cpu: number };
        let edited: Array<{ wall: number; cpu: number }>;
        const opens: Array<{ wall: number; cpu: number }> = [];
        try {
            first = await open(0);
            edited = await edits(session, pathToFileURL(path.join(dir, 'large-0.persemon')).href, text);
            for (let i = 1; i <= LSP_OPENS; i++) opens.push(await open(i));
            await session.shutdown();
        } finally {
            session.dispose();
        }

        const folder = path.join(dir, 'workspace');
        fs.mkdirSync(folder);
        fs.copyFileSync(path.join(root, 'examples/paper.persemon'), path.join(folder, 'paper.persemon'));
        const uri = pathToFileURL(path.join(folder, 'large.persemon')).href;
        fs.writeFileSync(path.join(folder, 'large.persemon'), text);
        const neighbours = Array.from({ length: LSP_BROKEN_NEIGHBOURS }, (_, i) => path.join(folder, `broken-${i}.persemon`));
        for (const file of neighbours) fs.writeFileSync(file, text.replace('extends Paper', 'extends Papr'));
        const workspace = await LspSession.start(from, folder);
        let inWorkspace: Array<{ wall: number; cpu: number }>;
        try {
            // The server builds the folder first, then the opened document.
            await timed(workspace, () => workspace.open(uri, text, 1), uri, 1);
            inWorkspace = await edits(workspace, uri, text);
            await workspace.shutdown();
        } finally {
            workspace.dispose();
        }
        return {
            lines: text.split('\n').length - 1,
            first_open_ms: round(first.wall),
            open_ms: { median: round(median(opens.map(o => o.wall))), runs: opens.map(o => round(o.wall)) },
            edit_ms: { median: round(median(edited.map(e => e.wall))), runs: edited.map(e => round(e.wall)) },
            server_cpu_ms: { open: meanCpu(opens), edit: meanCpu(edited) },
            workspace_edit_ms: {
                broken_neighbours: LSP_BROKEN_NEIGHBOURS,
                median: round(median(inWorkspace.map(e => e.wall))),
                server_cpu_ms: meanCpu(inWorkspace)
            }
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
    const other = process.argv.indexOf('--lsp-from');
    const result = other > 0
        ? { [process.argv[other + 1]]: await overLsp(path.resolve(process.argv[other + 1])), [root]: await overLsp(root) }
        : await run();
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
