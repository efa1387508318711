/**
 * Langium's node descriptions (what scopes, the index and the linker hand around), with
 * their places read from the node when asked instead of copied when made: a description
 * then stays true while its node is kept and only moves (incremental/reparse.ts moves the
 * blocks after an edit), so the local symbols of an untouched block can be kept from one
 * build to the next (block-symbols.ts). The values are Langium's: the name node's segment,
 * else the node's, and the node's segment.
 */
import { AstUtils, CstUtils, type AstNode, type AstNodeDescription, type AstNodeLocator, type LangiumCoreServices,
    type LangiumDocument, type NameProvider } from 'langium';
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
        const path = this.astNodeLocator.getAstNodePath(node);
        if (!name) {
            throw new Error(`Node at path ${path} has no name.`);
        }
        const nameProvider = this.nameProvider;
        return {
            node,
            name,
            get nameSegment() {
                return CstUtils.toDocumentSegment(nameProvider.getNameNode(node) ?? node.$cstNode);
            },
            get selectionSegment() {
                return CstUtils.toDocumentSegment(node.$cstNode);
            },
            type: node.$type,
            documentUri: doc.uri,
            path,
        };
    }
}
