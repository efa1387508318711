/**
 * Langium's parse (LangiumParser.parse in 4.2.1, whose version package.json pins), with the
 * nodes' links to their containers made from each type's property names. Langium makes
 * them with `Object.entries` on every node: a 10,000-step file's 140,000 nodes gave 1.4
 * million key-value pairs to allocate, read once and collect, and an eighth of a big
 * file's parse.
 */
import { isAstNode, type AstNode, type AstReflection, type LangiumParser, type ParseResult, type ParserOptions, type RootCstNode } from 'langium';
import { perType } from './per-type.js';
import { placeProblems } from './lean-tokens.js';

/** What LangiumParser.parse uses of the parser. */
interface ParserInternals {
    nodeBuilder: { buildRootNode(input: string): RootCstNode; addHiddenNodes(tokens: unknown[]): void };
    lexer: { tokenize(input: string): { tokens: unknown[]; hidden: unknown[]; errors: ParseResult['lexerErrors']; report?: ParseResult['lexerReport'] } };
    lexerResult: unknown;
    wrapper: { input: unknown[]; errors: ParseResult['parserErrors'] };
    allRules: Map<string, unknown>;
    mainRule: unknown;
    unorderedGroups: Map<string, unknown>;
    doParse(rule: unknown): AstNode;
}

/** Sets `$container`, `$containerProperty` and `$containerIndex` under `root`, as Langium's linkContentToContainer (deep). */
export function linkContainers(root: AstNode, namesOf: (type: string) => readonly string[] | undefined): void {
    const pending: AstNode[] = [root];
    let node: AstNode | undefined;
    while ((node = pending.pop()) !== undefined) {
        const fields = node as unknown as Record<string, unknown>;
        const names = namesOf(node.$type) ?? ownNames(node);
        // Indexed: a for-of makes an iterator a node until V8 optimises the walk.
        for (let n = 0; n < names.length; n++) {
            const name = names[n]!;
            const value = fields[name];
            // Most of a big node's properties hold no object (names, numbers): passed over first.
            if (typeof value !== 'object' || value === null) {
                continue;
            }
            if (Array.isArray(value)) {
                for (let i = 0; i < value.length; i++) {
                    const item: unknown = value[i];
                    if (isAstNode(item)) {
                        (item as { $container: AstNode }).$container = node;
                        (item as { $containerProperty: string }).$containerProperty = name;
                        (item as { $containerIndex: number }).$containerIndex = i;
                        pending.push(item);
                    }
                }
            } else if (isAstNode(value)) {
                (value as { $container: AstNode }).$container = node;
                (value as { $containerProperty: string }).$containerProperty = name;
                pending.push(value);
            }
        }
    }
}

/** A node's own property names but `$…`. */
function ownNames(node: AstNode): string[] {
    return Object.keys(node).filter((name) => !name.startsWith('$'));
}

/** The names of a type's properties, or undefined for a type the reflection gives none (the node's own are read). */
export function propertyNames(reflection: AstReflection): (type: string) => readonly string[] | undefined {
    return perType((type) => {
        const found = Object.keys(reflection.getTypeMetaData(type).properties);
        return found.length > 0 ? found : undefined;
    });
}

/** Each parser's parse as withContainerLinks made it, before any wrapper set on it after. */
const linkedParses = new WeakMap<object, LangiumParser['parse']>();

/**
 * The parser's own parse, under the wrappers set on it later (the nesting guard's, the
 * token release's): the one withContainerLinks made, else Langium's.
 */
export function innerParse(parser: LangiumParser): LangiumParser['parse'] {
    return linkedParses.get(parser) ?? (Object.getPrototypeOf(parser) as LangiumParser).parse;
}

/** The parser, linking containers by property names. */
export function withContainerLinks(parser: LangiumParser, reflection: AstReflection): LangiumParser {
    const internals = parser as unknown as ParserInternals;
    const namesOf = propertyNames(reflection);
    const parse = (<T extends AstNode>(input: string, options: ParserOptions = {}): ParseResult<T> => {
        const root = internals.nodeBuilder.buildRootNode(input);
        const lexerResult = internals.lexerResult = internals.lexer.tokenize(input);
        internals.wrapper.input = lexerResult.tokens;
        const ruleMethod = options.rule ? internals.allRules.get(options.rule) : internals.mainRule;
        if (!ruleMethod) {
            throw new Error(options.rule ? `No rule found with name '${options.rule}'` : 'No main rule available.');
        }
        const result = internals.doParse(ruleMethod);
        internals.nodeBuilder.addHiddenNodes(lexerResult.hidden);
        internals.unorderedGroups.clear();
        internals.lexerResult = undefined;
        linkContainers(result, namesOf);
        placeProblems(root, [...lexerResult.errors, ...lexerResult.report?.diagnostics ?? []], internals.wrapper.errors);
        return { value: result as T, lexerErrors: lexerResult.errors, lexerReport: lexerResult.report, parserErrors: internals.wrapper.errors };
    }) as LangiumParser['parse'];
    linkedParses.set(parser, parse);
    parser.parse = parse;
    return parser;
}
