import * as assert from 'node:assert/strict';
import { clearDocuments, testCodeAction, validationHelper } from 'langium/test';
import { TextDocument } from 'langium';
import type { CodeAction } from 'vscode-languageserver';
import { IssueCodes } from '../../src/validation/issue-codes.js';
import type { PersemonServices } from '../../src/persemon-module.js';
import { createServices } from '../helpers.js';

let services: PersemonServices;

/** Langium's check: exactly one quick fix for the one diagnostic with `code`, which turns `before` into `after` and clears it. */
async function fix(before: string, code: string, after: string): Promise<void> {
    await testCodeAction(services)(before, code, after);
}

/** Every quick fix offered for the diagnostic with `code`, as [title, text after applying it]. */
async function fixes(text: string, code: string): Promise<Array<[string, string]>> {
    const { document, diagnostics } = await validationHelper(services)(text);
    const diagnostic = diagnostics.filter(d => (d.data as { code?: string } | undefined)?.code === code);
    assert.equal(diagnostic.length, 1, `one ${code} in ${diagnostics.map(d => d.message).join('; ')}`);
    const actions = await services.lsp.CodeActionProvider!.getCodeActions(document, {
        textDocument: { uri: document.uri.toString() }, range: diagnostic[0].range, context: { diagnostics: diagnostic }
    }) as CodeAction[];
    await clearDocuments(services, [document]);
    return actions.map(a => [a.title, TextDocument.applyEdits(document.textDocument, a.edit!.changes![document.textDocument.uri])]);
}

const BASE = `experiment Paper {
  dataset selfies: personality from synthetic
  pam { }
}
`;

describe('quick fixes', () => {
    // Fresh services for each test: Langium's code action check leaves its documents in the workspace.
    beforeEach(() => {
        services = createServices();
    });

    it('sorts milestones that are out of order', async () => {
        await fix('experiment A {\n  schedule step { milestones [48000, 32000,40000, 32000] }\n}\n', IssueCodes.MilestonesOrder,
            'experiment A {\n  schedule step { milestones [32000, 40000, 48000] }\n}\n');
    });

    it('turns an ASCII misspelling of a lambda into lambda1, or the Greek λ1', async () => {
        assert.deepEqual(await fixes('experiment A {\n  loss { lamda1 1  margin 0.05 }\n}\n', IssueCodes.UnknownLossWeight), [
            ["Change to 'lambda1'", 'experiment A {\n  loss { lambda1 1  margin 0.05 }\n}\n'],
            ["Change to 'λ1'", 'experiment A {\n  loss { λ1 1  margin 0.05 }\n}\n']
        ]);
        assert.deepEqual((await fixes('experiment A {\n  loss { lambda_4 1 }\n}\n', IssueCodes.UnknownLossWeight)).map(f => f[1]), [
            'experiment A {\n  loss { lambda4 1 }\n}\n', 'experiment A {\n  loss { λ4 1 }\n}\n'
        ]);
        assert.deepEqual((await fixes('experiment A {\n  loss { l2 1 }\n}\n', IssueCodes.UnknownLossWeight)).map(f => f[1]), [
            'experiment A {\n  loss { lambda2 1 }\n}\n', 'experiment A {\n  loss { λ2 1 }\n}\n'
        ]);
    });

    it('replaces a misspelt keyword', async () => {
        await fix(`${BASE}experiment A extends Paper {\n  sampling { segmnts 10 }\n}\n`, IssueCodes.MisspeltKeyword,
            `${BASE}experiment A extends Paper {\n  sampling { segments 10 }\n}\n`);
    });

    it('replaces a misspelt dataset, split or experiment with the closest in scope', async () => {
        await fix(`${BASE}experiment A extends Paper {\n  evaluate { personality on selfie.test }\n}\n`, IssueCodes.UnknownDataset,
            `${BASE}experiment A extends Paper {\n  evaluate { personality on selfies.test }\n}\n`);
        await fix(`${BASE}experiment A extends Paper {\n  evaluate { personality on selfies.tset }\n}\n`, IssueCodes.UnknownSplit,
            `${BASE}experiment A extends Paper {\n  evaluate { personality on selfies.test }\n}\n`);
        await fix(`${BASE}experiment A extends paper { }\n`, IssueCodes.UnknownExperiment,
            `${BASE}experiment A extends Paper { }\n`);
    });

    it('offers nothing for a duplicate name', async () => {
        assert.deepEqual(await fixes('experiment A { }\nexperiment A { }\n', IssueCodes.DuplicateName), []);
    });
});
