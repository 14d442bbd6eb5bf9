import * as assert from 'node:assert/strict';
import { expectFindReferences, expectGoToDefinition, expectSymbols, parseHelper } from 'langium/test';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { createServices } from '../helpers.js';

const services = createServices();

describe('go to definition, find references, outline', () => {
    it('goes from a dataset reference to the dataset, also one an ancestor declares', async () => {
        await expectGoToDefinition(services)({
            text: `experiment Paper {
  dataset <|selfies|>: personality from synthetic
}
experiment Child extends Paper {
  evaluate { personality on <|>selfies.test }
}
`,
            index: 0,
            rangeIndex: 0,
            disposeAfterCheck: true
        });
    });

    it('goes from extends to the experiment', async () => {
        await expectGoToDefinition(services)({
            text: 'experiment <|Paper|> { }\nexperiment Child extends Pa<|>per { }\n',
            index: 0,
            rangeIndex: 0,
            disposeAfterCheck: true
        });
    });

    it('goes to an experiment in an imported file', async () => {
        const paper = await parseHelper(services)('\nexperiment Paper { }\n', { documentUri: 'file:///nav/paper.persemon' });
        const child = await parseHelper(services)('import "paper.persemon"\nexperiment Child extends Paper { }\n', { documentUri: 'file:///nav/child.persemon' });
        const links = await services.lsp.DefinitionProvider!.getDefinition(child, {
            textDocument: { uri: child.uri.toString() }, position: { line: 1, character: 27 }
        });
        assert.deepEqual(links?.map(l => [l.targetUri, l.targetSelectionRange]), [
            [paper.uri.toString(), { start: { line: 1, character: 11 }, end: { line: 1, character: 16 } }]
        ]);
    });

    it('finds the references of a dataset and of an experiment', async () => {
        await expectFindReferences(services)({
            text: `experiment Paper {
  dataset <|sel<|>fies|>: personality from synthetic
  evaluate { personality on <|selfies|>.test }
}
experiment Child extends Paper {
  evaluate { personality on <|selfies|>.validation, <|selfies|>.test }
}
`,
            includeDeclaration: true,
            disposeAfterCheck: true
        });
        await expectFindReferences(services)({
            text: 'experiment Pa<|>per { }\nexperiment A extends <|Paper|> { }\nexperiment B extends <|Paper|> { }\n',
            includeDeclaration: false,
            disposeAfterCheck: true
        });
    });

    it('outlines experiments with their datasets and modules', async () => {
        await expectSymbols(services)({
            text: `experiment Paper {
  seed 7
  dataset selfies: personality from chalearn "data/chalearn"
  fem sphereface { input 112x96 }
  pam { }
  ram off
}
experiment Child extends Paper { coherence { } }
`,
            assert: (symbols: DocumentSymbol[]) => {
                const kinds: Record<number, string> = { [SymbolKind.Class]: 'Class', [SymbolKind.Variable]: 'Variable', [SymbolKind.Module]: 'Module' };
                const outline = (s: DocumentSymbol): unknown => [s.name, kinds[s.kind], s.detail ?? '', ...(s.children ?? []).map(outline)];
                assert.deepEqual(symbols.map(outline), [
                    ['Paper', 'Class', '',
                        ['selfies', 'Variable', 'personality from chalearn'],
                        ['fem', 'Module', 'sphereface depth 20'],
                        ['pam', 'Module', ''],
                        ['ram', 'Module', 'off']],
                    ['Child', 'Class', '', ['coherence', 'Module', '']]
                ]);
                assert.deepEqual(symbols[0].children![1].selectionRange, { start: { line: 3, character: 2 }, end: { line: 3, character: 5 } });
            },
            disposeAfterCheck: true
        });
    });
});
