/**
 * Import-aware scoping: a document sees its own declarations, the `std` catalog, and what
 * it imports (transitively), not every file of the workspace. Inside a `test` block, the
 * steps of the tested workflow are in scope too (`given STEP`, `expect STEP.status`),
 * wherever that workflow is declared.
 */
import {
    AstUtils, DefaultScopeProvider, MultiMapScope, WorkspaceCache, stream,
    type AstNode, type AstNodeDescription, type LangiumCoreServices, type LangiumDocument, type LangiumDocuments, type LocalSymbols,
    type ReferenceInfo, type Scope, type Stream, type URI,
} from 'langium';
import { isDocument, Step, TestDecl, type Document } from './generated/ast.js';
import { STD_CATALOG_URI, resolveImport } from './catalogs.js';
import { parseOf } from './parse-cache.js';

export class KmflowScopeProvider extends DefaultScopeProvider {
    protected readonly documents: LangiumDocuments;
    protected readonly visibleCache: WorkspaceCache<string, Set<string>>;
    protected readonly scopeCache: WorkspaceCache<LangiumDocument, Map<string, Scope>>;

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
     * as in Langium's StreamScope. A container's scope over the same outer scope is one
     * object (scopeOver), and a container without symbols of the type adds none, so the
     * references of a workflow's steps share their scopes instead of a chain each.
     */
    override getScope(context: ReferenceInfo): Scope {
        const referenceType = this.reflection.getReferenceType(context);
        const container = context.container;
        const document = AstUtils.getDocument(container);
        const global = this.globalScope(document, referenceType);
        const localSymbols = document.localSymbols;
        const ofWorkflow = context.property === 'workflow';
        // A container with no symbols of its own, not a test block, adds nothing to its
        // parent's chain: the steps of a workflow share it, as the `after`s of a step do.
        const parent = container.$container;
        const shared = parent !== undefined && container.$type !== TestDecl.$type && !localSymbols?.has(container);
        if (shared) {
            for (const m of this.parentScopes) {
                if (m.parent === parent && m.referenceType === referenceType && m.ofWorkflow === ofWorkflow
                    && m.localSymbols === localSymbols && m.global === global) {
                    return m.scope;
                }
            }
        }
        let result = global;
        const test = ofWorkflow ? undefined : testAround(container);
        if (test && this.reflection.isSubtype(Step.$type, referenceType)) {
            result = scopeOver(this.testedSteps(test), result);
        }
        const scope = localSymbols ? this.localScope(localSymbols, container, referenceType, result) : result;
        if (shared) {
            // The last few parents (references alternate between types: a step's tool, then its `after`s).
            this.parentScopes.unshift({ parent, referenceType, ofWorkflow, localSymbols, global, scope });
            this.parentScopes.length = Math.min(this.parentScopes.length, PARENT_SCOPES);
        }
        return scope;
    }

    /**
     * The scopes last found for references in containers without symbols, by the parent
     * they share them with: valid while the document's symbols and the outer scope are the
     * same objects (a new scope computation or workspace change makes new ones). The
     * next references linked replace them, so an old tree is not held for long.
     */
    protected parentScopes: ParentScope[] = [];

    /** The scope of `node`'s symbols and its containers' (outermost last in the chain), over `outer`. */
    protected localScope(localSymbols: LocalSymbols, node: AstNode, referenceType: string, outer: Scope): Scope {
        const around = node.$container ? this.localScope(localSymbols, node.$container, referenceType, outer) : outer;
        return localSymbols.has(node) ? scopeOver(this.localIndex(localSymbols, node, referenceType), around) : around;
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
        return this.globalScope(AstUtils.getDocument(context.container), referenceType);
    }

    /** What `document` sees of `referenceType` outside its own blocks, per document and type, built once per workspace change. */
    protected globalScope(document: LangiumDocument, referenceType: string): Scope {
        const byType = this.scopeCache.get(document, () => new Map<string, Scope>());
        let scope = byType.get(referenceType);
        if (!scope) {
            scope = new MultiMapScope(this.indexManager.allElements(referenceType, this.visibleUris(document.uri)));
            byType.set(referenceType, scope);
        }
        return scope;
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

/** How many parents' scopes are kept (parentScopes). */
const PARENT_SCOPES = 4;

interface ParentScope {
    parent: AstNode;
    referenceType: string;
    ofWorkflow: boolean;
    localSymbols: LocalSymbols | undefined;
    global: Scope;
    scope: Scope;
}

interface LocalIndex {
    elements: AstNodeDescription[];
    byName: Map<string, AstNodeDescription[]>;
    /** The scope of these elements over `scopeOuter` (scopeOver): references in one container share it. */
    scope?: Scope;
    scopeOuter?: Scope;
}

/** The elements of `index` in front of `outer`: `outer` itself when there are none, else one scope object per index and outer scope. */
function scopeOver(index: LocalIndex, outer: Scope): Scope {
    if (index.elements.length === 0) {
        return outer;
    }
    if (index.scopeOuter !== outer || !index.scope) {
        index.scope = new IndexedScope(index, outer);
        index.scopeOuter = outer;
    }
    return index.scope;
}

/** The test block `node` is in (or is), found by type name: TestDecl has no subtypes, and this runs once per reference. */
function testAround(node: AstNode): TestDecl | undefined {
    for (let at: AstNode | undefined = node; at; at = at.$container) {
        if (at.$type === TestDecl.$type) {
            return at as TestDecl;
        }
    }
    return undefined;
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
