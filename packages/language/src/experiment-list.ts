/**
 * The experiments and sweeps a document declares and where, read by the language's own parser from
 * the text alone: no workspace, imports or validation, so an editor can place CodeLens and offer
 * experiments and sweeps without (and before) the language server.
 */
import {
    createDefaultCoreModule, createDefaultSharedCoreModule, EmptyFileSystem, GrammarUtils, inject, type LangiumCoreServices
} from 'langium';
import type { Range } from 'vscode-languageserver';
import type { Model } from './generated/ast.js';
import { PersemonGeneratedModule, PersemonGeneratedSharedModule } from './generated/module.js';
import { sweepRuns } from './compile/sweep-runs.js';
import { createPersemonParser } from './persemon-parser.js';

export interface ExperimentLocation {
    name: string;
    /** From the `experiment` keyword to the closing brace (or as far as a broken declaration got). */
    range: Range;
    nameRange: Range;
}

export interface SweepLocation {
    name: string;
    /** From the `sweep` keyword to the closing brace (or as far as a broken declaration got). */
    range: Range;
    nameRange: Range;
    /** The experiments after `over`, as written. */
    experiments: string[];
    /** The runs it makes; undefined while the declaration does not parse (being typed). */
    runs?: number;
}

let services: LangiumCoreServices | undefined;

/** The parser alone, as the language server configures it, without the editor services (a lighter bundle). */
function parserServices(): LangiumCoreServices {
    const shared = inject(createDefaultSharedCoreModule(EmptyFileSystem), PersemonGeneratedSharedModule);
    return inject(createDefaultCoreModule({ shared }), PersemonGeneratedModule, { parser: { LangiumParser: createPersemonParser } });
}

/** Every `experiment Name` of `text` in document order, including those in a document with syntax errors. */
export function listExperiments(text: string): ExperimentLocation[] {
    const model = parse(text).value;
    return model.experiments.flatMap(experiment => {
        const node = experiment.$cstNode;
        const keyword = node && GrammarUtils.findNodeForKeyword(node, 'experiment');
        const name = node && GrammarUtils.findNodeForProperty(node, 'name');
        if (!node || !keyword || !name || !experiment.name) return [];
        return [{ name: experiment.name, range: { start: keyword.range.start, end: node.range.end }, nameRange: name.range }];
    });
}

/** Every `sweep Name` of `text` in document order, with the runs it makes where it parses whole. */
export function listSweeps(text: string): SweepLocation[] {
    const { value: model, parserErrors } = parse(text);
    return model.sweeps.flatMap(sweep => {
        const node = sweep.$cstNode;
        const keyword = node && GrammarUtils.findNodeForKeyword(node, 'sweep');
        const name = node && GrammarUtils.findNodeForProperty(node, 'name');
        if (!node || !keyword || !name || !sweep.name) return [];
        // A syntax error inside the declaration, or at the end of a text it runs to, leaves it unfinished.
        const broken = parserErrors.some(e => Number.isNaN(e.token.startOffset)
            ? node.end >= text.trimEnd().length
            : e.token.startOffset >= node.offset && e.token.startOffset < node.end);
        return [{
            name: sweep.name, range: { start: keyword.range.start, end: node.range.end }, nameRange: name.range,
            experiments: sweep.experiments.map(r => r.$refText),
            ...(broken ? {} : { runs: sweepRuns(sweep).runs })
        }];
    });
}

function parse(text: string) {
    services ??= parserServices();
    return services.parser.LangiumParser.parse<Model>(text);
}
