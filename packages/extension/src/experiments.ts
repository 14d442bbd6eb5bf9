/**
 * Where a document declares its experiments, found from the text alone so that CodeLens and
 * commands work before (and without) the language server.
 */
export interface ExperimentDecl {
    name: string;
    line: number;
    character: number;
}

/** `experiment Name` at the start of a statement, outside comments and strings. */
export function findExperiments(text: string): ExperimentDecl[] {
    const found: ExperimentDecl[] = [];
    const blank = text
        // Comments and strings become spaces of the same length, so offsets stay valid.
        .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, m => m.replace(/[^\n]/g, ' '));
    const pattern = /(^|[\s}])experiment\s+([_A-Za-z\u03bb][\w\u03bb]*)/g;
    for (let match = pattern.exec(blank); match; match = pattern.exec(blank)) {
        const offset = match.index + match[1].length;
        const before = blank.slice(0, offset);
        const line = before.split('\n').length - 1;
        found.push({ name: match[2], line, character: offset - (before.lastIndexOf('\n') + 1) });
    }
    return found;
}
