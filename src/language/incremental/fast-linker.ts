/**
 * Langium's linker, walking the AST without a stream and an `await` per node (a 10,000-line
 * file has tens of thousands of nodes, and links on every keystroke), each top-level
 * node's references found once (fast-traversal.ts): the same references linked in the
 * same order, the build still interruptible and cancellable every few hundred references.
 *
 * And what a reference resolved to is kept when the document is unlinked for a rebuild:
 * in a workflow or a tool declaration the same node as before (its subtree never changes,
 * reparse.ts), in the same context (block-context.ts: its references read nothing else),
 * it resolves to the same target, so that resolution is restored instead of looked up, in
 * the same turn and order. Unless the target went with a block an edit replaced: then it
 * is looked up. Test blocks name workflows, which the context leaves out: theirs are
 * always looked up.
 */
import {
    AstUtils, Cancellation, DefaultLinker, interruptAndCheck, isAstNode, type AstNode, type AstNodeDescription, type CstNode, type LangiumCoreServices,
    type LangiumDocument, type Reference, type ReferenceInfo,
} from 'langium';
import { LeanReference, type ReferenceResolver } from '../lean-reference.js';
import { forEachReference, infoOf, referencesUnder, topLevelNodes } from './fast-traversal.js';
import { blockContext, sameContext } from './block-context.js';

/** How many nodes are linked between two checks for cancellation (and a yield, every 10 ms). */
export const NODES_PER_CHECK = 256;

/** The blocks whose references resolve within the block or to the context: tool declarations only. */
const KEPT_BLOCKS = new Set(['Workflow', 'ToolDecl', 'Server', 'Import']);

/** A reference as Langium's linker fills it in. */
interface Linkable {
    _ref?: unknown;
    _nodeDescription?: AstNodeDescription;
}

interface Resolution {
    target: unknown;
    description?: AstNodeDescription;
}

export class KmflowLinker extends DefaultLinker {
    protected readonly services: LangiumCoreServices;
    /** Each document's resolutions when it was last unlinked. */
    protected readonly unlinked = new WeakMap<LangiumDocument, Map<object, Resolution>>();
    /** Each document's context when it was last linked. */
    protected readonly linkedIn = new WeakMap<LangiumDocument, readonly unknown[]>();

    /** What each reference asks of this linker. */
    protected readonly resolver: ReferenceResolver = {
        loadAstNode: (description) => this.loadAstNode(description),
        createLinkingError: (info, description) => this.createLinkingError(info, description),
        getLinkedNode: (info) => this.getLinkedNode(info),
        throwCyclicReferenceError: (node, property, refText) => this.throwCyclicReferenceError(node, property, refText),
    };

    constructor(services: LangiumCoreServices) {
        super(services);
        this.services = services;
    }

    override buildReference(node: AstNode, property: string, refNode: CstNode | undefined, refText: string): Reference {
        return new LeanReference(this.resolver, node, property, refNode, refText);
    }

    override unlink(document: LangiumDocument): void {
        const resolutions = new Map<object, Resolution>();
        const others: LangiumDocument['references'] = [];
        for (const ref of document.references) {
            const linkable = ref as unknown as Linkable;
            if ('_ref' in ref && linkable._ref !== undefined) {
                resolutions.set(ref, { target: linkable._ref, description: linkable._nodeDescription });
            }
            if (ref instanceof LeanReference) {
                ref.unlink();
            } else {
                others.push(ref);
            }
        }
        this.unlinked.set(document, resolutions);
        // Langium's unlink for any other kind of reference.
        document.references = others;
        super.unlink(document);
    }

    override async link(document: LangiumDocument, cancelToken: Cancellation.CancellationToken = Cancellation.CancellationToken.None): Promise<void> {
        if (this.profiler?.isActive('linking')) {
            return super.link(document, cancelToken);
        }
        const context = blockContext(this.services, document);
        const previous = sameContext(this.linkedIn.get(document), context) ? this.unlinked.get(document) : undefined;
        this.linkedIn.set(document, context);
        this.unlinked.delete(document);
        const root = document.parseResult.value;
        await interruptAndCheck(cancelToken);
        forEachReference(root, (ref) => this.doLink(ref, document));
        let linked = 0;
        for (const top of topLevelNodes(root)) {
            const kept = previous && KEPT_BLOCKS.has(top.$type) ? previous : undefined;
            const refs = referencesUnder(top);
            for (let i = 0; i < refs.length; i++) {
                if (++linked % NODES_PER_CHECK === 0) {
                    await interruptAndCheck(cancelToken);
                }
                const ref = infoOf(refs[i]!);
                if (!kept || !this.restore(ref, kept.get(ref.reference), document)) {
                    this.doLink(ref, document);
                }
            }
        }
    }

    /** Puts back what `ref` resolved to, as doLink would have found it; false when it must be looked up. */
    protected restore(info: ReferenceInfo, resolution: Resolution | undefined, document: LangiumDocument): boolean {
        const ref = info.reference as unknown as Linkable;
        if (!resolution || !('_ref' in ref) || ref._ref !== undefined || (isAstNode(resolution.target) && !isCurrent(resolution.target))) {
            return false;
        }
        ref._ref = resolution.target;
        if (resolution.description) {
            ref._nodeDescription = resolution.description;
        }
        document.references.push(info.reference);
        return true;
    }
}

/** Whether `node` is still in its document's tree: its top-level block is where its document's lists have it. */
function isCurrent(node: AstNode): boolean {
    let top = node;
    while (top.$container?.$container) {
        top = top.$container;
    }
    const root = top.$container;
    if (!root) {
        return AstUtils.findRootNode(node).$document?.parseResult.value === top;
    }
    const list = (root as unknown as Record<string, unknown>)[top.$containerProperty!];
    const inPlace = Array.isArray(list) ? list[top.$containerIndex!] === top : list === top;
    return inPlace && root.$document?.parseResult.value === root;
}
