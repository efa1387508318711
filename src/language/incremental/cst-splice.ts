/**
 * The concrete syntax tree surgery an incremental re-parse needs: a run of top-level
 * nodes replaced by freshly parsed ones, every node after them moved to its new place, the
 * root given the new text. This is the one file that touches the CST's internals (the
 * fields of lean-cst.ts's nodes, and of Langium's `LeafCstNodeImpl` and `RootCstNodeImpl`
 * in 4.2.1, whose version package.json pins); the property test (test/language/incremental-parse.test.ts)
 * holds the result to a full parse of the same text.
 */
import { CstUtils, type CstNode, type RootCstNode } from 'langium';
import type { Range } from 'vscode-languageserver-types';

interface LeafInternals {
    _offset: number;
    /** Absent on lean leaves (lean-cst.ts), whose range follows from the offset. */
    _range?: Range;
}

interface CompositeInternals {
    content: CstNode[];
    _rangeCache?: Range;
}

/** How the text after an edited region moved: by `offset` characters, and from line `fromLine` on by `lines` lines. */
export interface Shift {
    offset: number;
    /** The last line of the region before the edit (0-based): positions on it also move by `characters`. */
    fromLine: number;
    lines: number;
    characters: number;
}

function isComposite(node: CstNode): node is CstNode & CompositeInternals {
    return Array.isArray((node as unknown as CompositeInternals).content);
}

/** The position `p` of the text after the region, where it is now. */
function moved(p: Range['start'], shift: Shift): Range['start'] {
    if (p.line > shift.fromLine) {
        return { line: p.line + shift.lines, character: p.character };
    }
    return { line: p.line + shift.lines, character: p.character + shift.characters };
}

/** Moves every leaf under `node` (all of them after the edited region) by `shift`. */
export function shiftNode(node: CstNode, shift: Shift): void {
    if (isComposite(node)) {
        if (node._rangeCache !== undefined) {
            node._rangeCache = undefined;
        }
        for (const child of node.content) {
            shiftNode(child, shift);
        }
        return;
    }
    const leaf = node as unknown as LeafInternals;
    leaf._offset += shift.offset;
    if (leaf._range && (shift.lines !== 0 || leaf._range.start.line === shift.fromLine || leaf._range.end.line === shift.fromLine)) {
        leaf._range = { start: moved(leaf._range.start, shift), end: moved(leaf._range.end, shift) };
    }
}

/**
 * Puts `fresh` (the top-level nodes parsed from `text` under a root of their own) in the
 * place of the root's children `from` to `to` (inclusive), moves the children after them
 * by `shift`, and gives `root` the new text.
 */
export function spliceTopLevel(root: RootCstNode, from: number, to: number, fresh: readonly CstNode[], text: string, shift: Shift): void {
    const content = (root as unknown as CompositeInternals).content;
    // Lean nodes (lean-cst.ts) find their root by walking up; comment leaves keep theirs.
    for (const top of fresh) {
        for (const node of CstUtils.streamCst(top)) {
            if (Object.hasOwn(node, 'root')) {
                (node as { root: RootCstNode }).root = root;
            }
        }
    }
    // CstNodeContainer.splice makes `root` the container of each fresh node.
    content.splice(from, to - from + 1, ...fresh);
    for (let i = from + fresh.length; i < content.length; i++) {
        shiftNode(content[i]!, shift);
    }
    (root as unknown as { _text: string })._text = text;
    (root as unknown as CompositeInternals)._rangeCache = undefined;
}

/** The root's direct children (the top-level nodes and the comments between them). */
export function topLevelChildren(root: CstNode): readonly CstNode[] {
    return (root as unknown as CompositeInternals).content;
}
