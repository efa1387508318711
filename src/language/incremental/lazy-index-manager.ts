/**
 * Langium's index manager, with each document's reference descriptions (who refers to
 * what, for find references, rename, and relinking the documents a change affects) made
 * when first asked for instead of on every build. A keystroke in a big file otherwise
 * describes every reference of the file again, which nothing reads while typing.
 *
 * The descriptions are exactly Langium's (DefaultReferenceDescriptionProvider's, of the
 * linked document): a document waits here from its reference-indexing phase until it is
 * asked for, and leaves when it is unlinked (the builder removes its references first,
 * before anything re-parses or re-links it), so what is described is what was linked.
 */
import {
    AstUtils, DefaultIndexManager, type AstNode, type LangiumDocument, type LangiumSharedCoreServices, type ReferenceDescription,
    type ReferenceInfo, type Stream, type URI,
} from 'langium';
import type { CancellationToken } from 'vscode-languageserver';

/** DefaultReferenceDescriptionProvider's description of one reference (protected there). */
interface Describer {
    createInfoDescriptions(refInfo: ReferenceInfo): ReferenceDescription[];
}

export class LazyReferenceIndexManager extends DefaultIndexManager {
    /** Linked documents whose references are not described yet, by URI. */
    protected readonly undescribed = new Map<string, LangiumDocument>();

    constructor(services: LangiumSharedCoreServices) {
        super(services);
    }

    override updateReferences(document: LangiumDocument, _cancelToken?: CancellationToken): Promise<void> {
        const uri = document.uri.toString();
        this.referenceIndex.delete(uri);
        this.undescribed.set(uri, document);
        return Promise.resolve();
    }

    override removeReferences(uri: URI): void {
        this.undescribed.delete(uri.toString());
        super.removeReferences(uri);
    }

    override findAllReferences(targetNode: AstNode, astNodePath: string): Stream<ReferenceDescription> {
        for (const uri of [...this.undescribed.keys()]) {
            this.describe(uri);
        }
        return super.findAllReferences(targetNode, astNodePath);
    }

    override isAffected(document: LangiumDocument, changedUris: Set<string>): boolean {
        this.describe(document.uri.toString());
        return super.isAffected(document, changedUris);
    }

    /** What DefaultReferenceDescriptionProvider.createDescriptions makes, made now. */
    protected describe(uri: string): void {
        const document = this.undescribed.get(uri);
        if (!document) {
            return;
        }
        this.undescribed.delete(uri);
        const provider = this.serviceRegistry.getServices(document.uri).workspace.ReferenceDescriptionProvider as unknown as Describer;
        const descriptions: ReferenceDescription[] = [];
        for (const node of AstUtils.streamAst(document.parseResult.value)) {
            AstUtils.streamReferences(node).forEach((refInfo) => {
                if (!refInfo.reference.error) {
                    descriptions.push(...provider.createInfoDescriptions(refInfo));
                }
            });
        }
        this.referenceIndex.set(uri, descriptions);
    }
}
