/**
 * Dependency injection for the kmflow language: Langium's defaults, the generated
 * parser, and kmflow's own scoping, validation and workspace services.
 */
import { createCompletionParser, createLangiumParser, inject, type Module } from 'langium';
import {
    createDefaultModule, createDefaultSharedModule,
    type DefaultSharedModuleContext, type LangiumServices, type LangiumSharedServices, type PartialLangiumServices,
    type PartialLangiumSharedServices,
} from 'langium/lsp';
import { KmflowGeneratedModule, KmflowGeneratedSharedModule } from './generated/module.js';
import { KmflowScopeProvider } from './kmflow-scope-provider.js';
import { KmflowScopeComputation } from './kmflow-scope-computation.js';
import { KmflowDocumentValidator } from './kmflow-document-validator.js';
import { KmflowWorkspaceManager } from './kmflow-workspace-manager.js';
import { KmflowDocumentFactory } from './incremental/document-factory.js';
import { LazyReferenceIndexManager } from './incremental/lazy-index-manager.js';
import { KmflowLinker } from './incremental/fast-linker.js';
import { KmflowValidator, registerValidationChecks } from './validation/kmflow-validator.js';
import { ToolIndex } from './tool-index.js';
import { ServerToolCatalog } from './server-tools.js';
import { KmflowCodeActionProvider } from './lsp/kmflow-code-action-provider.js';
import { KmflowCodeLensProvider } from './lsp/kmflow-code-lens-provider.js';
import { KmflowCompletionProvider } from './lsp/kmflow-completion-provider.js';
import { KmflowDefinitionProvider } from './lsp/kmflow-definition-provider.js';
import { KmflowDocumentSymbolProvider } from './lsp/kmflow-document-symbol-provider.js';
import { KmflowFormatter } from './lsp/kmflow-formatter.js';
import { KmflowHoverProvider } from './lsp/kmflow-hover-provider.js';
import { KmflowInlayHintProvider } from './lsp/kmflow-inlay-hint-provider.js';
import { KmflowReferencesProvider } from './lsp/kmflow-references-provider.js';
import { KmflowRenameProvider } from './lsp/kmflow-rename-provider.js';
import { EditorSettingsSource } from './lsp/editor-settings.js';
import { KmflowSemanticTokenProvider } from './lsp/kmflow-semantic-token-provider.js';
import { StepTimings } from './lsp/step-timing.js';
import { WorkspaceHistory } from './lsp/workspace-history.js';
import { guardCompletionNesting, guardNesting } from './nesting-guard.js';
import { KmflowRuntimeMetaData, KmflowValueConverter, withCheapHiddenNodes } from './parser-tuning.js';

/** Services kmflow adds to Langium's. */
export interface KmflowAddedServices {
    validation: {
        KmflowValidator: KmflowValidator;
    };
    tools: {
        ToolIndex: ToolIndex;
        /** MCP servers' tools from the schema lock and live `tools/list`. */
        ServerTools: ServerToolCatalog;
    };
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

export const KmflowModule: Module<KmflowServices, PartialLangiumServices & KmflowAddedServices> = {
    LanguageMetaData: () => KmflowRuntimeMetaData,
    parser: {
        LangiumParser: (services) => guardNesting(withCheapHiddenNodes(createLangiumParser(services))),
        ValueConverter: () => new KmflowValueConverter(),
        CompletionParser: (services) => guardCompletionNesting(createCompletionParser(services)),
    },
    references: {
        ScopeProvider: (services) => new KmflowScopeProvider(services),
        ScopeComputation: (services) => new KmflowScopeComputation(services),
        Linker: (services) => new KmflowLinker(services),
    },
    validation: {
        DocumentValidator: (services) => new KmflowDocumentValidator(services),
        KmflowValidator: (services) => new KmflowValidator(services),
    },
    tools: {
        ToolIndex: (services) => new ToolIndex(services),
        ServerTools: () => new ServerToolCatalog(),
    },
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
        CompletionProvider: (services) => new KmflowCompletionProvider(services),
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
        WorkspaceManager: (services) => new KmflowWorkspaceManager(services),
        // A changed document is parsed again only in the block an edit falls in, when that is exact.
        LangiumDocumentFactory: (services) => new KmflowDocumentFactory(services),
        // Reference descriptions made when asked for (find references, relinking), not on every keystroke.
        IndexManager: (services) => new LazyReferenceIndexManager(services),
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
