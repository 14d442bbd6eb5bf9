/**
 * Reads the files that imports (and `persemon check`) name, but only readable regular .persemon
 * files: anything else is refused with the reason, after a stat and before any read. Reading a
 * folder throws, a file of another language has no services, a FIFO or /dev/stdin blocks the
 * process (in the server: every document) and /dev/zero never ends.
 */
import {
    type FileSystemNode, type FileSystemProvider, type LangiumDocument, type LangiumDocuments,
    type LangiumSharedCoreServices, type ServiceRegistry, URI
} from 'langium';

export type ImportProblem =
    | { kind: 'missing' | 'folder' | 'not-regular' | 'not-persemon' }
    | { kind: 'unreadable'; reason: string };

/** Why a file cannot be imported, in words; `lookedFor` is where a missing file was looked for. */
export function describeImportProblem(problem: ImportProblem, name: string, lookedFor?: string): string {
    switch (problem.kind) {
        case 'missing': return `cannot find ${name}` + (lookedFor ? ` (looked for ${lookedFor})` : '');
        case 'folder': return `${name} is a folder, not a .persemon file`;
        case 'not-regular': return `${name} is not a regular file (a pipe, device or socket): it is not read`;
        case 'not-persemon': return `${name} is not a .persemon file`;
        case 'unreadable': return `cannot read ${name}: ${problem.reason}`;
    }
}

export class ImportLoader {
    protected readonly fileSystem: FileSystemProvider;
    protected readonly documents: LangiumDocuments;
    protected readonly serviceRegistry: ServiceRegistry;
    /** Why a file was not loaded, by URI, from the last attempt: the import check reports it. */
    protected readonly problems = new Map<string, ImportProblem>();

    constructor(services: LangiumSharedCoreServices) {
        this.fileSystem = services.workspace.FileSystemProvider;
        this.documents = services.workspace.LangiumDocuments;
        this.serviceRegistry = services.ServiceRegistry;
    }

    /** Why `uri` was not loaded the last time it was asked for; undefined when it was, or never asked for. */
    problem(uri: URI): ImportProblem | undefined {
        return this.problems.get(uri.toString());
    }

    /** The document at `uri`: the workspace's when it has one, else read from disk if it may be. */
    async load(uri: URI): Promise<LangiumDocument | undefined> {
        const key = uri.toString();
        const known = this.documents.getDocument(uri);
        if (known) {
            this.problems.delete(key);
            return known;
        }
        const read = await this.read(uri);
        if ('kind' in read) {
            this.problems.set(key, read);
            return undefined;
        }
        this.problems.delete(key);
        // Another build may have loaded it while this one was reading.
        return this.documents.getDocument(uri) ?? this.documents.createDocument(uri, read.text);
    }

    protected async read(uri: URI): Promise<{ text: string } | ImportProblem> {
        let node: FileSystemNode;
        try {
            node = await this.fileSystem.stat(uri);
        } catch (error) {
            return statProblem(error);
        }
        if (node.isDirectory) return { kind: 'folder' };
        if (!node.isFile) return { kind: 'not-regular' };
        if (!this.serviceRegistry.hasServices(uri)) return { kind: 'not-persemon' };
        try {
            return { text: await this.fileSystem.readFile(uri) };
        } catch (error) {
            return { kind: 'unreadable', reason: (error as Error).message };
        }
    }
}

/** A path that does not exist is missing; one the system refuses to resolve (a symlink loop, no permission) is unreadable. */
function statProblem(error: unknown): ImportProblem {
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined || code === 'ENOENT' || code === 'ENOTDIR'
        ? { kind: 'missing' }
        : { kind: 'unreadable', reason: (error as Error).message };
}
