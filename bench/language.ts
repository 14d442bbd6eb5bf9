/**
 * The language server on a large document: parse + validate a 2,000-line document of experiments
 * that extend each other, and completion at a few places in it. Targets (issue 3): validation under
 * 1 s, completion under 100 ms. Medians of several runs; prints JSON when run directly:
 *
 *   node --conditions=source --import tsx bench/language.ts
 */
import { pathToFileURL } from 'node:url';
import { type LangiumDocument, URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { createPersemonServices, type PersemonServices } from '@persemon/language';
import { median } from './median.js';

const TARGET_LINES = 2000;
const VALIDATE_RUNS = 7;
const COMPLETION_RUNS = 21;

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
    return {
        document: { lines: text.split('\n').length, experiments, characters: text.length },
        validate_ms: { median: validateMs, runs: validateRuns.map(t => Number(t.toFixed(1))) },
        completion_ms: completion,
        targets: { validate_ms: 1000, completion_ms: 100 },
        meets_targets: validateMs < 1000 && worstCompletion < 100
    };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
    process.stdout.write(JSON.stringify(await run(), null, 2) + '\n');
}
