/**
 * Import-aware scoping: a document sees its own declarations, the `std` catalog, and what
 * it imports (transitively), not every file of the workspace. Inside a `test` block, the
 * steps of the tested workflow are in scope too (`given STEP`, `expect STEP.status`),
 * wherever that workflow is declared.
 */
import {
    AstUtils, DefaultScopeProvider, MultiMapScope, WorkspaceCache, stream,
    type AstNode, type AstNodeDescription, type LangiumCoreServices, type LangiumDocuments, type LocalSymbols,
    type ReferenceInfo, type Scope, type Stream, type URI,
} from 'langium';
import { isDocument, isTestDecl, Step, type Document, type TestDecl } from './generated/ast.js';
import { STD_CATALOG_URI, resolveImport } from './catalogs.js';
import { parseOf } from './parse-cache.js';

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

    /**
     * Langium's scope chain (innermost container first, then the global scope) with each
     * container's symbols of the reference type indexed by name once per scope computation,
     * instead of a filtered scan of them per reference. First declaration of a name wins,
     * as in Langium's StreamScope.
     */
    override getScope(context: ReferenceInfo): Scope {
        const referenceType = this.reflection.getReferenceType(context);
        const localSymbols = AstUtils.getDocument(context.container).localSymbols;
        let result = this.getGlobalScope(referenceType, context);
        const test = context.property === 'workflow' ? undefined : AstUtils.getContainerOfType(context.container, isTestDecl);
        if (test && this.reflection.isSubtype(Step.$type, referenceType)) {
            result = new IndexedScope(this.testedSteps(test), result);
        }
        if (!localSymbols) {
            return result;
        }
        const chain: AstNode[] = [];
        for (let node: AstNode | undefined = context.container; node; node = node.$container) {
            if (localSymbols.has(node)) {
                chain.push(node);
            }
        }
        for (let i = chain.length - 1; i >= 0; i--) {
            result = new IndexedScope(this.localIndex(localSymbols, chain[i], referenceType), result);
        }
        return result;
    }

    /** Per test, tested workflow and parse (the descriptions hold places, which move when an edit above re-parses a block: parse-cache.ts). */
    protected readonly testIndexes = new WeakMap<TestDecl, { workflow: unknown; parse: object; index: LocalIndex }>();

    /** The steps of the workflow a test names (none while it names no workflow). */
    protected testedSteps(test: TestDecl): LocalIndex {
        const workflow = test.workflow?.ref;
        const parse = parseOf(test);
        const known = this.testIndexes.get(test);
        if (known && known.workflow === workflow && known.parse === parse) {
            return known.index;
        }
        const elements: AstNodeDescription[] = [];
        const byName = new Map<string, AstNodeDescription[]>();
        if (workflow) {
            const document = AstUtils.getDocument(workflow);
            for (const step of workflow.steps) {
                if (step.name && !byName.has(step.name)) {
                    const description = this.descriptions.createDescription(step, step.name, document);
                    elements.push(description);
                    byName.set(step.name, [description]);
                }
            }
        }
        const index = { elements, byName };
        this.testIndexes.set(test, { workflow, parse, index });
        return index;
    }

    protected readonly localIndexes = new WeakMap<LocalSymbols, Map<AstNode, Map<string, LocalIndex>>>();

    protected localIndex(localSymbols: LocalSymbols, container: AstNode, referenceType: string): LocalIndex {
        let byContainer = this.localIndexes.get(localSymbols);
        if (!byContainer) {
            byContainer = new Map();
            this.localIndexes.set(localSymbols, byContainer);
        }
        let byType = byContainer.get(container);
        if (!byType) {
            byType = new Map();
            byContainer.set(container, byType);
        }
        let index = byType.get(referenceType);
        if (!index) {
            const elements = localSymbols.getStream(container)
                .filter((desc) => this.reflection.isSubtype(desc.type, referenceType)).toArray();
            const byName = new Map<string, AstNodeDescription[]>();
            for (const element of elements) {
                const list = byName.get(element.name);
                if (list) {
                    list.push(element);
                } else {
                    byName.set(element.name, [element]);
                }
            }
            index = { elements, byName };
            byType.set(referenceType, index);
        }
        return index;
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

interface LocalIndex {
    elements: AstNodeDescription[];
    byName: Map<string, AstNodeDescription[]>;
}

/** A StreamScope over indexed elements: same answers, a map look-up instead of a scan. */
class IndexedScope implements Scope {
    constructor(private readonly index: LocalIndex, private readonly outerScope: Scope) {}

    getElement(name: string): AstNodeDescription | undefined {
        return this.index.byName.get(name)?.[0] ?? this.outerScope.getElement(name);
    }

    getElements(name: string): Stream<AstNodeDescription> {
        return stream(this.index.byName.get(name) ?? []).concat(this.outerScope.getElements(name));
    }

    getAllElements(): Stream<AstNodeDescription> {
        return stream(this.index.elements).concat(this.outerScope.getAllElements());
    }
}
