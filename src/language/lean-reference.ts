/**
 * A cross-reference as one small object of one shape. Langium's linker builds each
 * reference as an object literal with three getters (three closures and their context a
 * reference) and fills in `_nodeDescription` later, which leaves the objects in V8's slow
 * dictionary mode: ~700 bytes a reference, and a 10,000-step file has 40,000 of them.
 * This class behaves as Langium 4.2.1's `DefaultLinker.buildReference` does (lazy
 * resolution on `ref`, a cycle reported as Langium reports it, `error` and
 * `$nodeDescription`), with its state in fields declared up front.
 */
import {
    AstUtils, DocumentState, isAstNode, isAstNodeDescription, isLinkingError, type AstNode, type AstNodeDescription,
    type CstNode, type LinkingError, type Reference, type ReferenceInfo,
} from 'langium';

/** What a lean reference asks of its linker (public faces of DefaultLinker's protected methods). */
export interface ReferenceResolver {
    loadAstNode(description: AstNodeDescription): AstNode | undefined;
    createLinkingError(info: ReferenceInfo, description?: AstNodeDescription): LinkingError;
    getLinkedNode(info: ReferenceInfo): { node?: AstNode; descr?: AstNodeDescription; error?: LinkingError };
    throwCyclicReferenceError(node: AstNode, property: string, refText: string): never;
}

/** Marks a reference being resolved through its `ref` (the linker's own marker is a symbol too). */
const RESOLVING = Symbol('resolving');

export class LeanReference implements Reference {
    _ref: AstNode | LinkingError | symbol | undefined = undefined;
    _nodeDescription: AstNodeDescription | undefined = undefined;

    constructor(
        private readonly resolver: ReferenceResolver,
        private readonly container: AstNode,
        private readonly property: string,
        readonly $refNode: CstNode | undefined,
        readonly $refText: string,
    ) {}

    get ref(): AstNode | undefined {
        const current = this._ref;
        if (isAstNode(current)) {
            return current;
        }
        if (isAstNodeDescription(this._nodeDescription)) {
            // A candidate was found before, but not loaded.
            const linked = this.resolver.loadAstNode(this._nodeDescription);
            this._ref = linked ?? this.resolver.createLinkingError(this.info(), this._nodeDescription);
        } else if (current === undefined) {
            this._ref = RESOLVING;
            const document = AstUtils.findRootNode(this.container).$document;
            const found = this.resolver.getLinkedNode(this.info());
            if (found.error && document && document.state < DocumentState.ComputedScopes) {
                // The document's scopes are not ready: the linker tries again later.
                this._ref = undefined;
                return undefined;
            }
            this._ref = found.node ?? found.error;
            this._nodeDescription = found.descr;
            document?.references.push(this);
        } else if (typeof current === 'symbol') {
            this.resolver.throwCyclicReferenceError(this.container, this.property, this.$refText);
        }
        return isAstNode(this._ref) ? this._ref : undefined;
    }

    /** Forgets the resolution, as Langium's unlink does, without `delete` (which would make this a slow dictionary object). */
    unlink(): void {
        this._ref = undefined;
        this._nodeDescription = undefined;
    }

    get $nodeDescription(): AstNodeDescription | undefined {
        return this._nodeDescription;
    }

    get error(): LinkingError | undefined {
        return isLinkingError(this._ref) ? this._ref : undefined;
    }

    private info(): ReferenceInfo {
        return { reference: this, container: this.container, property: this.property };
    }

    /** Where it is, as Langium's streamReferences gives it: with its index when it is an item of a list. */
    placeInfo(): ReferenceInfo {
        const value = (this.container as unknown as Record<string, unknown>)[this.property];
        return Array.isArray(value)
            ? { reference: this, container: this.container, property: this.property, index: value.indexOf(this) }
            : this.info();
    }
}
