/**
 * A lean concrete syntax tree, built by lean-cst-builder.ts in place of Langium's classes
 * and read through the same interfaces (`LeafCstNode`, `CompositeCstNode`):
 * - a leaf is the lexer's token itself (lean-tokens.ts), with no lines or columns: its range
 *   comes from the root's line starts, made once a text (Langium gives every token three
 *   range objects, most never read, beside the token);
 * - a composite keeps its children in a plain array, not in an Array subclass of its own
 *   (one object fewer a node), sized to them once its rule is parsed, and works out its
 *   range from its first and last leaves;
 * - neither keeps its root: it is found by walking up, a few containers at most.
 * A 10,000-step file had 180,000 leaves and 130,000 composites (40,000 now: token-sets.ts,
 * cst-folding.ts): with the AST's arrays sized too (ast-shapes.ts), a 50,000-step check
 * keeps 303 MB live instead of 398, and every object not made is one the collector need
 * not copy.
 *
 * The incremental re-parse moves leaves by their offset alone (cst-splice.ts), and the
 * root's new text brings new line starts. (Tokens as leaves: a 50,000-step run's peak went
 * from 655 to 486 MB.)
 */
import type { AstNode, CompositeCstNode, CstNode, GrammarAST, LeafCstNode, RootCstNode } from 'langium';
import type { Position, Range } from 'vscode-languageserver-types';
import type { TokenType } from 'chevrotain';

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


/** The root above `node`: the one node with no container. */
export function rootOf(node: CstNode): RootCstNode {
    let current: CstNode = node;
    while (current.container) {
        current = current.container;
    }
    return current as RootCstNode;
}

/** The range from `start` to `end` (offsets) in the text of `node`'s root; never ending before it starts. */
function rangeIn(node: CstNode, start: number, end: number): Range {
    const starts = lineStartsOf(rootOf(node));
    const from = positionIn(starts, start);
    const to = positionIn(starts, end);
    return { start: from, end: to.line < from.line ? from : to };
}

/** The text of a node, cut from its root's. */
function textOf(node: CstNode): string {
    return rootOf(node).fullText.substring(node.offset, node.end);
}

/**
 * Token types by their index: Chevrotain numbers every token type once, process-wide
 * (`tokenTypeIdx`), so a leaf keeps only the number.
 */
const tokenTypesByIdx: TokenType[] = [];

/**
 * A token, and once the parser takes it, its leaf: the lexer makes these (lean-tokens.ts)
 * and the CST builder only sets their container and grammar element, so a file's tokens
 * are its leaves instead of living beside them until the parse ends (1,000,000 tokens of
 * 9 fields each, 195 MB, for a 50,000-step file). A token has no lines or columns: a
 * leaf's range is worked out from its offset when asked, and so are the places of the
 * few tokens errors name (lean-tokens.ts). A comment's leaf has no grammar element, which
 * makes it hidden, as in Langium's builder.
 */
export class LeanLeafCstNode implements LeafCstNode {
    readonly image: string;
    /** Moved by the incremental re-parse (cst-splice.ts, region-parse.ts). */
    startOffset: number;
    readonly tokenTypeIdx: number;
    container: CompositeCstNode;
    grammarSource: GrammarAST.AbstractElement | undefined;

    constructor(image: string, startOffset: number, tokenTypeIdx: number, tokenType: TokenType) {
        this.image = image;
        this.startOffset = startOffset;
        this.tokenTypeIdx = tokenTypeIdx;
        if (tokenTypesByIdx[tokenTypeIdx] !== tokenType) {
            tokenTypesByIdx[tokenTypeIdx] = tokenType;
        }
        // Set when the parser takes it (lean-cst-builder.ts); every leaf has both.
        this.container = undefined as unknown as CompositeCstNode;
        this.grammarSource = undefined;
    }

    /** Its type, by its index: a field of its own was 1.4 MB for a 10,000-step file. */
    get tokenType(): TokenType {
        return tokenTypesByIdx[this.tokenTypeIdx]!;
    }

    /** Chevrotain's: the offset of the last character. */
    get endOffset(): number {
        return this.startOffset + this.image.length - 1;
    }

    get offset(): number {
        return this.startOffset;
    }

    get length(): number {
        return this.image.length;
    }

    get end(): number {
        return this.startOffset + this.image.length;
    }

    get range(): Range {
        return rangeIn(this, this.startOffset, this.end);
    }

    get root(): RootCstNode {
        return rootOf(this);
    }

    get hidden(): boolean {
        return this.grammarSource === undefined;
    }

    get astNode(): AstNode {
        return this.container.astNode;
    }

    get text(): string {
        return this.image;
    }
}

/** A rule's node: its children in a plain array; its place is from its first to its last leaf. */
export class LeanCompositeCstNode implements CompositeCstNode {
    container: CompositeCstNode | undefined;
    readonly grammarSource: GrammarAST.AbstractElement;
    content: CstNode[];
    private _astNode: AstNode | undefined = undefined;

    /** `content`: an empty array its children are collected in until its rule is parsed. */
    constructor(container: CompositeCstNode, grammarSource: GrammarAST.AbstractElement, content: CstNode[] = []) {
        this.container = container;
        this.grammarSource = grammarSource;
        this.content = content;
    }

    /**
     * Done once its rule is parsed: its children in an array of their number (pushing grows
     * an array to at least 17 places, and most nodes have one to three children), each with
     * this node as its container (Langium's parser moves a node under the node of an
     * action, `{infer X.left=current}`, with a `push` of its own).
     */
    compact(): void {
        const content = this.content.slice();
        for (let i = 0; i < content.length; i++) {
            (content[i] as { container?: CompositeCstNode }).container = this;
        }
        this.content = content;
    }

    get astNode(): AstNode {
        const node = this.hasOwnAstNode ? this._astNode : this.container?.astNode;
        if (!node) {
            throw new Error('This node has no associated AST element');
        }
        return node;
    }

    /** Whether it has an AST node of its own (else it has its container's). */
    get hasOwnAstNode(): boolean {
        return typeof this._astNode?.$type === 'string';
    }

    /** Langium's parser sets it (and clears it when a node moves to another). */
    set astNode(value: AstNode | undefined) {
        this._astNode = value;
    }

    /** The first child that is not a comment (else the first child). */
    get firstNonHiddenNode(): CstNode | undefined {
        const content = this.content;
        for (let i = 0; i < content.length; i++) {
            if (!content[i]!.hidden) {
                return content[i];
            }
        }
        return content[0];
    }

    /** The last child that is not a comment (else the last child). */
    get lastNonHiddenNode(): CstNode | undefined {
        for (let i = this.content.length - 1; i >= 0; i--) {
            if (!this.content[i]!.hidden) {
                return this.content[i];
            }
        }
        return this.content[this.content.length - 1];
    }

    get offset(): number {
        return this.firstNonHiddenNode?.offset ?? 0;
    }

    get end(): number {
        return this.lastNonHiddenNode?.end ?? 0;
    }

    get length(): number {
        return this.end - this.offset;
    }

    /**
     * As Langium's: from the first leaf's start to the last one's end (never before the
     * start). Worked out from the offsets, one path down each side: asking the first and
     * the last child for their ranges would double the work at every level.
     */
    get range(): Range {
        if (this.content.length === 0) {
            return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        }
        return rangeIn(this, this.offset, this.end);
    }

    get root(): RootCstNode {
        return rootOf(this);
    }

    get hidden(): boolean {
        return false;
    }

    get text(): string {
        return textOf(this);
    }
}
