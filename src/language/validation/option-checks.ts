/**
 * An option given twice (`timeout 5s` ... `timeout 30s` in one step) keeps only the last
 * (ast-options.ts): say so on the earlier ones rather than let a setting silently disappear.
 */
import { AstUtils, GrammarAST, GrammarUtils, type CstNode, type ValidationAcceptor } from 'langium';
import type { Server, Step, TestDecl, ToolDecl, Workflow } from '../generated/ast.js';
import { Codes } from '../diagnostic-codes.js';
import { blockOptions } from '../grammar-options.js';

type Block = Server | ToolDecl | Workflow | Step | TestDecl;

/** The options of each block that take one value, from the grammar: keyword and AST property (every occurrence, in order). */
const SINGLE_OPTIONS = new Map((['Server', 'ToolDecl', 'Workflow', 'Step', 'TestDecl'] as const).map((t) =>
    [t, blockOptions(t).flatMap((o) => (o.single && o.keyword !== undefined ? [{ keyword: o.keyword, property: o.property }] : []))]));

function ruleOf(keywordNode: CstNode): string | undefined {
    const source = keywordNode.grammarSource;
    return source ? AstUtils.getContainerOfType(source, GrammarAST.isParserRule)?.name : undefined;
}

export function checkRepeatedOptions(node: Block, accept: ValidationAcceptor): void {
    if (!node.$cstNode) {
        return;
    }
    const options = SINGLE_OPTIONS.get(node.$type)!;
    // Indexed: every step of every workflow comes here on every check.
    for (let i = 0; i < options.length; i++) {
        const { keyword, property } = options[i]!;
        // The AST holds every occurrence of an option; one (or none) is the usual case.
        if ((node as unknown as Record<string, readonly unknown[]>)[property]!.length < 2) {
            continue;
        }
        // The keywords, for the positions: the option keyword itself, not the same word as a value
        // (`parallel_group timeout`). A value's own CST node would not do: an expression built by a
        // tree-rewriting action (`when a and b`) is not found by its property.
        const uses = GrammarUtils.findNodesForKeyword(node.$cstNode, keyword).filter((k) => ruleOf(k) === node.$type);
        const last = uses[uses.length - 1];
        for (const earlier of uses.slice(0, -1)) {
            accept('warning', `'${keyword}' is given ${uses.length} times in ${blockName(node)}; ` +
                `only the last one (line ${last!.range.start.line + 1}) counts`, {
                node, range: earlier.range, code: Codes.RepeatedOption, data: { code: Codes.RepeatedOption },
            });
        }
    }
}

/** `step 'x'`, `tool 'y'`, `test "z"`. */
function blockName(node: Block): string {
    switch (node.$type) {
        case 'TestDecl':
            return `test "${node.title}"`;
        case 'ToolDecl':
            return `tool '${node.name ?? ''}'`;
        default:
            return `${node.$type.toLowerCase()} '${node.name ?? ''}'`;
    }
}
