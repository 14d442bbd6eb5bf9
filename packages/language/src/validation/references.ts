/**
 * Names and what they refer to: imports, experiment and dataset names, `extends` cycles, the split
 * of a `dataset.split`, and the names of the loss weights. Unknown datasets and experiments are
 * linking errors, reported by PersemonDocumentValidator.
 */
import { type LangiumDocuments, type IndexManager, UriUtils, type ValidationAcceptor, AstUtils } from 'langium';
import * as ast from '../generated/ast.js';
import { describeCycle, LOSS_NAMES } from '../compile/effective.js';
import { splitKindProblem, unknownSplitProblem } from '../compile/spec-rules.js';
import type { EffectiveExperiments } from './effective-experiments.js';
import { describeImportProblem, type ImportLoader, type ImportProblem } from '../persemon-import-loader.js';
import { importedUris, resolveImport } from '../persemon-imports.js';
import type { PersemonServices } from '../persemon-module.js';
import { splitsOf } from './datasets.js';
import { issue, type IssueCode, IssueCodes } from './issue-codes.js';
import { closest } from './suggest.js';

/** The replacements offered for an unknown loss weight name: the ASCII and the Greek spelling. */
export function lossWeightSuggestions(name: string): string[] {
    // Any spelling of "lambda" followed by 1-5: lamda1, lambda_1, l1, Lambda-2, λ_3.
    const lambda = /^[lλ][a-zλ]*[_-]?([1-5])$/i.exec(name);
    if (lambda) return [`lambda${lambda[1]}`, `λ${lambda[1]}`].filter(s => s !== name);
    if (/\d$/.test(name)) return [];
    return closest(name, Object.keys(LOSS_NAMES));
}

const IMPORT_CODES: Record<ImportProblem['kind'], IssueCode> = {
    'missing': IssueCodes.ImportNotFound,
    'folder': IssueCodes.ImportNotPersemonFile,
    'not-regular': IssueCodes.ImportNotPersemonFile,
    'not-persemon': IssueCodes.ImportNotPersemonFile,
    'unreadable': IssueCodes.ImportUnreadable
};

export class ReferenceChecks {
    protected readonly documents: LangiumDocuments;
    protected readonly index: IndexManager;
    protected readonly importLoader: ImportLoader;
    protected readonly effective: EffectiveExperiments;

    constructor(services: PersemonServices) {
        this.effective = services.validation.EffectiveExperiments;
        this.documents = services.shared.workspace.LangiumDocuments;
        this.index = services.shared.workspace.IndexManager;
        this.importLoader = services.shared.workspace.ImportLoader;
    }

    imports = (model: ast.Model, accept: ValidationAcceptor): void => {
        const document = AstUtils.getDocument(model);
        const seen = new Set<string>();
        for (const imp of model.imports) {
            if (imp.path === undefined) continue;
            const uri = resolveImport(document, imp.path);
            const key = uri.toString();
            if (seen.has(key)) {
                accept('error', `${imp.path} is imported twice`, { node: imp, property: 'path', ...issue(IssueCodes.DuplicateName) });
            } else if (key === document.uri.toString()) {
                accept('error', 'a file cannot import itself', { node: imp, property: 'path', ...issue(IssueCodes.ImportNotFound) });
            } else if (!this.documents.hasDocument(uri)) {
                // The builder tried to load it and noted why it could not; not tried means not found.
                const problem: ImportProblem = this.importLoader.problem(uri) ?? { kind: 'missing' };
                accept('error', describeImportProblem(problem, imp.path, uri.scheme === 'file' ? uri.fsPath : key),
                    { node: imp, property: 'path', ...issue(IMPORT_CODES[problem.kind]) });
            }
            seen.add(key);
        }
    };

    experimentNames = (model: ast.Model, accept: ValidationAcceptor): void => {
        const document = AstUtils.getDocument(model);
        const imported = new Map<string, string>();
        const importedFrom = importedUris(document);
        if (importedFrom.size > 0) {
            for (const description of this.index.allElements(ast.Experiment.$type, importedFrom)) {
                imported.set(description.name, UriUtils.basename(description.documentUri));
            }
        }
        const seen = new Set<string>();
        for (const experiment of model.experiments) {
            if (experiment.name === undefined) continue;
            if (seen.has(experiment.name)) {
                accept('error', `experiment '${experiment.name}' is declared twice in this file`,
                    { node: experiment, property: 'name', ...issue(IssueCodes.DuplicateName) });
            } else if (imported.has(experiment.name)) {
                accept('error', `experiment '${experiment.name}' is also declared in ${imported.get(experiment.name)}, which this file imports`,
                    { node: experiment, property: 'name', ...issue(IssueCodes.DuplicateName) });
            }
            seen.add(experiment.name);
        }
    };

    datasetNames = (experiment: ast.Experiment, accept: ValidationAcceptor): void => {
        const seen = new Set<string>();
        for (const dataset of experiment.settings.filter(ast.isDataset)) {
            if (dataset.name === undefined) continue;
            if (seen.has(dataset.name)) {
                accept('error', `dataset '${dataset.name}' is declared twice in this experiment`,
                    { node: dataset, property: 'name', ...issue(IssueCodes.DuplicateName) });
            }
            seen.add(dataset.name);
        }
    };

    extendsCycle = (experiment: ast.Experiment, accept: ValidationAcceptor): void => {
        if (!experiment.parent) return;
        const { cycle } = this.effective.get(experiment);
        // Only the experiments of the loop report it; one that extends into a loop has an error above it already.
        if (!cycle?.places.has(experiment)) return;
        accept('error', `'extends' forms a cycle${describeCycle(cycle, experiment)}`,
            { node: experiment, property: 'parent', ...issue(IssueCodes.ExtendsCycle) });
    };

    splitRef = (ref: ast.SplitRef, accept: ValidationAcceptor): void => {
        const dataset = ref.dataset?.ref;
        if (!dataset || ref.split === undefined) return;
        const unknown = unknownSplitProblem({ name: dataset.name, splits: splitsOf(dataset) }, ref.split);
        if (unknown) {
            accept('error', unknown.message, { node: ref, property: 'split', ...issue(IssueCodes.UnknownSplit, unknown.suggestions) });
        }
        const kind = splitKindProblem(dataset, ast.isPersonalityEval(ref.$container) ? 'personality' : 'emotion');
        if (kind) accept('error', kind, { node: ref, property: 'dataset', ...issue(IssueCodes.SplitKind) });
    };

    lossWeightName = (weight: ast.LossWeight, accept: ValidationAcceptor): void => {
        if (weight.name === undefined || LOSS_NAMES[weight.name]) return;
        const suggestions = lossWeightSuggestions(weight.name);
        const hint = suggestions.length > 0
            ? `: did you mean '${suggestions[0]}'?`
            : '; the loss weights are λ1 to λ5 (or lambda1 to lambda5) and margin';
        accept('error', `unknown loss weight '${weight.name}'${hint}`,
            { node: weight, property: 'name', ...issue(IssueCodes.UnknownLossWeight, suggestions) });
    };
}
