/**
 * Langium's scope computation, without the local symbols: PersemonScopeProvider looks names up in
 * maps of its own (the experiments of a document, the effective datasets of an experiment), so the
 * table Langium builds by walking the whole syntax tree on every change went unused.
 */
import { DefaultScopeComputation, type LocalSymbols, MultiMap } from 'langium';

export class PersemonScopeComputation extends DefaultScopeComputation {
    override async collectLocalSymbols(): Promise<LocalSymbols> {
        return new MultiMap();
    }
}
