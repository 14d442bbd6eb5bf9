import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LangiumDocument } from 'langium';
import { parseHelper } from 'langium/test';
import { createServices, examplesDir } from './helpers.js';

const services = createServices();
const paper = fs.readFileSync(path.join(examplesDir, 'paper.persemon'), 'utf8');
const quickstart = fs.readFileSync(path.join(examplesDir, 'quickstart.persemon'), 'utf8');

/** A small seeded generator, so that a failure names a reproducible document. */
function random(seed: number): () => number {
    return () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const GARBAGE = ['{', '}', '[', ']', '.', ',', ':', '"', '/*', 'λ', '-', '1e', 'x', '\n', '0x0', ' experiment ', ' extends ', ' on ', ' off '];

interface Broken {
    text: string;
    /** Where the document was broken: requests are made there too. */
    at: number;
}

/** Truncations of the paper example; each of its words deleted or replaced by a keyword; garbage in both examples. */
function brokenDocuments(): Broken[] {
    const documents: Broken[] = [];
    for (let end = 0; end <= paper.length; end += 9) documents.push({ text: paper.substring(0, end), at: end });
    let i = 0;
    for (const word of paper.matchAll(/[\p{L}\d_]+/gu)) {
        const at = word.index!;
        // A keyword where a name goes leaves the reference without a name, a case checks must survive.
        const replacement = i++ % 2 === 0 ? 'faces' : '';
        documents.push({ text: paper.substring(0, at) + replacement + paper.substring(at + word[0].length), at });
    }
    const next = random(7);
    for (let n = 0; n < 100; n++) {
        const source = n % 2 === 0 ? paper : quickstart;
        const at = Math.floor(next() * source.length);
        const garbage = GARBAGE[Math.floor(next() * GARBAGE.length)];
        documents.push({ text: source.substring(0, at) + garbage + source.substring(at + Math.floor(next() * 40)), at });
    }
    return documents;
}

/** Every editor request on the document, at a few places; they must not throw. */
async function exercise(document: LangiumDocument, at: number): Promise<void> {
    const textDocument = { uri: document.uri.toString() };
    const length = document.textDocument.getText().length;
    for (const offset of [at, Math.floor(length / 2), length]) {
        const position = document.textDocument.positionAt(offset);
        await services.lsp.CompletionProvider!.getCompletion(document, { textDocument, position });
        await services.lsp.HoverProvider!.getHoverContent(document, { textDocument, position });
    }
    await services.lsp.Formatter!.formatDocument(document, { textDocument, options: { tabSize: 2, insertSpaces: true } });
    await services.lsp.DocumentSymbolProvider!.getSymbols(document, { textDocument });
    await services.lsp.CodeActionProvider!.getCodeActions(document, {
        textDocument, range: { start: { line: 0, character: 0 }, end: document.textDocument.positionAt(length) },
        context: { diagnostics: document.diagnostics ?? [] }
    });
}

describe('a broken document', () => {
    it('never makes validation, completion, hover, formatting, the outline or quick fixes throw', async function () {
        this.timeout(120_000);
        const { LangiumDocuments, IndexManager } = services.shared.workspace;
        for (const { text, at } of brokenDocuments()) {
            const document = await parseHelper(services)(text, { validation: true });
            try {
                // Langium turns a check that throws into a diagnostic: that counts as a crash too.
                const crashes = (document.diagnostics ?? []).filter(d => d.message.startsWith('An error occurred'));
                assert.deepEqual(crashes.map(d => d.message), []);
                await exercise(document, at);
            } catch (error) {
                assert.fail(`${(error as Error).stack}\nwhile serving:\n${text}`);
            } finally {
                // Documents are independent: removing this one from the workspace is enough (no rebuild needed).
                LangiumDocuments.deleteDocument(document.uri);
                IndexManager.remove(document.uri);
            }
        }
    });
});
