/**
 * Langium's linker, walking the AST without a stream and an `await` per node (a 10,000-line
 * file has tens of thousands of nodes, and links on every keystroke): the same references
 * linked in the same order (fast-traversal.ts), the build still interruptible and
 * cancellable every few hundred nodes.
 */
import { Cancellation, DefaultLinker, interruptAndCheck, type LangiumCoreServices, type LangiumDocument } from 'langium';
import { allNodes, forEachReference } from './fast-traversal.js';

/** How many nodes are linked between two checks for cancellation (and a yield, every 10 ms). */
export const NODES_PER_CHECK = 256;

export class KmflowLinker extends DefaultLinker {
    constructor(services: LangiumCoreServices) {
        super(services);
    }

    override async link(document: LangiumDocument, cancelToken: Cancellation.CancellationToken = Cancellation.CancellationToken.None): Promise<void> {
        if (this.profiler?.isActive('linking')) {
            return super.link(document, cancelToken);
        }
        const nodes = allNodes(document.parseResult.value, true);
        for (let i = 0; i < nodes.length; i++) {
            if (i % NODES_PER_CHECK === 0) {
                await interruptAndCheck(cancelToken);
            }
            forEachReference(nodes[i]!, (ref) => this.doLink(ref, document));
        }
    }
}
