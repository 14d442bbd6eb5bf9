import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CstNode, CstUtils, createLangiumParser, isCompositeCstNode } from 'langium';
import { createServices, examplesDir } from './helpers.js';

/** Every node of the syntax tree, depth first: its offset, length, whether hidden, and how many children. */
function shape(node: CstNode): string[] {
    return CstUtils.streamCst(node).map(n => `${n.offset}+${n.length}${n.hidden ? ' hidden' : ''}${isCompositeCstNode(n) ? ` [${n.content.length}]` : ''}`).toArray();
}

describe('the parser', () => {
    it('builds the syntax tree Langium\'s own builder builds, comments in the same places', () => {
        const services = createServices();
        const langiums = createLangiumParser(services);
        const documents = fs.readdirSync(examplesDir).filter(f => f.endsWith('.persemon')).map(f => fs.readFileSync(path.join(examplesDir, f), 'utf8'));
        documents.push(
            '// first\n/* block */ experiment A /* in */ { // after brace\n  seed 1 // end\n  // before pam\n  pam { /* empty */ }\n  /* dangling */ }\n// last\n',
            '/* only a comment */',
            'experiment B extends /* where */ A { loss { λ1 /* one */ 1 } } // unfinished {'
        );
        for (const text of documents) {
            const ours = services.parser.LangiumParser.parse(text).value.$cstNode!;
            const theirs = langiums.parse(text).value.$cstNode!;
            assert.deepEqual(shape(ours), shape(theirs), text);
        }
    });
});
