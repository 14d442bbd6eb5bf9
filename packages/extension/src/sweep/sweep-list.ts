/**
 * Where a document declares its sweeps and how many runs each makes (experiments x the length of
 * each varied setting's list, a `zip` counting once), read from the text alone so that CodeLens
 * works before and without the language server. The grammar's `sweep NAME over X|[A, B] { ... }`
 * is all it reads: a small tokenizer that knows comments and strings, then the declaration's
 * brackets. A declaration it cannot follow (being typed) is listed without a count.
 */

export interface SweepDecl {
    name: string;
    /** Where its `sweep` keyword starts. */
    line: number;
    character: number;
    experiments: string[];
    /** Runs the sweep makes; undefined when the declaration is incomplete. */
    runs?: number;
}

interface Token {
    text: string;
    line: number;
    character: number;
}

export function findSweeps(text: string): SweepDecl[] {
    const tokens = tokenize(text);
    const sweeps: SweepDecl[] = [];
    let depth = 0;
    for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i].text;
        if (t === '{' || t === '[') depth++;
        else if (t === '}' || t === ']') depth = Math.max(0, depth - 1);
        else if (depth === 0 && t === 'sweep' && isName(tokens[i + 1]?.text)) {
            const parsed = parseSweep(tokens, i);
            sweeps.push(parsed.decl);
            i = parsed.next - 1;
        }
    }
    return sweeps;
}

function parseSweep(tokens: Token[], start: number): { decl: SweepDecl; next: number } {
    const decl: SweepDecl = { name: tokens[start + 1].text, line: tokens[start].line, character: tokens[start].character, experiments: [] };
    let i = start + 2;
    const at = (text: string) => tokens[i]?.text === text;
    if (!at('over')) return { decl, next: i };
    i++;
    if (at('[')) {
        i++;
        while (isName(tokens[i]?.text)) {
            decl.experiments.push(tokens[i++].text);
            if (at(',')) i++;
        }
        if (!at(']')) return { decl, next: i };
        i++;
    } else if (isName(tokens[i]?.text)) decl.experiments.push(tokens[i++].text);
    if (!at('{') || decl.experiments.length === 0) return { decl, next: i };
    i++;
    let runs = decl.experiments.length;
    for (;;) {
        if (i >= tokens.length) return { decl, next: i };
        if (at('}')) break;
        if ((at('zip') || at('slurm')) && tokens[i + 1]?.text === '{') {
            const zip = at('zip');
            i += 2;
            let first: number | undefined;
            while (i < tokens.length && !at('}')) {
                if (zip) {
                    const setting = parseSetting(tokens, i);
                    if (!setting) return { decl, next: i };
                    first ??= setting.values;
                    i = setting.next;
                } else i++;
            }
            if (i >= tokens.length) return { decl, next: i };
            i++;
            if (zip && first !== undefined) runs *= first;
            continue;
        }
        const setting = parseSetting(tokens, i);
        if (!setting) return { decl, next: i };
        runs *= setting.values;
        i = setting.next;
    }
    decl.runs = runs;
    return { decl, next: i + 1 };
}

/** `path.to.setting [v, [a, b], "c"]`: how many values its list holds. */
function parseSetting(tokens: Token[], i: number): { values: number; next: number } | undefined {
    if (!isName(tokens[i]?.text)) return undefined;
    i++;
    while (tokens[i]?.text === '.' && isName(tokens[i + 1]?.text)) i += 2;
    if (tokens[i]?.text !== '[') return undefined;
    let depth = 0;
    let values = 0;
    let empty = true;
    for (; i < tokens.length; i++) {
        const t = tokens[i].text;
        if (t === '[') {
            if (depth === 1) empty = false;
            depth++;
        } else if (t === ']') {
            depth--;
            if (depth === 0) return { values: empty ? 0 : values + 1, next: i + 1 };
        } else if (t === '{' || t === '}') return undefined;
        else if (depth === 1 && t === ',') values++;
        else if (depth === 1) empty = false;
    }
    return undefined;
}

function isName(text: string | undefined): boolean {
    return text !== undefined && /^[\p{L}_][\p{L}\p{N}_]*$/u.test(text);
}

function tokenize(text: string): Token[] {
    const tokens: Token[] = [];
    let line = 0;
    let lineStart = 0;
    for (let i = 0; i < text.length;) {
        const c = text[i];
        if (c === '\n') {
            line++;
            lineStart = ++i;
        } else if (/\s/.test(c)) i++;
        else if (text.startsWith('//', i)) {
            while (i < text.length && text[i] !== '\n') i++;
        } else if (text.startsWith('/*', i)) {
            const end = text.indexOf('*/', i + 2);
            const stop = end < 0 ? text.length : end + 2;
            for (; i < stop; i++) if (text[i] === '\n') { line++; lineStart = i + 1; }
        } else if (c === '"' || c === '\'') {
            const start = i++;
            while (i < text.length && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
            i++;
            tokens.push({ text: text.slice(start, i), line, character: start - lineStart });
        } else {
            const word = /^(?:[\p{L}_][\p{L}\p{N}_]*|[-+]?[\d.]+(?:[eE][-+]?\d+)?(?:x\d+)?)/u.exec(text.slice(i, i + 200));
            const len = word && word[0] !== '.' ? word[0].length : 1;
            tokens.push({ text: text.slice(i, i + len), line, character: i - lineStart });
            i += len;
        }
    }
    return tokens;
}
