/**
 * Dependency injection for the kmflow language: Langium's defaults, the generated
 * parser, and kmflow's own scoping, validation and workspace services.
 */
import { inject, type Module } from 'langium';
import {
    createDefaultModule, createDefaultSharedModule,
    type DefaultSharedModuleContext, type LangiumServices, type LangiumSharedServices, type PartialLangiumServices,
    type PartialLangiumSharedServices,
} from 'langium/lsp';
import { KmflowGeneratedModule, KmflowGeneratedSharedModule } from './generated/module.js';
import { KmflowDocumentFactory } from './incremental/document-factory.js';
import { LazyReferenceIndexManager } from './incremental/lazy-index-manager.js';
import { registerValidationChecks } from './validation/kmflow-validator.js';
import { KmflowCoreModule, KmflowSharedCoreModule, type KmflowCoreAddedServices } from './kmflow-core-module.js';
import { KmflowCodeActionProvider } from './lsp/kmflow-code-action-provider.js';
import { KmflowCodeLensProvider } from './lsp/kmflow-code-lens-provider.js';
import { KmflowCompletionProvider } from './lsp/kmflow-completion-provider.js';
import { KmflowDefinitionProvider } from './lsp/kmflow-definition-provider.js';
import { KmflowDocumentSymbolProvider } from './lsp/kmflow-document-symbol-provider.js';
import { KmflowFormatter } from './lsp/kmflow-formatter.js';
import { KmflowHoverProvider } from './lsp/kmflow-hover-provider.js';
import { KmflowInlayHintProvider } from './lsp/kmflow-inlay-hint-provider.js';
import { KmflowLanguageServer } from './lsp/kmflow-language-server.js';
import { withParsersWhenUsed } from './lsp/lazy-parsers.js';
import { KmflowReferencesProvider } from './lsp/kmflow-references-provider.js';
import { KmflowRenameProvider } from './lsp/kmflow-rename-provider.js';
import { EditorSettingsSource } from './lsp/editor-settings.js';
import { KmflowSemanticTokenProvider } from './lsp/kmflow-semantic-token-provider.js';
import { StepTimings } from './lsp/step-timing.js';
import { WorkspaceHistory } from './lsp/workspace-history.js';

/** Services kmflow adds to Langium's: those of every front door (kmflow-core-module.ts) and the editor's. */
export interface KmflowAddedServices extends KmflowCoreAddedServices {
    settings: {
        /** `kmflow.lenses.steps`, `kmflow.inlayHints.enabled` (lsp/editor-settings.ts). */
        Editor: EditorSettingsSource;
    };
    timing: {
        /** The workspace folders' measured history, loaded in the background (lsp/workspace-history.ts). */
        History: WorkspaceHistory;
        /** Each workflow's estimates and predicted critical path (lsp/step-timing.ts). */
        Steps: StepTimings;
    };
}

export type KmflowServices = LangiumServices & KmflowAddedServices;

/** The language server's: the parts every front door has (KmflowCoreModule, one definition) and the editor's. */
export const KmflowModule: Module<KmflowServices, PartialLangiumServices & KmflowAddedServices> = {
    LanguageMetaData: KmflowCoreModule.LanguageMetaData,
    parser: KmflowCoreModule.parser,
    references: KmflowCoreModule.references,
    validation: KmflowCoreModule.validation,
    tools: KmflowCoreModule.tools,
    workspace: KmflowCoreModule.workspace,
    settings: {
        Editor: (services) => new EditorSettingsSource(services.shared),
    },
    timing: {
        History: (services) => new WorkspaceHistory(services.shared),
        Steps: (services) => new StepTimings(services),
    },
    lsp: {
        CodeActionProvider: (services) => new KmflowCodeActionProvider(services),
        CodeLensProvider: (services) => new KmflowCodeLensProvider(services),
        // Made at `initialize`, it takes the completion parser when it first completes.
        CompletionProvider: (services) => new KmflowCompletionProvider(withParsersWhenUsed(services)),
        DefinitionProvider: (services) => new KmflowDefinitionProvider(services),
        DocumentSymbolProvider: (services) => new KmflowDocumentSymbolProvider(services),
        Formatter: (services) => new KmflowFormatter(services),
        HoverProvider: (services) => new KmflowHoverProvider(services),
        InlayHintProvider: (services) => new KmflowInlayHintProvider(services),
        ReferencesProvider: (services) => new KmflowReferencesProvider(services),
        RenameProvider: (services) => new KmflowRenameProvider(services),
        SemanticTokenProvider: (services) => new KmflowSemanticTokenProvider(services),
    },
};

export const KmflowSharedModule: Module<LangiumSharedServices, PartialLangiumSharedServices> = {
    workspace: {
        WorkspaceManager: KmflowSharedCoreModule.workspace.WorkspaceManager,
        // A changed document is parsed again only in the block an edit falls in, when that is exact.
        LangiumDocumentFactory: (services) => new KmflowDocumentFactory(services),
        // Reference descriptions made when asked for (find references, relinking), not on every keystroke.
        IndexManager: (services) => new LazyReferenceIndexManager(services),
    },
    lsp: {
        // Answers `initialize` first, then builds the parsers.
        LanguageServer: (services) => new KmflowLanguageServer(services),
    },
};

/**
 * Creates the shared and the language services. Outside a language server (CLI, tests)
 * the configuration is marked initialized so documents build without a client.
 */
export function createKmflowServices(context: DefaultSharedModuleContext): {
    shared: LangiumSharedServices;
    Kmflow: KmflowServices;
} {
    const shared = inject(createDefaultSharedModule(context), KmflowGeneratedSharedModule, KmflowSharedModule);
    const Kmflow = inject(createDefaultModule({ shared }), KmflowGeneratedModule, KmflowModule);
    shared.ServiceRegistry.register(Kmflow);
    registerValidationChecks(Kmflow);
    // Made now, so that it hears `initialize` (it keeps the client's initializationOptions).
    void Kmflow.settings.Editor;
    if (!context.connection) {
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Kmflow };
}
