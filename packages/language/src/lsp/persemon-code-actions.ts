/**
 * Quick fixes, keyed by issue code: sort milestones that are out of order, and replace a word with
 * the suggestion its diagnostic carries (a misspelt keyword, an ASCII or misspelt loss weight, an
 * unknown dataset, experiment or split).
 */
import { CstUtils, GrammarUtils, type LangiumDocument, type MaybePromise } from 'langium';
import type { CodeActionProvider } from 'langium/lsp';
import { type CodeAction, CodeActionKind, type CodeActionParams, type Command, type Diagnostic, TextEdit } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import { type IssueData, IssueCodes } from '../validation/issue-codes.js';

const REPLACEABLE: ReadonlySet<string> = new Set([
    IssueCodes.MisspeltKeyword, IssueCodes.UnknownLossWeight, IssueCodes.UnknownDataset, IssueCodes.UnknownExperiment, IssueCodes.UnknownSplit
]);

export class PersemonCodeActionProvider implements CodeActionProvider {
    getCodeActions(document: LangiumDocument, params: CodeActionParams): MaybePromise<Array<Command | CodeAction>> {
        const actions: CodeAction[] = [];
        for (const diagnostic of params.context.diagnostics) {
            const data = diagnostic.data as Partial<IssueData> | undefined;
            if (data?.code === IssueCodes.MilestonesOrder) {
                actions.push(...this.sortMilestones(document, diagnostic));
            } else if (data?.code && REPLACEABLE.has(data.code)) {
                actions.push(...(data.suggestions ?? []).map((suggestion, i) => this.replace(document, diagnostic, suggestion, i === 0)));
            }
        }
        return actions;
    }

    protected replace(document: LangiumDocument, diagnostic: Diagnostic, replacement: string, preferred: boolean): CodeAction {
        return {
            title: `Change to '${replacement}'`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: preferred,
            edit: { changes: { [document.textDocument.uri]: [TextEdit.replace(diagnostic.range, replacement)] } }
        };
    }

    protected sortMilestones(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const root = document.parseResult.value.$cstNode;
        const leaf = root && CstUtils.findLeafNodeAtOffset(root, document.textDocument.offsetAt(diagnostic.range.start));
        const milestones = leaf?.astNode;
        if (!ast.isMilestones(milestones)) return [];
        const open = GrammarUtils.findNodeForKeyword(milestones.$cstNode, '[');
        const close = GrammarUtils.findNodeForKeyword(milestones.$cstNode, ']');
        if (!open || !close) return [];
        // Keep each value as written; a value given twice is kept once.
        const written = GrammarUtils.findNodesForProperty(milestones.$cstNode, 'values').map(n => n.text);
        const sorted = [...new Map(written.map(w => [Number(w), w])).entries()].sort((a, b) => a[0] - b[0]).map(([, w]) => w);
        const range = { start: open.range.start, end: close.range.end };
        return [{
            title: 'Sort the milestones',
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: { changes: { [document.textDocument.uri]: [TextEdit.replace(range, `[${sorted.join(', ')}]`)] } }
        }];
    }
}
