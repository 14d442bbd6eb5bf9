/** Shared by the language tests: services on the real file system, and diagnostics in a readable form. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LangiumDocument, URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { clearDocuments, parseHelper } from 'langium/test';
import type { Diagnostic } from 'vscode-languageserver';
import { createPersemonServices, type PersemonServices } from '../src/persemon-module.js';
import type { Model } from '../src/generated/ast.js';
import { assertJobSpec, JobSpecError } from '../src/index.js';

export const examplesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples');

export function createServices(): PersemonServices {
    return createPersemonServices(NodeFileSystem).Persemon;
}

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];

/**
 * `line:col 'covered text' severity code: message`, 1-based like `persemon check`: the covered text
 * pins the range down exactly.
 */
export function describeDiagnostic(document: LangiumDocument, d: Diagnostic): string {
    const covered = document.textDocument.getText(d.range);
    const code = (d.data as { code?: string } | undefined)?.code ?? d.code;
    return `${d.range.start.line + 1}:${d.range.start.character + 1} '${covered}' ${SEVERITY[d.severity ?? 1]} ${code}: ${d.message}`;
}

/** Parses and validates `text` as a document of its own (in a folder that does not exist, unless `uri` says otherwise). */
export async function diagnose(services: PersemonServices, text: string, uri?: string): Promise<string[]> {
    const document = await parseHelper<Model>(services)(text, { validation: true, documentUri: uri });
    const issues = (document.diagnostics ?? [])
        .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
        .map(d => describeDiagnostic(document, d));
    await clearDocuments(services, [document]);
    return issues;
}

/** Only the problems with one of these codes. */
export async function diagnoseCodes(services: PersemonServices, text: string, ...codes: string[]): Promise<string[]> {
    return (await diagnose(services, text)).filter(d => codes.some(code => d.includes(` ${code}: `)));
}

export async function parseFile(services: PersemonServices, file: string, text = fs.readFileSync(file, 'utf8')): Promise<LangiumDocument<Model>> {
    return parseHelper<Model>(services)(text, { validation: true, documentUri: URI.file(file).toString() });
}

export function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'persemon-language-'));
}

/** The problems assertJobSpec names for a JobSpec read from job.json, or [] when it accepts it. */
export function jobSpecProblems(spec: unknown): string[] {
    try {
        assertJobSpec(spec, 'job.json');
        return [];
    } catch (e) {
        if (!(e instanceof JobSpecError)) throw e;
        if (!/^job\.json: invalid JobSpec:\n/.test(e.message)) throw new Error(`unexpected message: ${e.message}`);
        return e.problems;
    }
}
