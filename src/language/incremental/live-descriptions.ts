/**
 * Langium's node descriptions (what scopes, the index and the linker hand around), with
 * their places read from the node when asked instead of copied when made: a description
 * then stays true while its node is kept and only moves (incremental/reparse.ts moves the
 * blocks after an edit), so the local symbols of an untouched block can be kept from one
 * build to the next (block-symbols.ts). The values are Langium's: the name node's segment,
 * else the node's, and the node's segment. The node's path too is read when asked: it moves
 * with the node.
 */
import { AstUtils, CstUtils, type AstNode, type AstNodeDescription, type AstNodeLocator, type DocumentSegment, type LangiumCoreServices,
    type LangiumDocument, type NameProvider, type URI } from 'langium';
import type { AstNodeDescriptionProvider } from 'langium';

export class LiveAstNodeDescriptionProvider implements AstNodeDescriptionProvider {
    protected readonly astNodeLocator: AstNodeLocator;
    protected readonly nameProvider: NameProvider;

    constructor(services: LangiumCoreServices) {
        this.astNodeLocator = services.workspace.AstNodeLocator;
        this.nameProvider = services.references.NameProvider;
    }

    createDescription(node: AstNode, name: string | undefined, document?: LangiumDocument): AstNodeDescription {
        const doc = document ?? AstUtils.getDocument(node);
        name ??= this.nameProvider.getName(node);
        if (!name) {
            throw new Error(`Node at path ${this.astNodeLocator.getAstNodePath(node)} has no name.`);
        }
        return new LiveDescription(this, node, name, doc.uri);
    }

    /** The node's path in its document, as Langium's locator gives it. */
    pathOf(node: AstNode): string {
        return this.astNodeLocator.getAstNodePath(node);
    }

    /** The name node's segment, else the node's. */
    nameSegmentOf(node: AstNode): DocumentSegment | undefined {
        return CstUtils.toDocumentSegment(this.nameProvider.getNameNode(node) ?? node.$cstNode);
    }
}

/**
 * One description: four fields and getters on the prototype (an object literal with getter
 * closures per description costs ~450 bytes, and a 10,000-step file has one a step).
 */
class LiveDescription implements AstNodeDescription {
    readonly type: string;

    constructor(
        private readonly provider: LiveAstNodeDescriptionProvider,
        readonly node: AstNode,
        readonly name: string,
        readonly documentUri: URI,
    ) {
        this.type = node.$type;
    }

    get path(): string {
        return this.provider.pathOf(this.node);
    }

    get nameSegment(): DocumentSegment | undefined {
        return this.provider.nameSegmentOf(this.node);
    }

    get selectionSegment(): DocumentSegment | undefined {
        return CstUtils.toDocumentSegment(this.node.$cstNode);
    }
}
