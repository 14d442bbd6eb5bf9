/**
 * `import "file.persemon"`: the path is relative to the importing file. The builder below also loads
 * imported files that the workspace has not loaded (a file outside the editor's folders, or an
 * editor with no folder open), so `extends` across files works wherever the importing file is opened;
 * the ImportLoader refuses what is not a readable .persemon file.
 */
import {
    type Cancellation, DefaultDocumentBuilder, DocumentState, type BuildOptions, type LangiumDocument, URI, UriUtils
} from 'langium';
import { isModel, type Model } from './generated/ast.js';
import type { ImportLoader } from './persemon-import-loader.js';
import type { PersemonSharedServices } from './persemon-module.js';

/** The URI an import path names, resolved against the importing document's folder. */
export function resolveImport(document: LangiumDocument | URI, importPath: string): URI {
    const uri = 'uri' in document ? document.uri : document;
    return UriUtils.resolvePath(UriUtils.dirname(uri), importPath);
}

/** The URIs (as strings) of the files a document imports directly. */
export function importedUris(document: LangiumDocument): Set<string> {
    const model = document.parseResult?.value;
    const uris = new Set<string>();
    if (isModel(model)) {
        for (const imp of (model as Model).imports) {
            if (imp.path) uris.add(resolveImport(document, imp.path).toString());
        }
    }
    uris.delete(document.uri.toString());
    return uris;
}

export class PersemonDocumentBuilder extends DefaultDocumentBuilder {
    protected readonly importLoader: ImportLoader;

    constructor(services: PersemonSharedServices) {
        super(services);
        this.importLoader = services.workspace.ImportLoader;
    }

    protected override async buildDocuments(documents: LangiumDocument[], options: BuildOptions, cancelToken: Cancellation.CancellationToken): Promise<void> {
        // Parse first: the imports are only known from the parsed text. The parse phase of the build
        // then skips these documents.
        await this.runCancelable(documents, DocumentState.Parsed, cancelToken, doc => this.langiumDocumentFactory.update(doc, cancelToken));
        const all = [...documents];
        const known = new Set(all.map(d => d.uri.toString()));
        for (let i = 0; i < all.length; i++) {
            for (const uri of importedUris(all[i])) {
                if (known.has(uri)) continue;
                known.add(uri);
                const loaded = await this.loadImport(URI.parse(uri));
                if (loaded) all.push(loaded);
            }
        }
        await super.buildDocuments(all, options, cancelToken);
    }

    /**
     * A document sees only itself and what it imports, directly or not: only a change there can
     * resolve its references or alter its checks. Langium's default also relinks every document with
     * an unresolved reference on every change anywhere.
     */
    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        return this.importsAny(document, changedUris) || this.indexManager.isAffected(document, changedUris);
    }

    protected importsAny(document: LangiumDocument, uris: Set<string>): boolean {
        const seen = new Set([document.uri.toString()]);
        const queue = [document];
        for (let next = queue.pop(); next; next = queue.pop()) {
            for (const uri of importedUris(next)) {
                if (uris.has(uri)) return true;
                if (seen.has(uri)) continue;
                seen.add(uri);
                const imported = this.langiumDocuments.getDocument(URI.parse(uri));
                if (imported) queue.push(imported);
            }
        }
        return false;
    }

    /** An imported document that still needs building; undefined when it is built already or cannot be read. */
    protected async loadImport(uri: URI): Promise<LangiumDocument | undefined> {
        const document = await this.importLoader.load(uri);
        return document && document.state < DocumentState.Validated ? document : undefined;
    }
}
