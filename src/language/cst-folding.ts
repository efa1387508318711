/**
 * Rule nodes the lean tree (lean-cst.ts) leaves out because they stand for nothing but
 * their one child, the way a token-set rule (token-sets.ts) has only its token's leaf:
 * - a link of a chain of unassigned rule calls (`Expression` → `Unary` → `Literal` → the
 *   literal's leaf): once its rule's object has become its caller's (Langium's
 *   assignWithoutOverride takes the node's AST node away), nothing points to it, and its
 *   child takes its place under its container;
 * - a cross-reference's node over a single token (`uses assert`, whose `ToolId` rule may
 *   take several, `a.b.c`): the token's leaf takes its place and its grammar element, the
 *   cross-reference, and is the reference's `$refNode`, as a token-set reference's is.
 * Every such node spans exactly its child, so ranges, offsets, texts and what an offset
 * finds are unchanged; test/language/parser-tuning.test.ts holds the tree to Langium's with
 * these nodes taken out. A 10,000-step file had 30,000 of them among its 70,000 rule nodes:
 * 3.4 MB live and 830 pages of memory a `kmflow check` touched (23,800 instead of 24,700).
 */
import { AstUtils, GrammarAST, GrammarUtils, type CompositeCstNode, type CstNode } from 'langium';
import { LeanCompositeCstNode, LeanLeafCstNode } from './lean-cst.js';

const chainLinkElements = new Map<GrammarAST.AbstractElement, boolean>();

/** Whether `element` calls a parser rule that makes an object (no data type, no fragment, no infix) without assigning it. */
function isUnassignedRuleCall(element: GrammarAST.AbstractElement): boolean {
    let known = chainLinkElements.get(element);
    if (known === undefined) {
        const rule = GrammarAST.isRuleCall(element) ? element.rule.ref : undefined;
        known = GrammarAST.isParserRule(rule) && !rule.fragment && !GrammarUtils.isDataTypeRule(rule)
            && AstUtils.getContainerOfType(element, GrammarAST.isAssignment) === undefined;
        chainLinkElements.set(element, known);
    }
    return known;
}

/** Whether `node` is a chain link: an unassigned rule call's node of one child and no AST node of its own. */
function isChainLink(node: CstNode): node is LeanCompositeCstNode {
    return node instanceof LeanCompositeCstNode && node.content.length === 1 && !node.hasOwnAstNode && isUnassignedRuleCall(node.grammarSource);
}

/** Puts, in `node`'s (complete) children, each chain link's child in the link's place. */
export function foldChainLinks(node: LeanCompositeCstNode): void {
    const content = node.content;
    for (let i = 0; i < content.length; i++) {
        let child = content[i]!;
        if (!isChainLink(child)) {
            continue;
        }
        do {
            child = child.content[0]!;
        } while (isChainLink(child));
        (child as { container?: CompositeCstNode }).container = node;
        content[i] = child;
    }
}

/**
 * The node a cross-reference's value was parsed in, `refNode`, or its one leaf in its place
 * (under its container, with its grammar element). `refNode` is its container's last child.
 */
export function referenceNode(refNode: CstNode): CstNode {
    if (!(refNode instanceof LeanCompositeCstNode) || refNode.content.length !== 1) {
        return refNode;
    }
    const leaf = refNode.content[0];
    const container = refNode.container;
    if (!(leaf instanceof LeanLeafCstNode) || !container) {
        return refNode;
    }
    const siblings = container.content;
    const at = siblings.lastIndexOf(refNode);
    if (at < 0) {
        return refNode;
    }
    siblings[at] = leaf;
    leaf.container = container;
    leaf.grammarSource = refNode.grammarSource;
    return leaf;
}
