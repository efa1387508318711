/**
 * The concrete syntax tree surgery an incremental re-parse needs: a run of top-level
 * nodes replaced by freshly parsed ones, every node after them moved to its new place, the
 * root given the new text. This is the one file that touches the CST's internals (the
 * fields of lean-cst.ts's nodes, and of Langium's `RootCstNodeImpl` in 4.2.1, whose version
 * package.json pins); the property test (test/language/incremental-parse.test.ts)
 * holds the result to a full parse of the same text.
 */
import type { CstNode, RootCstNode } from 'langium';

interface LeafInternals {
    /** A lean leaf's (lean-cst.ts): its end and range follow from it. */
    startOffset: number;
}

interface CompositeInternals {
    content: CstNode[];
}

/** How the text after an edited region moved: by `offset` characters (lines follow from the root's new text). */
export interface Shift {
    offset: number;
}

function isComposite(node: CstNode): node is CstNode & CompositeInternals {
    return Array.isArray((node as unknown as CompositeInternals).content);
}

/** Moves every leaf under `node` (all of them after the edited region) by `shift`. */
export function shiftNode(node: CstNode, shift: Shift): void {
    if (isComposite(node)) {
        for (const child of node.content) {
            shiftNode(child, shift);
        }
        return;
    }
    (node as unknown as LeafInternals).startOffset += shift.offset;
}

/**
 * Puts `fresh` (the top-level nodes parsed from `text` under a root of their own) in the
 * place of the root's children `from` to `to` (inclusive), moves the children after them
 * by `shift`, and gives `root` the new text.
 */
export function spliceTopLevel(root: RootCstNode, from: number, to: number, fresh: readonly CstNode[], text: string, shift: Shift): void {
    const content = (root as unknown as CompositeInternals).content;
    // Lean nodes (lean-cst.ts) find their root by walking up. CstNodeContainer.splice makes `root` the container of each fresh node.
    content.splice(from, to - from + 1, ...fresh);
    for (let i = from + fresh.length; i < content.length; i++) {
        shiftNode(content[i]!, shift);
    }
    (root as unknown as { _text: string })._text = text;
    (root as unknown as { _rangeCache?: unknown })._rangeCache = undefined;
}

/** The root's direct children (the top-level nodes and the comments between them). */
export function topLevelChildren(root: CstNode): readonly CstNode[] {
    return (root as unknown as CompositeInternals).content;
}
