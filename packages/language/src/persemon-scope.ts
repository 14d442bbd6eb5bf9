/**
 * Scoping of the two kinds of names the language refers to:
 * - `extends X`: the experiments of this document and of the documents it imports (not every file
 *   of the workspace: an experiment that is not imported is unknown);
 * - `dataset.split` in evaluate: the datasets of the experiment and of those it extends, the
 *   nearest declaration of a name winning, as in the effective settings.
 */
import {
    type AstNodeDescription, AstUtils, DefaultScopeProvider, EMPTY_SCOPE, type ReferenceInfo,
    type Scope, stream
} from 'langium';
import { Dataset, Experiment, isDataset, isExperiment, isSplitRef, type Model } from './generated/ast.js';
import { extendsChain } from './compile/effective.js';
import { importedUris } from './persemon-imports.js';

export class PersemonScopeProvider extends DefaultScopeProvider {
    override getScope(context: ReferenceInfo): Scope {
        const container = context.container;
        if (context.property === 'parent' && isExperiment(container)) {
            return this.experimentScope(container);
        }
        if (context.property === 'dataset' && isSplitRef(container)) {
            const experiment = AstUtils.getContainerOfType(container, isExperiment);
            return experiment ? this.datasetScope(experiment) : EMPTY_SCOPE;
        }
        return super.getScope(context);
    }

    /** Experiments visible to `extends` in the experiment's document. */
    experimentScope(experiment: Experiment): Scope {
        const document = AstUtils.getDocument(experiment);
        const imported = importedUris(document);
        const outer = imported.size > 0
            ? this.createScope(this.indexManager.allElements(Experiment.$type, imported))
            : EMPTY_SCOPE;
        return this.createScope(this.localDescriptions(experiment.$container, Experiment.$type), outer);
    }

    /** Datasets an experiment can evaluate on: its own first, then each ancestor's. */
    datasetScope(experiment: Experiment): Scope {
        const { chain, cycle } = extendsChain(experiment);
        let scope: Scope = EMPTY_SCOPE;
        for (const layer of cycle ? [...chain, ...cycle] : chain) {
            scope = this.createScope(this.localDescriptions(layer, Dataset.$type), scope);
        }
        return scope;
    }

    /** The named children of `container` of one type, from the precomputed local symbols when there are some. */
    protected localDescriptions(container: Model | Experiment, type: string): Iterable<AstNodeDescription> {
        const symbols = AstUtils.getDocument(container).localSymbols;
        if (symbols?.has(container)) {
            return symbols.getStream(container).filter(d => d.type === type);
        }
        const children: Array<Dataset | Experiment> = isExperiment(container) ? container.settings.filter(isDataset) : (container as Model).experiments;
        return stream(children).map(child => this.descriptions.createDescription(child, child.name));
    }
}
