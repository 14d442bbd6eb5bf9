/**
 * Dependency injection for the .persemon language: the services Langium generates plus ours.
 * `createPersemonServices` works with or without an editor connection (CLI, tests).
 */
import { inject, type Module } from 'langium';
import {
    createDefaultModule, createDefaultSharedModule, type DefaultSharedModuleContext, type LangiumServices,
    type LangiumSharedServices, type PartialLangiumServices
} from 'langium/lsp';
import { PersemonGeneratedModule, PersemonGeneratedSharedModule } from './generated/module.js';

export type PersemonAddedServices = Record<string, never>;

export type PersemonServices = LangiumServices & PersemonAddedServices;

export const PersemonModule: Module<PersemonServices, PartialLangiumServices & PersemonAddedServices> = {};

export function createPersemonServices(context: DefaultSharedModuleContext): {
    shared: LangiumSharedServices;
    Persemon: PersemonServices;
} {
    const shared = inject(createDefaultSharedModule(context), PersemonGeneratedSharedModule);
    const Persemon = inject(createDefaultModule({ shared }), PersemonGeneratedModule, PersemonModule);
    shared.ServiceRegistry.register(Persemon);
    return { shared, Persemon };
}
