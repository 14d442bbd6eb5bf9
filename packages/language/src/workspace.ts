/**
 * Loads .persemon files from disk without an editor, following their imports, and reports their
 * diagnostics the way `persemon check` prints them. The CLI and the tests use this.
 */
import * as path from 'node:path';
import { URI, type LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import type * as ast from './generated/ast.js';
import { compileExperiment, selectExperiment, CompileError } from './compile/compile.js';
import type { JobSpec } from './job-spec.js';
import { describeImportProblem } from './persemon-import-loader.js';
import { isUnlistedSummary, type Unlisted, type UnlistedData } from './validation/diagnostic-limit.js';
import { createPersemonServices, type PersemonServices } from './persemon-module.js';

export interface FileDiagnostic {
    file: string;
    /** 1-based, as editors and compilers print them. */
    line: number;
    column: number;
    severity: 'error' | 'warning' | 'info' | 'hint';
    message: string;
    code?: string;
    /** Only on the problem that stands for those past the first thousand of a file: how many there are. */
    unlisted?: Unlisted;
}

export interface LoadedWorkspace {
    services: PersemonServices;
    /** The documents asked for, in order, then those they import. */
    documents: LangiumDocument<ast.Model>[];
    diagnostics: FileDiagnostic[];
}

const SEVERITY = ['error', 'error', 'warning', 'info', 'hint'] as const;

export class DocumentError extends Error {
    constructor(readonly diagnostics: FileDiagnostic[]) {
        super(diagnostics.map(formatDiagnostic).join('\n'));
        this.name = 'DocumentError';
    }
}

/** `FILE:LINE:COL: error|warning: MESSAGE` */
export function formatDiagnostic(d: FileDiagnostic): string {
    return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

/**
 * Loads the files and, transitively, what they import; builds and validates them all. A file that
 * cannot be read (missing, a folder, not a .persemon file) is a diagnostic at its 1:1.
 */
export async function loadWorkspace(files: string[], services = createPersemonServices(NodeFileSystem).Persemon): Promise<LoadedWorkspace> {
    const { ImportLoader, DocumentBuilder, LangiumDocuments } = services.shared.workspace;
    const asked: LangiumDocument[] = [];
    const diagnostics: FileDiagnostic[] = [];
    for (const file of new Set(files.map(f => path.resolve(f)))) {
        const uri = URI.file(file);
        const document = await ImportLoader.load(uri);
        if (document) {
            asked.push(document);
        } else {
            const problem = ImportLoader.problem(uri) ?? { kind: 'missing' };
            diagnostics.push({ file, line: 1, column: 1, severity: 'error', message: describeImportProblem(problem, file) });
        }
    }
    // The builder loads what the documents import.
    await DocumentBuilder.build(asked, { validation: true });
    const documents = [...asked, ...LangiumDocuments.all.filter(d => !asked.includes(d))] as Array<LangiumDocument<ast.Model>>;
    for (const document of documents) {
        for (const d of document.diagnostics ?? []) {
            diagnostics.push({
                file: document.uri.fsPath,
                line: d.range.start.line + 1,
                column: d.range.start.character + 1,
                severity: SEVERITY[d.severity ?? 1],
                message: d.message,
                code: typeof d.code === 'string' ? d.code : undefined,
                ...isUnlistedSummary(d) && { unlisted: (d.data as UnlistedData).unlisted }
            });
        }
    }
    diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    return { services, documents, diagnostics };
}

/**
 * Loads a file with what it imports and compiles it with `compile`; refuses a document with errors,
 * listing them, and names the file in a compile error.
 */
export async function compileDocument<T>(file: string, compile: (model: ast.Model, source: string) => T): Promise<T> {
    const { documents, diagnostics } = await loadWorkspace([file]);
    const errors = diagnostics.filter(d => d.severity === 'error');
    if (errors.length > 0) throw new DocumentError(errors);
    const document = documents[0];
    try {
        return compile(document.parseResult.value, document.uri.fsPath);
    } catch (e) {
        if (e instanceof CompileError) throw new CompileError(`${document.uri.fsPath}: ${e.message}`, e.experiment);
        throw e;
    }
}

/** Compiles one experiment of a file to a JobSpec; refuses a document with errors, listing them. */
export async function compileFile(file: string, experiment?: string): Promise<JobSpec> {
    return compileDocument(file, (model, source) => compileExperiment(selectExperiment(model, experiment), source));
}
