/**
 * The layout of .persemon files, as the examples are written:
 * - two-space indentation whatever the editor's tab size (files look the same everywhere);
 * - one setting per line in an experiment, at most one blank line kept between settings;
 * - a block keeps the shape it was written in: on one line `{ a  b }`, options two spaces apart;
 *   across lines, one option per line unless two were written on one line (`people 60  clips 3`);
 * - one space between the tokens of a setting, none inside `a.b`, `10:1` or `[a, b]`;
 * - exactly one blank line between experiments, imports together at the top.
 * Comments on their own line move with what follows them.
 */
import { type AstNode, type CstNode, GrammarAST, isCompositeCstNode, isLeafCstNode, type LangiumDocument } from 'langium';
import { AbstractFormatter, Formatting, type FormattingAction, type FormattingContext } from 'langium/lsp';
import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';

const INDENT = 2;

/** A new line indented one level deeper, keeping one blank line if there was one. */
const indented: FormattingAction = { options: {}, moves: [{ tabs: 1, lines: 1 }, { tabs: 1, lines: 2 }] };
/** The next option on the same line, two spaces on; a block it opens still indents one level deeper. */
const besideIndented: FormattingAction = { options: {}, moves: [{ characters: 2, tabs: 1 }] };

export class PersemonFormatter extends AbstractFormatter {
    protected override doDocumentFormat(document: LangiumDocument, options: FormattingOptions, range?: Range): TextEdit[] {
        return super.doDocumentFormat(document, { ...options, tabSize: INDENT, insertSpaces: true }, range);
    }

    protected format(node: AstNode): void {
        if (!node.$cstNode) return;
        if (ast.isModel(node)) {
            this.formatTopLevel(node);
            return;
        }
        const units = unitsOf(node);
        const tokens = units.filter(u => !u.hidden);
        const open = tokens.findIndex(t => isKeyword(t, '{'));
        const close = open >= 0 ? tokens.length - 1 - [...tokens].reverse().findIndex(t => isKeyword(t, '}')) : -1;
        for (let i = 1; i < tokens.length; i++) {
            if (open >= 0 && i > open && (close < 0 || i <= close)) continue;
            this.cst(tokens[i]).prepend(spacing(node, tokens[i - 1], tokens[i]));
        }
        if (open >= 0 && close > open) {
            this.formatBlock(node, units.slice(units.indexOf(tokens[open]) + 1, units.indexOf(tokens[close])), tokens[open], tokens[close]);
        }
    }

    protected formatBlock(node: AstNode, inside: CstNode[], open: CstNode, close: CstNode): void {
        const items = ownLine(open, inside);
        if (items.length === 0) {
            this.cst(close).prepend(Formatting.oneSpace());
            return;
        }
        // Experiments always list their settings a line each; other blocks keep the shape they were written in.
        const multiline = ast.isExperiment(node) || open.range.start.line !== close.range.start.line;
        if (!multiline) {
            items.forEach((item, i) => this.cst(item).prepend(i === 0 ? Formatting.oneSpace() : Formatting.spaces(2)));
            this.cst(close).prepend(Formatting.oneSpace());
            return;
        }
        items.forEach((item, i) => {
            const previous = i > 0 ? items[i - 1] : undefined;
            const beside = !ast.isExperiment(node) && previous && !previous.hidden && !item.hidden
                && previous.range.end.line === item.range.start.line;
            this.cst(item).prepend(beside ? besideIndented : indented);
        });
        this.cst(close).prepend(Formatting.newLine());
    }

    /** Imports a line each, then each experiment after one blank line; comments stay above what they describe. */
    protected formatTopLevel(model: ast.Model): void {
        // A group: the comments on their own lines above an import or experiment, and that item.
        const groups: Array<{ units: CstNode[]; item?: CstNode }> = [{ units: [] }];
        for (const unit of ownLine(undefined, unitsOf(model))) {
            const group = groups.at(-1)!;
            group.units.push(unit);
            if (!unit.hidden) {
                group.item = unit;
                groups.push({ units: [] });
            }
        }
        groups.forEach((group, g) => group.units.forEach((unit, u) => {
            if (g === 0 && u === 0) return;
            const blank = u === 0 && (ast.isExperiment(group.item?.astNode) || ast.isExperiment(groups[g - 1].item?.astNode));
            this.cst(unit).prepend(Formatting.newLines(blank ? 2 : 1));
        }));
    }

    /** Comments on their own line take the blank lines and indentation that the formatting before them asks for. */
    protected override createHiddenTextEdits(previous: CstNode | undefined, hidden: CstNode, formatting: FormattingAction | undefined, context: FormattingContext): TextEdit[] {
        if (!formatting || !previous || previous.range.end.line === hidden.range.start.line || hidden.text.includes('\n')) {
            return super.createHiddenTextEdits(previous, hidden, formatting, context);
        }
        const range = { start: previous.range.end, end: hidden.range.start };
        const move = this.findFittingMove(range, formatting.moves, context);
        if (move?.lines === undefined) return super.createHiddenTextEdits(previous, hidden, formatting, context);
        const indentation = ' '.repeat(INDENT * (context.indentation + (move.tabs ?? 0)));
        return [{ range, newText: '\n'.repeat(move.lines) + indentation }];
    }

    private cst(node: CstNode) {
        return this.getNodeFormatter(node.astNode).cst([node]);
    }
}

/**
 * The tokens of a node and the nodes nested in it, in order: leaves (comments included) and whole
 * child AST nodes, looking through the rule calls that build this node itself.
 */
function unitsOf(node: AstNode): CstNode[] {
    const units: CstNode[] = [];
    const visit = (cst: CstNode) => {
        if (!isCompositeCstNode(cst)) return;
        for (const child of cst.content) {
            if (isLeafCstNode(child) || child.astNode !== node) units.push(child);
            else visit(child);
        }
    };
    visit(node.$cstNode!);
    return units;
}

/** The units that start a line of their own or are not comments: a comment after a token on its line stays put. */
function ownLine(start: CstNode | undefined, units: CstNode[]): CstNode[] {
    let previous = start;
    const kept: CstNode[] = [];
    for (const unit of units) {
        if (!unit.hidden || !previous || previous.range.end.line !== unit.range.start.line) kept.push(unit);
        previous = unit;
    }
    return kept;
}

function isKeyword(node: CstNode, value: string): boolean {
    return isLeafCstNode(node) && GrammarAST.isKeyword(node.grammarSource) && node.grammarSource.value === value;
}

/** One space between tokens, none around `.`, before `:` `,` `]`, after `[`, nor inside a ratio `10:1`. */
function spacing(node: AstNode, previous: CstNode, current: CstNode): FormattingAction {
    if (isKeyword(current, '.') || isKeyword(current, ':') || isKeyword(current, ',') || isKeyword(current, ']')) return Formatting.noSpace();
    if (isKeyword(previous, '.') || isKeyword(previous, '[')) return Formatting.noSpace();
    if (isKeyword(previous, ':') && ast.isValidationRatio(node)) return Formatting.noSpace();
    return Formatting.oneSpace();
}
