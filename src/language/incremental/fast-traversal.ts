/**
 * The AST walks Langium's linker and scope computation make, without their generic
 * streams (an iterator object per node, an `await` per node): the same nodes and
 * references in the same order (Langium 4.2.1's `streamAst`, `streamAllContents` and
 * `streamReferences`: properties in `Object.keys` order, `$`-properties skipped), so that
 * what is linked, in which order, and what `document.references` lists stay exactly as
 * Langium's. test/language/fast-traversal.test.ts holds them to Langium's streams.
 *
 * A top-level node's subtree is walked once: an AST is never changed after parsing but
 * by the incremental re-parse, which replaces whole top-level nodes (reparse.ts), so the
 * nodes and references under one stay what they were. The walk of a document is its
 * root, then each top-level node's walk, in the root's property order.
 */
import { isAstNode, isMultiReference, isReference, type AstNode, type ReferenceInfo } from 'langium';
import { LeanReference } from '../lean-reference.js';

/** The nodes under `root` in pre-order, `root` first when `includeRoot` (streamAst; streamAllContents without it). */
export function allNodes(root: AstNode, includeRoot: boolean): AstNode[] {
    const out: AstNode[] = [];
    collect(root, out);
    return includeRoot ? out : out.slice(1);
}

const subtrees = new WeakMap<AstNode, AstNode[]>();
/** A lean reference knows its place (its info is made when asked); any other is kept with its info. */
const subtreeReferences = new WeakMap<AstNode, Array<LeanReference | ReferenceInfo>>();

/** The root's direct children, in the order a walk meets them. */
export function topLevelNodes(root: AstNode): AstNode[] {
    return childrenOf(root);
}

/** `node`'s direct children, in the order a walk meets them (streamContents'). */
export function childrenOf(node: AstNode): AstNode[] {
    const out: AstNode[] = [];
    addChildren(node, out, false);
    return out;
}

/** A top-level node and every node under it, in pre-order, walked once per node. */
export function subtreeOf(top: AstNode): AstNode[] {
    let nodes = subtrees.get(top);
    if (!nodes) {
        nodes = allNodes(top, true);
        subtrees.set(top, nodes);
    }
    return nodes;
}

/**
 * The cross-references under a top-level node, in walk order, found once per node. Kept as
 * the references themselves, their infos made when each is visited (`infoOf`): 40,000 infos
 * kept for a 10,000-step file were 2.5 MB that only a re-link of the file reads again, and
 * made all at once for a walk they outlived V8's young generation. Read-only.
 */
export function referencesUnder(top: AstNode): ReadonlyArray<LeanReference | ReferenceInfo> {
    let refs = subtreeReferences.get(top);
    if (!refs) {
        const found: Array<LeanReference | ReferenceInfo> = [];
        const nodes = subtreeOf(top);
        const add = (r: ReferenceInfo): void => {
            found.push(r.reference instanceof LeanReference ? r.reference : r);
        };
        // Indexed: `for...of`, unoptimised, makes an iterator result for every node.
        for (let i = 0; i < nodes.length; i++) {
            forEachReference(nodes[i]!, add);
        }
        refs = found;
        subtreeReferences.set(top, refs);
    }
    return refs;
}

/** The info of a reference `referencesUnder` gave: where it is now. */
export function infoOf(ref: LeanReference | ReferenceInfo): ReferenceInfo {
    return ref instanceof LeanReference ? ref.placeInfo() : ref;
}

function collect(node: AstNode, out: AstNode[]): void {
    out.push(node);
    addChildren(node, out, true);
}

/** Whether a property is one of Langium's own (`$type`, `$container`, ...), which walks skip. */
const isDollar = (key: string): boolean => key.charCodeAt(0) === 36; /* $ */

/**
 * `node`'s children in `Object.keys` order (`$`-properties skipped), each with its subtree when `deep`.
 * Most of a big node's properties hold no node (a step has 25: names, numbers, empty lists), and
 * a walk runs once, mostly before V8 optimises it: what is not an object is passed over first,
 * and a list is a list (a parsed list never has a `$type`), before a node is asked for.
 */
function addChildren(node: AstNode, out: AstNode[], deep: boolean): void {
    const record = node as unknown as Record<string, unknown>;
    // for-in walks the same own keys in the same order (an AST node inherits none) without an array a node.
    for (const key in node) {
        if (isDollar(key)) {
            continue;
        }
        const value = record[key];
        if (typeof value !== 'object' || value === null) {
            continue;
        }
        if (Array.isArray(value)) {
            // Indexed: a for-of makes an iterator a list (a step has 15 lists) until V8 optimises the walk.
            for (let i = 0; i < value.length; i++) {
                const element: unknown = value[i];
                if (isAstNode(element)) {
                    add(element, out, deep);
                }
            }
        } else if (isAstNode(value)) {
            add(value, out, deep);
        }
    }
}

function add(child: AstNode, out: AstNode[], deep: boolean): void {
    if (deep) {
        collect(child, out);
    } else {
        out.push(child);
    }
}

/** Each cross-reference `node` holds, as streamReferences gives them (an array's elements with their index); passed over as addChildren passes. */
export function forEachReference(node: AstNode, visit: (info: ReferenceInfo) => void): void {
    const record = node as unknown as Record<string, unknown>;
    for (const property in node) {
        if (isDollar(property)) {
            continue;
        }
        const value = record[property];
        if (typeof value !== 'object' || value === null) {
            continue;
        }
        if (!Array.isArray(value)) {
            if (isReference(value) || isMultiReference(value)) {
                visit({ reference: value, container: node, property });
            }
        } else {
            for (let index = 0; index < value.length; index++) {
                const element: unknown = value[index];
                // As streamReferences: an array's element counts when it is a (single) reference.
                if (isReference(element)) {
                    visit({ reference: element, container: node, property, index });
                }
            }
        }
    }
}
