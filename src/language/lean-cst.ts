/**
 * Leaves of the concrete syntax tree that work out their range when asked. Langium's
 * builder gives every token's leaf a range object (three objects a token, most of them
 * never read: a range is wanted for a diagnostic, a hover, a rename). Here a leaf keeps its
 * offset and length, and its range comes from the root's line starts, made once a text.
 * A 10,000-step file has 180,000 leaves: this is half a million objects fewer to make,
 * keep and collect.
 *
 * The incremental re-parse moves leaves by their offset alone (cst-splice.ts), and the
 * root's new text brings new line starts.
 */
import { LeafCstNodeImpl, type CstNode, type RootCstNode } from 'langium';
import type { Position, Range } from 'vscode-languageserver-types';
import type { TokenType } from 'chevrotain';

interface TokenLike {
    startOffset: number;
    image: string;
    tokenType: TokenType;
}

interface LineStarts {
    text: string;
    starts: number[];
}

const cachedLineStarts = new WeakMap<RootCstNode, LineStarts>();

/** Where each line of `text` starts; a line ends at `\n`, `\r\n` or a lone `\r`, as the lexer counts them. */
export function lineStarts(text: string): number[] {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 13 /* \r */) {
            if (text.charCodeAt(i + 1) === 10) {
                i++;
            }
            starts.push(i + 1);
        } else if (c === 10 /* \n */) {
            starts.push(i + 1);
        }
    }
    return starts;
}

/** Where each line of the root's text starts, made once a text. */
export function lineStartsOf(root: RootCstNode): number[] {
    const text = root.fullText;
    let cached = cachedLineStarts.get(root);
    if (cached?.text !== text) {
        cached = { text, starts: lineStarts(text) };
        cachedLineStarts.set(root, cached);
    }
    return cached.starts;
}

/** The position of `offset` given the line starts. */
export function positionIn(starts: readonly number[], offset: number): Position {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (starts[mid]! <= offset) {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    return { line: low, character: offset - starts[low]! };
}

/** A leaf whose range is worked out from its offset and length when asked. */
export class LeanLeafCstNode extends LeafCstNodeImpl {
    constructor(offset: number, length: number, tokenType: TokenType, hidden: boolean) {
        super(offset, length, undefined as unknown as Range, tokenType, hidden);
    }

    override get range(): Range {
        const starts = lineStartsOf(this.root);
        return { start: positionIn(starts, this.offset), end: positionIn(starts, this.end) };
    }
}

interface NodeBuilder {
    rootNode: RootCstNode;
    current: { content: CstNode[] };
    buildLeafNode(token: TokenLike, feature: unknown): CstNode;
}

/** The parser, building lean leaves (its hidden ones, comments, keep Langium's). */
export function withLeanLeaves<P extends object>(parser: P): P {
    const builder = (parser as unknown as { nodeBuilder?: NodeBuilder }).nodeBuilder;
    if (builder && typeof builder.buildLeafNode === 'function') {
        builder.buildLeafNode = function (this: NodeBuilder, token, feature) {
            const leaf = new LeanLeafCstNode(token.startOffset, token.image.length, token.tokenType, !feature);
            leaf.grammarSource = feature as CstNode['grammarSource'];
            leaf.root = this.rootNode;
            this.current.content.push(leaf);
            return leaf;
        };
    }
    return parser;
}
