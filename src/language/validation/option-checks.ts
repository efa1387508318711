/**
 * An option given twice (`timeout 5s` ... `timeout 30s` in one step) keeps only the last:
 * say so on the earlier ones rather than let a setting silently disappear.
 */
import { AstUtils, GrammarAST, GrammarUtils, type AstNode, type CstNode, type ValidationAcceptor } from 'langium';
import { Codes } from '../diagnostic-codes.js';

/** Options that take one value, by the grammar rule (and AST type) they belong to. */
const SINGLE_OPTIONS: Record<string, readonly string[]> = {
    Server: ['command', 'args', 'env', 'cwd', 'url', 'headers', 'timeout'],
    ToolDecl: ['category', 'description', 'cache', 'security', 'status', 'input_schema', 'output_schema', 'via',
        'enterprise_ready', 'ai_enhanced', 'read_only', 'idempotent', 'destructive'],
    Workflow: ['description', 'mode', 'target', 'selection', 'resources', 'monitoring', 'cache', 'errors', 'max_parallel',
        'timeout', 'enterprise'],
    Step: ['description', 'with', 'when', 'timeout', 'retry', 'parallel_group', 'cache'],
};

function ruleOf(keywordNode: CstNode): string | undefined {
    const source = keywordNode.grammarSource;
    return source ? AstUtils.getContainerOfType(source, GrammarAST.isParserRule)?.name : undefined;
}

export function checkRepeatedOptions(node: AstNode & { name?: string }, accept: ValidationAcceptor): void {
    const options = SINGLE_OPTIONS[node.$type];
    if (!options || !node.$cstNode) {
        return;
    }
    for (const keyword of options) {
        // Only the option keyword itself: the same word may also be a value (`parallel_group timeout`).
        const uses = GrammarUtils.findNodesForKeyword(node.$cstNode, keyword).filter((k) => ruleOf(k) === node.$type);
        if (uses.length < 2) {
            continue;
        }
        const last = uses[uses.length - 1]!;
        for (const earlier of uses.slice(0, -1)) {
            accept('warning', `'${keyword}' is given ${uses.length} times in ${node.$type === 'ToolDecl' ? 'tool' : node.$type.toLowerCase()} ` +
                `'${node.name ?? ''}'; only the last one (line ${last.range.start.line + 1}) counts`, {
                node, range: earlier.range, code: Codes.RepeatedOption, data: { code: Codes.RepeatedOption },
            });
        }
    }
}
