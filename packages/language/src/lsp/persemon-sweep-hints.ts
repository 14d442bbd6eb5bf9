/**
 * How many runs a sweep makes, shown after its name as an inlay hint (`sweep Ablations: 18 runs over …`),
 * so the cost of a grid is in sight while it is written. Only sweeps are visited, never the
 * experiments: a long document costs nothing here.
 */
import { GrammarUtils, type LangiumDocument } from 'langium';
import type { InlayHintProvider } from 'langium/lsp';
import { type InlayHint, InlayHintKind, type InlayHintParams } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import { sweepRuns } from '../compile/sweep-runs.js';

export class PersemonSweepHintProvider implements InlayHintProvider {
    getInlayHints(document: LangiumDocument, params: InlayHintParams): InlayHint[] {
        const model = document.parseResult.value;
        if (!ast.isModel(model)) return [];
        const { start, end } = params.range;
        const hints: InlayHint[] = [];
        for (const sweep of model.sweeps) {
            const name = GrammarUtils.findNodeForProperty(sweep.$cstNode, 'name');
            if (!name) continue;
            const at = name.range.end;
            if (at.line < start.line || at.line > end.line) continue;
            const { runs, product } = sweepRuns(sweep);
            hints.push({ position: at, label: `: ${runs} run${runs === 1 ? '' : 's'}`, kind: InlayHintKind.Type, paddingLeft: false, tooltip: `${runs} = ${product}` });
        }
        return hints;
    }
}
