/**
 * Scoping of the two kinds of names the language refers to:
 * - `extends X`: the experiments of this document and of the documents it imports (not every file
 *   of the workspace: an experiment that is not imported is unknown);
 * - `dataset.split` in evaluate: the datasets of the experiment and of those it extends, the
 *   nearest declaration of a name winning, as in the effective settings.
 * Both are looked up by name in maps built once per document and build, not searched: a document of
 * thousands of experiments links in linear time.
 */
import {
    AstUtils, DefaultScopeProvider, EMPTY_SCOPE, MultiMapScope, type ReferenceInfo, type Scope, WorkspaceCache
} from 'langium';
import { type Dataset, Experiment, isExperiment, isSplitRef, isSweep, type Model, type Sweep } from './generated/ast.js';
import { importedUris } from './persemon-imports.js';
import type { PersemonServices } from './persemon-module.js';
import type { EffectiveExperiments } from './validation/effective-experiments.js';

export class PersemonScopeProvider extends DefaultScopeProvider {
    protected readonly effective: EffectiveExperiments;
    protected readonly experimentScopes: WorkspaceCache<Model, Scope>;

    constructor(services: PersemonServices) {
        super(services);
        this.effective = services.validation.EffectiveExperiments;
        this.experimentScopes = new WorkspaceCache(services.shared);
    }

    override getScope(context: ReferenceInfo): Scope {
        const container = context.container;
        if (context.property === 'parent' && isExperiment(container)) {
            return this.experimentScope(container);
        }
        // A sweep sees the experiments `extends` would: its document's and the imported, not every file of the workspace.
        if (context.property === 'experiments' && isSweep(container)) {
            return this.experimentScope(container);
        }
        if (context.property === 'dataset' && isSplitRef(container)) {
            const experiment = AstUtils.getContainerOfType(container, isExperiment);
            return experiment ? this.datasetScope(experiment) : EMPTY_SCOPE;
        }
        return super.getScope(context);
    }

    /** Experiments visible to `extends` in the experiment's document: its own first (the first of a name wins), then the imported. */
    experimentScope(node: Experiment | Sweep): Scope {
        const model = node.$container;
        return this.experimentScopes.get(model, () => {
            const document = AstUtils.getDocument(model);
            const imported = importedUris(document);
            const outer = imported.size > 0 ? new MultiMapScope(this.indexManager.allElements(Experiment.$type, imported)) : undefined;
            const own = model.experiments.filter(e => e.name !== undefined);
            return new MultiMapScope(own.map(e => this.descriptions.createDescription(e, e.name)), outer);
        });
    }

    /** Datasets an experiment can evaluate on: its own, then its parent's, and so on; the nearest of a name winning. */
    datasetScope(experiment: Experiment): Scope {
        const depth = (dataset: Dataset) => this.effective.get(dataset.$container as Experiment).depth;
        const datasets = [...this.effective.get(experiment).datasets.values()]
            .filter(d => d.name !== undefined)
            .sort((a, b) => depth(b) - depth(a));
        return new MultiMapScope(datasets.map(d => this.descriptions.createDescription(d, d.name)));
    }
}
