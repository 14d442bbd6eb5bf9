/**
 * The tables `persemon compare --format md` prints, read back into rows and cells, so that the
 * compare panel shows exactly the CLI's tables (one implementation: the runtime's compare module)
 * without loading the runtime, and TensorFlow.js with it, into the extension host. The Markdown is
 * the runtime's own: `### caption`, a blank line, a header row, an alignment row, then rows, with
 * `|` inside a cell escaped as `\|`.
 */

export interface CliTable {
    caption: string;
    header: string[];
    rows: string[][];
    /** Per column: right-aligned (a number) or not, from the alignment row. */
    numeric: boolean[];
}

export function parseCompareMarkdown(markdown: string): CliTable[] {
    const tables: CliTable[] = [];
    const lines = markdown.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
        const heading = /^###\s+(.*)$/.exec(lines[i]);
        if (!heading) continue;
        let j = i + 1;
        while (j < lines.length && lines[j].trim() === '') j++;
        const header = cells(lines[j]);
        const align = cells(lines[j + 1]);
        if (!header || !align || !align.every(a => /^:?-{3,}:?$/.test(a))) {
            throw new Error(`persemon compare --format md: the table "${heading[1]}" has no header and alignment rows (line ${j + 1})`);
        }
        const rows: string[][] = [];
        for (j += 2; j < lines.length; j++) {
            const row = cells(lines[j]);
            if (!row) break;
            if (row.length !== header.length) throw new Error(`persemon compare --format md: line ${j + 1} has ${row.length} cells, its table ${header.length} columns`);
            rows.push(row);
        }
        tables.push({ caption: heading[1].trim(), header, rows, numeric: align.map(a => a.endsWith(':')) });
        i = j - 1;
    }
    return tables;
}

/** The cells of one `| a | b \| c |` row, unescaped; undefined when the line is not a table row. */
function cells(line: string | undefined): string[] | undefined {
    if (line === undefined || !/^\|.*\|\s*$/.test(line)) return undefined;
    const body = line.trim().slice(1, -1);
    const out: string[] = [];
    let current = '';
    for (let k = 0; k < body.length; k++) {
        if (body[k] === '\\' && body[k + 1] === '|') {
            current += '|';
            k++;
        } else if (body[k] === '|') {
            out.push(current.trim());
            current = '';
        } else current += body[k];
    }
    out.push(current.trim());
    return out;
}
