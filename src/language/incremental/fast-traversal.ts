/**
 * The AST walks Langium's linker and scope computation make, without their generic
 * streams (an iterator object per node, an `await` per node): the same nodes and
 * references in the same order (Langium 4.2.1's `streamAst`, `streamAllContents` and
 * `streamReferences`: properties in `Object.keys` order, `$`-properties skipped), so that
 * what is linked, in which order, and what `document.references` lists stay exactly as
 * Langium's. test/language/fast-traversal.test.ts holds them to Langium's streams.
 */
import { isAstNode, isMultiReference, isReference, type AstNode, type ReferenceInfo } from 'langium';

/** The nodes under `root` in pre-order, `root` first when `includeRoot` (streamAst; streamAllContents without it). */
export function allNodes(root: AstNode, includeRoot: boolean): AstNode[] {
    const out: AstNode[] = [];
    collect(root, out);
    return includeRoot ? out : out.slice(1);
}

function collect(node: AstNode, out: AstNode[]): void {
    out.push(node);
    const record = node as unknown as Record<string, unknown>;
    for (const key of Object.keys(node)) {
        if (key.startsWith('$')) {
            continue;
        }
        const value = record[key];
        if (isAstNode(value)) {
            collect(value, out);
        } else if (Array.isArray(value)) {
            for (const element of value) {
                if (isAstNode(element)) {
                    collect(element, out);
                }
            }
        }
    }
}

/** Each cross-reference `node` holds, as streamReferences gives them (an array's elements with their index). */
export function forEachReference(node: AstNode, visit: (info: ReferenceInfo) => void): void {
    const record = node as unknown as Record<string, unknown>;
    for (const property of Object.keys(node)) {
        if (property.startsWith('$')) {
            continue;
        }
        const value = record[property];
        if (isReference(value) || isMultiReference(value)) {
            visit({ reference: value, container: node, property });
        } else if (Array.isArray(value)) {
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
