import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { expectNoIssues } from 'langium/test';
import { createServices, describeDiagnostic, examplesDir, parseFile } from './helpers.js';

describe('the examples', () => {
    it('check clean; the paper warns only that its datasets are not on disk', async () => {
        const services = createServices();
        for (const name of ['quickstart.persemon', 'paper.persemon', 'ablations.persemon']) {
            const document = await parseFile(services, path.join(examplesDir, name));
            const result = { document, diagnostics: document.diagnostics ?? [], dispose: async () => undefined };
            expectNoIssues(result, { severity: DiagnosticSeverity.Error });
            const warnings = result.diagnostics.map(d => describeDiagnostic(document, d));
            assert.deepEqual(warnings, name !== 'paper.persemon' ? [] : [
                `11:47 '"data/chalearn"' warning dataset-path-not-found: data/chalearn does not exist (looked for ${path.join(examplesDir, 'data/chalearn')})`,
                `15:41 '"data/aff-wild"' warning dataset-path-not-found: data/aff-wild does not exist (looked for ${path.join(examplesDir, 'data/aff-wild')})`
            ]);
        }
    });
});
