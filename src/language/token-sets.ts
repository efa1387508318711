/**
 * Data type rules that are one token of a set (`Name: ID | SoftKeyword`, `Bool: 'true' |
 * 'false'`, the value sets such as `OnOff`), parsed as that one token: each such rule gets
 * a token category holding its tokens (Chevrotain's CATEGORIES: a token of the set matches
 * the category), and a call of the rule consumes the category (parser-rules.ts) where
 * Langium would enter a sub-rule, with a node of its own in the tree and an AST object for
 * its text, to take one token. A 10,000-step file makes 40,000 names and references that
 * way: 40,000 sub-rule entries, tree nodes and text objects fewer.
 *
 * The language is the same: a rule's category matches exactly the tokens the rule does, so
 * every decision the parser makes sees the same sets. The value is the one the rule gave:
 * a keyword's text, a terminal's value as its own rule converts it (a string of `Key`
 * unquoted: the value converter reads `tokenSetTerminals` for such a leaf). Only rules
 * returning `string` qualify, whose value is their text. In the tree the token's leaf
 * stands where the rule's node stood, its grammar element the rule call: what reads names
 * (references, `findNodeForProperty`, ranges) finds it there, with the same text and place.
 */
import { Lexer, type TokenType } from 'chevrotain';
import { AstUtils, GrammarAST, type TokenBuilder, type TokenBuilderOptions } from 'langium';

type TokenVocabulary = ReturnType<TokenBuilder['buildTokens']>;

/** The name of the token category of rule `rule` (not a keyword's or terminal's name: those have no `$`). */
export function tokenSetName(rule: GrammarAST.ParserRule): string {
    return `${rule.name}$set`;
}

/**
 * What a parse error says the rule expects (`Expecting \`a name\` but found \`,\`.`, which
 * the document validator words `expected a name but found ','`): a set with identifiers is
 * a name; a few keywords are listed. Langium lists every token of the set instead, a
 * hundred lines for a name.
 */
export function tokenSetLabel(rule: GrammarAST.ParserRule, names: ReadonlySet<string>): string {
    if (names.has('ID')) {
        return 'a name';
    }
    return names.size <= 8 ? `one of ${[...names].map((n) => `'${n}'`).join(', ')}` : `a ${rule.name}`;
}

/**
 * The token names (a keyword's text, a terminal's name) of each data type rule that is one
 * token of a set: an alternation, at any depth, of keywords, plain terminals and other such
 * rules, with no cardinality, assignment or action.
 */
export function tokenSetRules(grammar: GrammarAST.Grammar): Map<GrammarAST.ParserRule, Set<string>> {
    const found = new Map<GrammarAST.ParserRule, Set<string> | undefined>();
    const setOf = (rule: GrammarAST.ParserRule): Set<string> | undefined => {
        if (found.has(rule)) {
            return found.get(rule);
        }
        found.set(rule, undefined); // a cycle is not a token set
        const names = new Set<string>();
        const ok = rule.dataType === 'string' && !rule.fragment && rule.parameters.length === 0 && collect(rule.definition, names);
        found.set(rule, ok ? names : undefined);
        return ok ? names : undefined;
    };
    const collect = (element: GrammarAST.AbstractElement, names: Set<string>): boolean => {
        if (element.cardinality !== undefined) {
            return false;
        }
        if (GrammarAST.isKeyword(element)) {
            names.add(element.value);
            return true;
        }
        if (GrammarAST.isAlternatives(element)) {
            return element.elements.every((e) => collect(e, names));
        }
        if (GrammarAST.isRuleCall(element) && element.arguments.length === 0) {
            const called = element.rule.ref;
            if (GrammarAST.isTerminalRule(called)) {
                if (called.hidden || called.fragment) {
                    return false;
                }
                names.add(called.name);
                return true;
            }
            if (GrammarAST.isParserRule(called)) {
                const inner = setOf(called);
                inner?.forEach((n) => names.add(n));
                return inner !== undefined;
            }
        }
        return false;
    };
    const sets = new Map<GrammarAST.ParserRule, Set<string>>();
    for (const rule of grammar.rules) {
        if (GrammarAST.isParserRule(rule)) {
            const set = setOf(rule);
            if (set && set.size > 0) {
                sets.set(rule, set);
            }
        }
    }
    return sets;
}

/** Langium's token builder, adding a category for each token-set rule of the grammar, with its tokens in it. */
export function withTokenSets<B extends TokenBuilder>(builder: B): B {
    const build = builder.buildTokens.bind(builder);
    builder.buildTokens = (grammar: GrammarAST.Grammar, options?: TokenBuilderOptions): TokenVocabulary => {
        const vocabulary = build(grammar, options);
        if (!Array.isArray(vocabulary)) {
            return vocabulary; // multi-mode or a dictionary: not kmflow's; rules stay rules (parser-rules.ts finds no category)
        }
        const tokens = vocabulary as TokenType[];
        const byName = new Map(tokens.map((t) => [t.name, t]));
        for (const [rule, names] of tokenSetRules(grammar)) {
            const members = [...names].map((n) => byName.get(n));
            if (members.some((m) => m === undefined)) {
                continue;
            }
            const category: TokenType = { name: tokenSetName(rule), PATTERN: Lexer.NA, LABEL: tokenSetLabel(rule, names) };
            for (const member of members as TokenType[]) {
                const categories = member.CATEGORIES ?? [];
                member.CATEGORIES = [...categories, category];
            }
            tokens.push(category);
        }
        return tokens;
    };
    return builder;
}

const terminalsByGrammar = new WeakMap<GrammarAST.Grammar, Map<GrammarAST.ParserRule, Map<string, GrammarAST.TerminalRule>>>();

/**
 * The terminals of a token-set rule by token name (none for another rule): a leaf of the
 * rule consumed as its category takes its terminal's conversion (parser-tuning.ts's value converter).
 */
export function tokenSetTerminals(rule: GrammarAST.ParserRule): ReadonlyMap<string, GrammarAST.TerminalRule> | undefined {
    const grammar = AstUtils.getContainerOfType(rule, GrammarAST.isGrammar);
    if (!grammar) {
        return undefined;
    }
    let byRule = terminalsByGrammar.get(grammar);
    if (!byRule) {
        byRule = new Map();
        const terminals = new Map(grammar.rules.filter(GrammarAST.isTerminalRule).map((t) => [t.name, t]));
        for (const [setRule, names] of tokenSetRules(grammar)) {
            byRule.set(setRule, new Map([...names].filter((n) => terminals.has(n)).map((n) => [n, terminals.get(n)!])));
        }
        terminalsByGrammar.set(grammar, byRule);
    }
    return byRule.get(rule);
}
