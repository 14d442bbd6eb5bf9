/**
 * Dependency injection for the .persemon language: the services Langium generates plus ours.
 * `createPersemonServices` works with or without an editor connection (CLI, tests).
 */
import { inject, type Module } from 'langium';
import {
    createDefaultModule, createDefaultSharedModule, type DefaultSharedModuleContext, type LangiumServices,
    type LangiumSharedServices, type PartialLangiumServices, type PartialLangiumSharedServices
} from 'langium/lsp';
import { PersemonGeneratedModule, PersemonGeneratedSharedModule } from './generated/module.js';
import { ImportLoader } from './persemon-import-loader.js';
import { PersemonDocumentBuilder } from './persemon-imports.js';
import { createPersemonParser } from './persemon-parser.js';
import { PersemonScopeComputation } from './persemon-scope-computation.js';
import { PersemonScopeProvider } from './persemon-scope.js';
import { PersemonCodeActionProvider } from './lsp/persemon-code-actions.js';
import { PersemonCompletionProvider } from './lsp/persemon-completion.js';
import { PersemonDocumentSymbolProvider } from './lsp/persemon-document-symbols.js';
import { PersemonFormatter } from './lsp/persemon-formatter.js';
import { PersemonHoverProvider } from './lsp/persemon-hover.js';
import { PersemonSweepHintProvider } from './lsp/persemon-sweep-hints.js';
import { EffectiveExperiments } from './validation/effective-experiments.js';
import { PersemonDocumentValidator } from './validation/persemon-document-validator.js';
import { registerValidationChecks } from './validation/persemon-validator.js';
import { PersemonParserErrorMessageProvider } from './validation/syntax.js';

export type PersemonAddedServices = {
    validation: {
        EffectiveExperiments: EffectiveExperiments;
    };
};

export type PersemonAddedSharedServices = {
    workspace: {
        ImportLoader: ImportLoader;
    };
};

export type PersemonSharedServices = LangiumSharedServices & PersemonAddedSharedServices;

export type PersemonServices = LangiumServices & PersemonAddedServices & { shared: PersemonSharedServices };

export const PersemonModule: Module<PersemonServices, PartialLangiumServices & PersemonAddedServices> = {
    parser: {
        LangiumParser: services => createPersemonParser(services),
        ParserErrorMessageProvider: services => new PersemonParserErrorMessageProvider(services)
    },
    references: {
        ScopeComputation: services => new PersemonScopeComputation(services),
        ScopeProvider: services => new PersemonScopeProvider(services)
    },
    validation: {
        DocumentValidator: services => new PersemonDocumentValidator(services),
        EffectiveExperiments: services => new EffectiveExperiments(services)
    },
    lsp: {
        CompletionProvider: services => new PersemonCompletionProvider(services),
        HoverProvider: services => new PersemonHoverProvider(services),
        Formatter: () => new PersemonFormatter(),
        CodeActionProvider: () => new PersemonCodeActionProvider(),
        DocumentSymbolProvider: services => new PersemonDocumentSymbolProvider(services),
        InlayHintProvider: () => new PersemonSweepHintProvider()
    }
};

export const PersemonSharedModule: Module<PersemonSharedServices, PartialLangiumSharedServices & PersemonAddedSharedServices> = {
    workspace: {
        DocumentBuilder: services => new PersemonDocumentBuilder(services),
        ImportLoader: services => new ImportLoader(services)
    }
};

export function createPersemonServices(context: DefaultSharedModuleContext): {
    shared: PersemonSharedServices;
    Persemon: PersemonServices;
} {
    const shared = inject(createDefaultSharedModule(context), PersemonGeneratedSharedModule, PersemonSharedModule);
    const Persemon = inject(createDefaultModule({ shared }), PersemonGeneratedModule, PersemonModule);
    shared.ServiceRegistry.register(Persemon);
    registerValidationChecks(Persemon);
    if (!context.connection) {
        // Without a language client nobody sends the configuration; start with the defaults.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Persemon };
}
