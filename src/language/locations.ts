/** Source positions of AST nodes, 1-based, as the engine and reports carry them. */
import { AstUtils, type AstNode } from 'langium';
import type { SourceLocation } from '../engine/model/index.js';
import { lineStartsOf, positionIn, rootOf } from './lean-cst.js';

export function locationOf(node: AstNode): SourceLocation | undefined {
    return locationIn(node, undefined);
}

/** The file a node's location names: its document's path (or URI, off disk). */
export function fileOf(node: AstNode): string {
    const uri = AstUtils.getDocument(node).uri;
    return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/**
 * `locationOf` for a node of the document `file` names (`fileOf`), when known already:
 * the nodes of one workflow share it, and a URI's path is computed again on every read.
 */
export function locationIn(node: AstNode, file: string | undefined): SourceLocation | undefined {
    const cst = node.$cstNode;
    if (!cst) {
        return undefined;
    }
    // Only the start: a range is two positions and three objects, for every step of a check.
    const start = positionIn(lineStartsOf(rootOf(cst)), cst.offset);
    return { file: file ?? fileOf(node), line: start.line + 1, column: start.character + 1 };
}
