import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentState, URI } from 'langium';
import { createServices, tempDir } from './helpers.js';

/**
 * A document sees only itself and what it imports: a change elsewhere cannot resolve its references
 * or alter its checks, so it is not linked and validated again (Langium relinks every document with
 * an unresolved reference on every change, in every file of the workspace).
 */
describe('what a change relinks', () => {
    let dir: string;
    beforeEach(() => { dir = tempDir(); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('relinks the documents that import the changed one, directly or not, and no others', async () => {
        const files: Record<string, string> = {
            'base.persemon': 'experiment Base { seed 1 }\n',
            'middle.persemon': 'import "base.persemon"\nexperiment Middle extends Base { }\n',
            'top.persemon': 'import "middle.persemon"\nexperiment Top extends Middle {\n  evaluate { personality on selfies.test }\n}\n',
            'elsewhere.persemon': 'experiment Elsewhere extends Missing { }\n'
        };
        for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
        const services = createServices();
        const { DocumentBuilder, ImportLoader } = services.shared.workspace;
        const documents = [];
        for (const name of Object.keys(files)) documents.push((await ImportLoader.load(URI.file(path.join(dir, name))))!);
        await DocumentBuilder.build(documents, { validation: true });
        const top = documents[2];
        assert.deepEqual(top.diagnostics!.map(d => d.message), ["unknown dataset 'selfies'; this experiment declares no dataset"]);

        const linked: string[] = [];
        DocumentBuilder.onDocumentPhase(DocumentState.Linked, document => { linked.push(path.basename(document.uri.fsPath)); });
        const base = path.join(dir, 'base.persemon');
        // Top inherits the dataset it evaluates on from Base, through Middle.
        fs.writeFileSync(base, 'experiment Base {\n  dataset selfies: personality from synthetic\n}\n');
        await DocumentBuilder.update([URI.file(base)], []);
        assert.deepEqual(linked.sort(), ['base.persemon', 'middle.persemon', 'top.persemon']);
        assert.deepEqual(top.diagnostics!.map(d => d.message), []);
    });
});
