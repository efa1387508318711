/**
 * Langium's linker, walking the AST without a stream and an `await` per node (a 10,000-line
 * file has tens of thousands of nodes, and links on every keystroke), each top-level
 * node's references found once (fast-traversal.ts): the same references linked in the
 * same order, the build still interruptible and cancellable every few hundred references.
 */
import { Cancellation, DefaultLinker, interruptAndCheck, type LangiumCoreServices, type LangiumDocument } from 'langium';
import { forEachReference, referencesUnder, topLevelNodes } from './fast-traversal.js';

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
        const root = document.parseResult.value;
        await interruptAndCheck(cancelToken);
        forEachReference(root, (ref) => this.doLink(ref, document));
        let linked = 0;
        for (const top of topLevelNodes(root)) {
            for (const ref of referencesUnder(top)) {
                if (++linked % NODES_PER_CHECK === 0) {
                    await interruptAndCheck(cancelToken);
                }
                this.doLink(ref, document);
            }
        }
    }
}
