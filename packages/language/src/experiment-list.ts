/**
 * The experiments a document declares and where, read by the language's own parser from the text
 * alone: no workspace, imports or validation, so an editor can place CodeLens and offer experiments
 * without (and before) the language server.
 */
import {
    createDefaultCoreModule, createDefaultSharedCoreModule, EmptyFileSystem, GrammarUtils, inject, type LangiumCoreServices
} from 'langium';
import type { Range } from 'vscode-languageserver';
import type { Model } from './generated/ast.js';
import { PersemonGeneratedModule, PersemonGeneratedSharedModule } from './generated/module.js';
import { createPersemonParser } from './persemon-parser.js';

export interface ExperimentLocation {
    name: string;
    /** From the `experiment` keyword to the closing brace (or as far as a broken declaration got). */
    range: Range;
    nameRange: Range;
}

let services: LangiumCoreServices | undefined;

/** The parser alone, as the language server configures it, without the editor services (a lighter bundle). */
function parserServices(): LangiumCoreServices {
    const shared = inject(createDefaultSharedCoreModule(EmptyFileSystem), PersemonGeneratedSharedModule);
    return inject(createDefaultCoreModule({ shared }), PersemonGeneratedModule, { parser: { LangiumParser: createPersemonParser } });
}

/** Every `experiment Name` of `text` in document order, including those in a document with syntax errors. */
export function listExperiments(text: string): ExperimentLocation[] {
    services ??= parserServices();
    const model = services.parser.LangiumParser.parse<Model>(text).value;
    return model.experiments.flatMap(experiment => {
        const node = experiment.$cstNode;
        const keyword = node && GrammarUtils.findNodeForKeyword(node, 'experiment');
        const name = node && GrammarUtils.findNodeForProperty(node, 'name');
        if (!node || !keyword || !name || !experiment.name) return [];
        return [{ name: experiment.name, range: { start: keyword.range.start, end: node.range.end }, nameRange: name.range }];
    });
}
