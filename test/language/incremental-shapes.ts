/**
 * What two parses of one text are compared by: the AST with every property and every
 * node's place, the CST node by node, the errors, where each reference leads; and the
 * invariants a spliced tree must keep (every node's container and root are right).
 */
import {
    AstUtils, CstUtils, isAstNode, isReference, type AstNode, type AstNodeDescription, type CstNode, type LangiumDocument, type MultiMap,
    type ParseResult,
} from 'langium';
import type { KmflowServices } from '../../src/language/kmflow-module.js';

function place(cst: CstNode | undefined): unknown {
    return cst && [cst.offset, cst.length, cst.range.start.line, cst.range.start.character, cst.range.end.line, cst.range.end.character];
}

function value(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(value);
    }
    if (isAstNode(v)) {
        return astShape(v);
    }
    if (isReference(v)) {
        return { ref: v.$refText, at: place(v.$refNode) };
    }
    return v;
}

export function astShape(node: AstNode): unknown {
    const out: Record<string, unknown> = {
        $type: node.$type, $cst: place(node.$cstNode), $property: node.$containerProperty, $index: node.$containerIndex,
        // The properties' order too: traversals follow it.
        $keys: Object.keys(node).filter((k) => !k.startsWith('$')),
    };
    for (const key of Object.keys(node)) {
        if (!key.startsWith('$')) {
            out[key] = value((node as unknown as Record<string, unknown>)[key]);
        }
    }
    return out;
}

export function cstShape(cst: CstNode): unknown {
    const own = (cst as unknown as { _astNode?: AstNode })._astNode?.$type;
    const content = (cst as unknown as { content?: CstNode[] }).content;
    if (content) {
        return { at: place(cst), ast: own, grammar: cst.grammarSource?.$type, children: content.map(cstShape) };
    }
    return { at: place(cst), hidden: cst.hidden, token: (cst as unknown as { tokenType?: { name: string } }).tokenType?.name,
        grammar: cst.grammarSource?.$type, text: cst.text };
}

export function errorsOf(result: ParseResult): unknown {
    return {
        lexer: result.lexerErrors.map((e) => [e.offset, e.length, e.message]),
        parser: result.parserErrors.map((e) => [e.name, e.message, e.token.startOffset, e.token.image]),
        report: result.lexerReport?.diagnostics.length ?? 0,
    };
}

/** Whether `node` is in its document's current tree (reachable from the root by its containers' lists). */
function inTree(node: AstNode): boolean {
    for (let n = node; n.$container; n = n.$container) {
        const list = (n.$container as unknown as Record<string, unknown>)[n.$containerProperty!];
        if (Array.isArray(list) ? list[n.$containerIndex!] !== n : list !== n) {
            return false;
        }
    }
    const root = AstUtils.findRootNode(node);
    return root.$document?.parseResult.value === root;
}

/** Where each reference leads, in document order: the target's document and path (STALE if it left the tree), or the error. */
export function linksOf(services: KmflowServices, root: AstNode): string[] {
    const locator = services.workspace.AstNodeLocator;
    const out: string[] = [];
    for (const node of AstUtils.streamAst(root)) {
        for (const { reference } of AstUtils.streamReferences(node)) {
            if (isReference(reference)) {
                const target = reference.ref;
                const stale = target && !inTree(target) ? 'STALE ' : '';
                out.push(target ? `${stale}${AstUtils.getDocument(target).uri.path}#${locator.getAstNodePath(target)}` : `error: ${reference.error?.message}`);
            }
        }
    }
    return out;
}

/** The document's local symbols: per container (by path), each description with its places as read now. */
export function localSymbolsOf(services: KmflowServices, doc: LangiumDocument): unknown {
    const locator = services.workspace.AstNodeLocator;
    const symbols = doc.localSymbols as MultiMap<AstNode, AstNodeDescription> | undefined;
    return symbols && [...symbols.keys()].map((container) => [locator.getAstNodePath(container), symbols.get(container).map((d) =>
        [d.name, d.type, d.path, d.documentUri.toString(), locator.getAstNodePath(d.node!), d.nameSegment?.range, d.selectionSegment?.range])]);
}

/** Broken links of a tree: a child whose `$container` is not its parent, a CST node under another root or container. */
export function treeInvariants(root: AstNode): string[] {
    const problems: string[] = [];
    for (const node of AstUtils.streamAst(root)) {
        for (const child of AstUtils.streamContents(node)) {
            if (child.$container !== node) {
                problems.push(`${child.$type} at ${child.$cstNode?.offset} has the wrong container`);
            }
        }
        if (node.$cstNode && node.$cstNode.root !== root.$cstNode?.root) {
            problems.push(`${node.$type} at ${node.$cstNode.offset} has a CST under another root`);
        }
    }
    if (root.$cstNode) {
        for (const cst of CstUtils.streamCst(root.$cstNode)) {
            const content = (cst as unknown as { content?: CstNode[] }).content ?? [];
            for (const child of content) {
                if (child.container !== cst || child.root !== root.$cstNode.root) {
                    problems.push(`CST node at ${child.offset} has the wrong container or root`);
                }
            }
        }
    }
    return problems;
}
