/**
 * An option given twice (`timeout 5s` ... `timeout 30s` in one step) keeps only the last
 * (ast-options.ts): say so on the earlier ones rather than let a setting silently disappear.
 */
import { AstUtils, GrammarAST, GrammarUtils, type CstNode, type ValidationAcceptor } from 'langium';
import type { Server, Step, ToolDecl, Workflow } from '../generated/ast.js';
import { Codes } from '../diagnostic-codes.js';

type Block = Server | ToolDecl | Workflow | Step;

/** The options of a block that take one value: its keyword, and its AST property (every occurrence, in order). */
type OptionTable<T extends Block> = ReadonlyArray<readonly [keyword: string, property: keyof T & string]>;

const SINGLE_OPTIONS: { [T in Block as T['$type']]: OptionTable<T> } = {
    Server: [['command', 'command'], ['args', 'args'], ['env', 'env'], ['cwd', 'cwd'], ['url', 'url'], ['headers', 'headers'],
        ['timeout', 'timeout']],
    ToolDecl: [['category', 'category'], ['description', 'description'], ['cache', 'cache'], ['security', 'security'],
        ['status', 'status'], ['input_schema', 'inputSchema'], ['output_schema', 'outputSchema'], ['via', 'via'],
        ['enterprise_ready', 'enterpriseReady'], ['ai_enhanced', 'aiEnhanced'], ['read_only', 'readOnly'],
        ['idempotent', 'idempotent'], ['destructive', 'destructive']],
    Workflow: [['description', 'description'], ['mode', 'mode'], ['target', 'target'], ['selection', 'selection'],
        ['resources', 'resources'], ['monitoring', 'monitoring'], ['cache', 'cache'], ['errors', 'errors'],
        ['max_parallel', 'maxParallel'], ['timeout', 'timeout'], ['enterprise', 'enterprise']],
    Step: [['description', 'description'], ['with', 'with'], ['when', 'when'], ['timeout', 'timeout'], ['retry', 'retry'],
        ['parallel_group', 'parallelGroup'], ['cache', 'cache']],
};

function ruleOf(keywordNode: CstNode): string | undefined {
    const source = keywordNode.grammarSource;
    return source ? AstUtils.getContainerOfType(source, GrammarAST.isParserRule)?.name : undefined;
}

export function checkRepeatedOptions(node: Block, accept: ValidationAcceptor): void {
    if (!node.$cstNode) {
        return;
    }
    const options: ReadonlyArray<readonly [string, string]> = SINGLE_OPTIONS[node.$type];
    for (const [keyword, property] of options) {
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
            accept('warning', `'${keyword}' is given ${uses.length} times in ${node.$type === 'ToolDecl' ? 'tool' : node.$type.toLowerCase()} ` +
                `'${node.name ?? ''}'; only the last one (line ${last!.range.start.line + 1}) counts`, {
                node, range: earlier.range, code: Codes.RepeatedOption, data: { code: Codes.RepeatedOption },
            });
        }
    }
}
