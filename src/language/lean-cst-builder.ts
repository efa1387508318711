/**
 * Langium's CST builder, building the lean tree of lean-cst.ts: the same nodes in the same
 * places (the property test, test/language/incremental-parse.test.ts, and the LSP suites
 * hold it to that), with the container of each node set as it is added, which Langium's
 * Array subclass did on `push` and `splice`. Comments are placed only when there are some:
 * Langium looks for their place with an `indexOf` over the parent's children on every
 * token, quadratic in the steps of one workflow.
 *
 * Written against the builder of Langium 4.2.1 (`CstNodeBuilder`), whose version
 * package.json pins.
 */
import type { CompositeCstNode, CstNode, GrammarAST, RootCstNode } from 'langium';
import type { IToken } from 'chevrotain';
import { LeanCompositeCstNode, LeanLeafCstNode } from './lean-cst.js';
import { giveBackArray, takeArray } from './spare-arrays.js';
import { foldChainLinks } from './cst-folding.js';

interface NodeBuilder {
    rootNode: RootCstNode;
    nodeStack: CompositeCstNode[];
    readonly current: CompositeCstNode;
    buildCompositeNode(feature: GrammarAST.AbstractElement): CompositeCstNode;
    buildLeafNode(token: IToken, feature?: GrammarAST.AbstractElement): CstNode;
    addHiddenNodes(tokens: IToken[]): void;
    construct(item: object): void;
}

/** Gives each of `nodes` the container `parent` (Langium's CstNodeContainer did it for its own). */
function adopt(parent: CompositeCstNode, nodes: readonly CstNode[]): void {
    for (const node of nodes) {
        (node as { container?: CompositeCstNode }).container = parent;
    }
}

/**
 * The token as a leaf under `container`: the token itself when the lexer made it lean
 * (lean-tokens.ts), else a lean copy (another lexer's, as in the tests). Without a grammar
 * element (a token the grammar does not assign, a comment) it is hidden, as in Langium's
 * builder.
 */
function leafOf(token: IToken, container: CompositeCstNode, feature: GrammarAST.AbstractElement | undefined): LeanLeafCstNode {
    const leaf = token instanceof LeanLeafCstNode ? token : new LeanLeafCstNode(token.image, token.startOffset, token.tokenTypeIdx, token.tokenType);
    leaf.container = container;
    leaf.grammarSource = feature;
    return leaf;
}

function buildCompositeNode(this: NodeBuilder, feature: GrammarAST.AbstractElement): CompositeCstNode {
    const current = this.current;
    const node = new LeanCompositeCstNode(current, feature, takeArray<CstNode>());
    current.content.push(node);
    this.nodeStack.push(node);
    return node;
}

function buildLeafNode(this: NodeBuilder, token: IToken, feature?: GrammarAST.AbstractElement): CstNode {
    const current = this.current;
    const leaf = leafOf(token, current, feature);
    current.content.push(leaf);
    return leaf;
}

/** Langium's placement: after the current node's children, else before the nearest ancestor with a place, else first. */
function addHiddenNodes(this: NodeBuilder, tokens: IToken[]): void {
    if (tokens.length === 0) {
        return;
    }
    const nodes = tokens.map((token) => leafOf(token, this.current, undefined));
    let current = this.current;
    if (current.content.length > 0) {
        current.content.push(...nodes);
        adopt(current, nodes);
        return;
    }
    while (current.container) {
        const parent = current.container;
        const index = parent.content.indexOf(current);
        if (index > 0) {
            parent.content.splice(index, 0, ...nodes);
            adopt(parent, nodes);
            return;
        }
        current = parent;
    }
    this.rootNode.content.unshift(...nodes);
    adopt(this.rootNode, nodes);
}

/** No comments before a token: one frozen list for all (addHiddenNodes only reads it). */
const NO_HIDDEN: readonly IToken[] = Object.freeze([]);

/**
 * The comments before `token`, taken from the parse's list, as Langium's parser takes them,
 * but without a new empty array for every token that has none before it (most of them).
 */
function extractHiddenTokens(this: { lexerResult: { hidden: IToken[] } }, token: IToken): IToken[] {
    const hidden = this.lexerResult.hidden;
    if (hidden.length === 0 || hidden[0]!.startOffset > token.startOffset) {
        return NO_HIDDEN as IToken[];
    }
    for (let i = 1; i < hidden.length; i++) {
        if (hidden[i]!.startOffset > token.startOffset) {
            return hidden.splice(0, i);
        }
    }
    return hidden.splice(0, hidden.length);
}

/** The parser, building the lean tree. */
export function withLeanCst<P extends object>(parser: P): P {
    const internals = parser as unknown as { extractHiddenTokens?: unknown };
    if (typeof internals.extractHiddenTokens === 'function') {
        internals.extractHiddenTokens = extractHiddenTokens;
    }
    const builder = (parser as unknown as { nodeBuilder?: NodeBuilder }).nodeBuilder;
    if (builder && typeof builder.buildLeafNode === 'function' && typeof builder.buildCompositeNode === 'function') {
        const construct = builder.construct.bind(builder);
        // A rule's node is complete when its rule is: its children are all there.
        builder.construct = function (this: NodeBuilder, item) {
            const node = this.current;
            construct(item);
            // Its children are copied to an array of their number (compact), and the one
            // they were collected in is used again (spare-arrays.ts).
            if (node instanceof LeanCompositeCstNode) {
                const collected = node.content;
                node.compact();
                giveBackArray(collected);
                // Its children are complete too: a chain link among them gives way to its child (cst-folding.ts).
                foldChainLinks(node);
            }
        };
        builder.buildCompositeNode = buildCompositeNode;
        builder.buildLeafNode = buildLeafNode;
        builder.addHiddenNodes = addHiddenNodes;
    }
    return parser;
}
