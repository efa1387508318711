/**
 * kmflow's language services without the editor's: parsing, scoping, linking, the checks
 * and the tool index. The CLI and the MCP face open their workspaces over these, so a
 * command neither loads nor builds the language server's providers (the VS Code protocol
 * libraries among them); kmflow-module.ts adds those for the language server.
 */
import {
    DefaultIndexManager, DefaultTokenBuilder, createCompletionParser, createDefaultCoreModule, createDefaultSharedCoreModule, inject,
    type DefaultSharedCoreModuleContext, type LangiumCoreServices, type LangiumSharedCoreServices, type Module,
    type PartialLangiumCoreServices, type PartialLangiumSharedCoreServices,
} from 'langium';
import { KmflowGeneratedModule, KmflowGeneratedSharedModule } from './generated/module.js';
import { KmflowScopeProvider } from './kmflow-scope-provider.js';
import { KmflowScopeComputation } from './kmflow-scope-computation.js';
import { KmflowDocumentValidator } from './kmflow-document-validator.js';
import { KmflowWorkspaceManager } from './kmflow-workspace-manager.js';
import { KmflowLinker } from './incremental/fast-linker.js';
import { KmflowValidator, registerValidationChecks } from './validation/kmflow-validator.js';
import { ToolIndex } from './tool-index.js';
import { ServerToolCatalog } from './server-tools.js';
import { guardCompletionNesting, guardNesting } from './nesting-guard.js';
import { withLeanCst } from './lean-cst-builder.js';
import { createLeanLexer, withLeanTokens } from './lean-tokens.js';
import { withWordLookup } from './word-lexer.js';
import { withTokenSets } from './token-sets.js';
import { LiveAstNodeDescriptionProvider } from './incremental/live-descriptions.js';
import { createTunedParser, KmflowRuntimeMetaData, KmflowValueConverter, releasingTokens } from './parser-tuning.js';
import type { KmflowServices } from './kmflow-module.js';

/** Services kmflow adds to Langium's core ones. */
export interface KmflowCoreAddedServices {
    validation: {
        KmflowValidator: KmflowValidator;
    };
    tools: {
        ToolIndex: ToolIndex;
        /** MCP servers' tools from the schema lock and live `tools/list`. */
        ServerTools: ServerToolCatalog;
    };
}

export type KmflowCoreServices = LangiumCoreServices & KmflowCoreAddedServices;

/** The parts of kmflow's module that need no editor (kmflow-module.ts's KmflowModule has them too). */
export const KmflowCoreModule = {
    LanguageMetaData: () => KmflowRuntimeMetaData,
    parser: {
        LangiumParser: (services) => guardNesting(releasingTokens(withLeanCst(createTunedParser(services)))),
        ValueConverter: () => new KmflowValueConverter(),
        TokenBuilder: () => withTokenSets(new DefaultTokenBuilder()),
        Lexer: (services) => withWordLookup(withLeanTokens(createLeanLexer(services))),
        CompletionParser: (services) => guardCompletionNesting(createCompletionParser(services)),
    },
    references: {
        ScopeProvider: (services) => new KmflowScopeProvider(services),
        ScopeComputation: (services) => new KmflowScopeComputation(services),
        Linker: (services) => new KmflowLinker(services),
    },
    workspace: {
        // Places read when asked (a kept block's descriptions stay true when an edit above moves it), and small.
        AstNodeDescriptionProvider: (services) => new LiveAstNodeDescriptionProvider(services),
    },
    validation: {
        DocumentValidator: (services) => new KmflowDocumentValidator(services as unknown as KmflowServices),
        KmflowValidator: (services) => new KmflowValidator(services as unknown as KmflowServices),
    },
    tools: {
        ToolIndex: (services) => new ToolIndex(services as unknown as KmflowServices),
        ServerTools: () => new ServerToolCatalog(),
    },
} satisfies Module<KmflowCoreServices, PartialLangiumCoreServices & KmflowCoreAddedServices>;

export const KmflowSharedCoreModule = {
    workspace: {
        WorkspaceManager: (services: LangiumSharedCoreServices) => new KmflowWorkspaceManager(services),
    },
} satisfies Module<LangiumSharedCoreServices, PartialLangiumSharedCoreServices>;

/**
 * The index of one command or call: no index of references (who points at a node, for the
 * editor's Find References and Rename) is kept, since nothing outside the editor asks it;
 * building it was a tenth of checking a 10,000-step file.
 */
class OneShotIndexManager extends DefaultIndexManager {
    override async updateReferences(): Promise<void> {
        // nothing asks
    }
}

/**
 * Language services for one command or call: the checks, no editor providers. Typed as
 * the full services, which every layer takes; none of them reaches for an editor provider
 * outside the language server, which has its own (createKmflowServices).
 */
export function createKmflowCoreServices(context: DefaultSharedCoreModuleContext): KmflowServices {
    const shared = inject(createDefaultSharedCoreModule(context), KmflowGeneratedSharedModule, KmflowSharedCoreModule, {
        workspace: { IndexManager: (services: LangiumSharedCoreServices) => new OneShotIndexManager(services) },
    });
    const Kmflow = inject(createDefaultCoreModule({ shared }), KmflowGeneratedModule, KmflowCoreModule);
    shared.ServiceRegistry.register(Kmflow);
    registerValidationChecks(Kmflow as unknown as KmflowServices);
    shared.workspace.ConfigurationProvider.initialized({});
    return Kmflow as unknown as KmflowServices;
}
