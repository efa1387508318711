/**
 * Import-aware scoping: a document sees its own declarations, the `std` catalog, and what
 * it imports (transitively), not every file of the workspace.
 */
import {
    AstUtils, DefaultScopeProvider, MultiMapScope, WorkspaceCache,
    type LangiumCoreServices, type LangiumDocuments, type ReferenceInfo, type Scope, type URI,
} from 'langium';
import { isDocument, type Document } from './generated/ast.js';
import { STD_CATALOG_URI, resolveImport } from './catalogs.js';

export class KmflowScopeProvider extends DefaultScopeProvider {
    protected readonly documents: LangiumDocuments;
    protected readonly visibleCache: WorkspaceCache<string, Set<string>>;
    protected readonly scopeCache: WorkspaceCache<string, Scope>;

    constructor(services: LangiumCoreServices) {
        super(services);
        this.documents = services.shared.workspace.LangiumDocuments;
        this.visibleCache = new WorkspaceCache(services.shared);
        this.scopeCache = new WorkspaceCache(services.shared);
    }

    protected override getGlobalScope(referenceType: string, context: ReferenceInfo): Scope {
        const uri = AstUtils.getDocument(context.container).uri;
        const key = `${uri.toString()}\u0000${referenceType}`;
        return this.scopeCache.get(key, () => {
            const uris = this.visibleUris(uri);
            return new MultiMapScope(this.indexManager.allElements(referenceType, uris));
        });
    }

    /** The URIs of the documents a document sees: itself, `std`, and its imports' closure. */
    visibleUris(uri: URI): Set<string> {
        return this.visibleCache.get(uri.toString(), () => {
            const seen = new Set<string>([STD_CATALOG_URI]);
            const queue: URI[] = [uri];
            while (queue.length > 0) {
                const next = queue.pop()!;
                const key = next.toString();
                if (seen.has(key) && key !== uri.toString()) {
                    continue;
                }
                seen.add(key);
                const root = this.documents.getDocument(next)?.parseResult.value;
                if (!root || !isDocument(root)) {
                    continue;
                }
                for (const imp of (root as Document).imports) {
                    const target = resolveImport(next, imp.path);
                    if (target && !seen.has(target.toString())) {
                        queue.push(target);
                    }
                }
            }
            return seen;
        });
    }
}
