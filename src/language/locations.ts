/** Source positions of AST nodes, 1-based, as the engine and reports carry them. */
import { AstUtils, type AstNode } from 'langium';
import type { SourceLocation } from '../engine/model/index.js';

export function locationOf(node: AstNode): SourceLocation | undefined {
    const cst = node.$cstNode;
    if (!cst) {
        return undefined;
    }
    const uri = AstUtils.getDocument(node).uri;
    return {
        file: uri.scheme === 'file' ? uri.fsPath : uri.toString(),
        line: cst.range.start.line + 1,
        column: cst.range.start.character + 1,
    };
}
