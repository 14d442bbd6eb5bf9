/** The outline: each experiment with its datasets and the modules it declares (fem, pam, eam, ram, coherence). */
import { type AstNode, type LangiumDocument } from 'langium';
import { DefaultDocumentSymbolProvider } from 'langium/lsp';
import { type DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import { DEFAULTS } from '../compile/defaults.js';
import { firstTokenRange } from '../validation/experiments.js';

type ModuleNode = ast.Fem | ast.Pam | ast.Eam | ast.Ram | ast.Coherence;

function isModule(node: AstNode): node is ModuleNode {
    return ast.isFem(node) || ast.isPam(node) || ast.isEam(node) || ast.isRam(node) || ast.isCoherence(node);
}

export class PersemonDocumentSymbolProvider extends DefaultDocumentSymbolProvider {
    protected override getSymbol(document: LangiumDocument, node: AstNode): DocumentSymbol[] {
        if (isModule(node) && node.$cstNode) {
            const selection = firstTokenRange(node) ?? node.$cstNode.range;
            return [{ name: node.$type.toLowerCase(), detail: moduleDetail(node), kind: SymbolKind.Module, range: node.$cstNode.range, selectionRange: selection }];
        }
        const symbols = super.getSymbol(document, node);
        if (ast.isExperiment(node) || ast.isDataset(node)) {
            for (const symbol of symbols) symbol.kind = ast.isExperiment(node) ? SymbolKind.Class : SymbolKind.Variable;
        }
        if (ast.isDataset(node)) {
            for (const symbol of symbols) symbol.detail = `${node.kind} from ${node.format}`;
        }
        return symbols;
    }
}

function moduleDetail(node: ModuleNode): string | undefined {
    if (ast.isFem(node)) return `${node.family} depth ${node.depth ?? DEFAULTS.fem.depth}`;
    return node.off ? 'off' : undefined;
}
