/**
 * The local symbols each top-level block adds (Langium's scope computation, node by node
 * in walk order), kept from one build to the next while the block is the same node at the
 * same place in the document's lists: its subtree never changes (reparse.ts replaces whole
 * blocks), the descriptions read their places live (live-descriptions.ts, the language
 * server's), and a description's path is the block's list and index, then its own within
 * the block. A block that moved to another index is described again, and so is one that
 * moved at all when the descriptions copied their places when made (Langium's).
 */
import type { AstNode, AstNodeDescription, LangiumDocument } from 'langium';

interface Kept {
    uri: string;
    offset?: number;
    property?: string;
    index?: number;
    symbols: Array<[AstNode, AstNodeDescription]>;
}

export class BlockSymbols {
    protected readonly kept = new WeakMap<AstNode, Kept>();

    /** `live`: the descriptions read their places when asked (else a block must not have moved either). */
    constructor(protected readonly live: boolean) {}

    /** What `describe` adds for `block`, added again when the block is where it was; else `describe` runs and is remembered. */
    add(block: AstNode, document: LangiumDocument, add: (container: AstNode, description: AstNodeDescription) => void,
        describe: (add: (container: AstNode, description: AstNodeDescription) => void) => void): void {
        const uri = document.uri.toString();
        const known = this.kept.get(block);
        const offset = block.$cstNode?.offset;
        if (known && known.uri === uri && known.property === block.$containerProperty && known.index === block.$containerIndex
            && (this.live || known.offset === offset)) {
            for (const [container, description] of known.symbols) {
                add(container, description);
            }
            return;
        }
        const symbols: Array<[AstNode, AstNodeDescription]> = [];
        describe((container, description) => {
            symbols.push([container, description]);
            add(container, description);
        });
        this.kept.set(block, { uri, offset, property: block.$containerProperty, index: block.$containerIndex, symbols });
    }
}
