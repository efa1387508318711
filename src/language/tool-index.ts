/**
 * What tools a document can use: its own declarations, `std`, its imports, and the tools
 * of servers the workspace declares. Checks, completion, hover and runs ask it.
 */
import {
    AstUtils, DocumentState, WorkspaceCache, type AstNode, type IndexManager, type LangiumDocument, type LangiumDocuments,
} from 'langium';
import type { LangiumServices } from 'langium/lsp';
import { isRunnable, type ToolDescriptor } from '../engine/model/index.js';
import { withServerContract } from '../engine/tools/index.js';
import { Server, ToolDecl, isToolDecl, type Step, type Compensation, type Given } from './generated/ast.js';
import { normalizeToolId, toToolDescriptor } from './tool-descriptors.js';
import type { KmflowScopeProvider } from './kmflow-scope-provider.js';
import type { KmflowServices } from './kmflow-module.js';
import type { ServerToolCatalog } from './server-tools.js';

export class ToolIndex {
    protected readonly indexManager: IndexManager;
    protected readonly documents: LangiumDocuments;
    protected readonly services: LangiumServices;
    /**
     * What the index says, per build: emptied whenever documents are (re-)indexed or
     * deleted, so every step of a validation shares one scan instead of one each.
     */
    protected readonly toolsCache: WorkspaceCache<string, ToolDescriptor[]>;
    protected readonly serversCache: WorkspaceCache<string, Set<string>>;

    constructor(services: LangiumServices) {
        this.services = services;
        this.indexManager = services.shared.workspace.IndexManager;
        this.documents = services.shared.workspace.LangiumDocuments;
        this.toolsCache = new WorkspaceCache(services.shared, DocumentState.IndexedContent);
        this.serversCache = new WorkspaceCache(services.shared, DocumentState.IndexedContent);
    }

    private get scopes(): KmflowScopeProvider {
        return this.services.references.ScopeProvider as KmflowScopeProvider;
    }

    /**
     * Every tool declaration the document sees, first declaration of an id first;
     * `everywhere`: the declarations of the whole workspace and the bundled catalogs.
     */
    visibleDecls(document: LangiumDocument, options?: { everywhere?: boolean }): ToolDecl[] {
        const uris = options?.everywhere ? undefined : this.scopes.visibleUris(document.uri);
        return this.indexManager.allElements(ToolDecl.$type, uris)
            .map((d) => d.node ?? this.load(d.documentUri.toString(), d.path))
            .filter((n): n is ToolDecl => isToolDecl(n))
            .toArray();
    }

    /**
     * The descriptors of `visibleDecls`, first of an id only, each with its server's own
     * contract where the server is known (see `withServer`). Shared: do not modify.
     */
    visibleTools(document: LangiumDocument): ToolDescriptor[] {
        const key = `${document.uri.toString()}\u0000${this.serverTools.version}`;
        return this.toolsCache.get(key, () => this.computeVisibleTools(document));
    }

    private get serverTools(): ServerToolCatalog {
        return (this.services as unknown as KmflowServices).tools.ServerTools;
    }

    /**
     * One precedence for every command: a tool declared `via SERVER "TOOL"` is checked and
     * called with what the server publishes, its live `tools/list` first, else its lock
     * entry, else the declaration (the bundled catalog). The declaration keeps the rest.
     */
    withServer(tool: ToolDescriptor): ToolDescriptor {
        if (!tool.via || tool.source === 'builtin') {
            return tool;
        }
        const served = this.serverTools.find(tool.via.server, tool.via.tool);
        if (!served) {
            return tool;
        }
        const memo = this.merged.get(tool);
        if (memo?.served === served) {
            return memo.merged;
        }
        const merged = withServerContract(tool, served);
        this.merged.set(tool, { served, merged });
        return merged;
    }

    private readonly merged = new WeakMap<ToolDescriptor, { served: ToolDescriptor; merged: ToolDescriptor }>();

    protected computeVisibleTools(document: LangiumDocument): ToolDescriptor[] {
        const seen = new Set<string>();
        const tools: ToolDescriptor[] = [];
        for (const decl of this.visibleDecls(document)) {
            const tool = this.withServer(toToolDescriptor(this.services, decl));
            if (!seen.has(tool.id)) {
                seen.add(tool.id);
                tools.push(tool);
            }
        }
        return tools;
    }

    /** The descriptor of the tool a step, compensation or `given tool` names, when it is known statically. */
    toolOf(node: Step | Compensation | Given): ToolDescriptor | undefined {
        const decl = node.tool?.ref;
        if (decl) {
            return this.withServer(toToolDescriptor(this.services, decl));
        }
        const id = node.tool ? normalizeToolId(node.tool.$refText) : undefined;
        if (!id) {
            return undefined;
        }
        // `SERVER.TOOL` bound by some visible declaration `via SERVER "TOOL"`, else as the
        // server lists it (live, or in the schema lock).
        const dot = id.indexOf('.');
        if (dot <= 0) {
            return undefined;
        }
        const [server, tool] = [id.slice(0, dot), id.slice(dot + 1)];
        const document = AstUtils.getDocument(node);
        return this.visibleTools(document).find((t) => t.via && t.via.server === server && t.via.tool === tool)
            ?? this.serverTools.find(server, tool);
    }

    /** Tools the document sees that provide a capability, in declaration order; `runnable`: only those. */
    providers(document: LangiumDocument, capability: string, options?: { runnable?: boolean }): ToolDescriptor[] {
        return this.visibleTools(document).filter((t) => t.capabilities.includes(capability)
            && (!options?.runnable || isRunnable(t)));
    }

    /** Names of the servers declared anywhere in the workspace. Shared: do not modify. */
    declaredServers(): Set<string> {
        return this.serversCache.get('', () => new Set(this.indexManager.allElements(Server.$type).map((s) => s.name)));
    }

    private load(uri: string, path: string): AstNode | undefined {
        const doc = this.documents.all.find((d) => d.uri.toString() === uri);
        return doc ? this.services.workspace.AstNodeLocator.getAstNode(doc.parseResult.value, path) : undefined;
    }
}
