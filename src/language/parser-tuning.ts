/**
 * What makes the parser cheap to build and fast on big files, without changing what it
 * parses:
 * - the grammar is checked once, by the tests (`test/language/parser-tuning.test.ts`
 *   builds it in Langium's development mode), not by every process that starts: at run
 *   time Chevrotain skips its grammar validations, as in Langium's production mode;
 * - the value converter decides per rule once (Langium upper-cases the rule's name and
 *   looks up its type for every token), and `consume` per grammar element (parser-consume.ts);
 * - nodes are linked to their containers by their types' property names (container-links.ts);
 * - the parser lets go of the tokens once a parse is over (Chevrotain keeps the last
 *   input until the next one: 180 MB for a 50,000-step file);
 * - each decision's lookahead (which alternative, whether an option applies) is worked
 *   out the first time the parser meets it, not for all of them while the parser is
 *   built: a small file meets few, and the work was a third of building the parser.
 */
import {
    DefaultValueConverter, GrammarAST, GrammarUtils, ValueConverter, type LangiumCoreServices, type CstNode, type LangiumParser, type LanguageMetaData,
    type ParserOptions, type ValueType,
} from 'langium';
import { KmflowLanguageMetaData } from './generated/module.js';
import { prepareShapedParser } from './ast-shapes.js';
import { tokenSetTerminals } from './token-sets.js';
import { withContainerLinks } from './container-links.js';
import { withLeanConsume } from './parser-consume.js';

/** The language's metadata, in production mode: Chevrotain skips its grammar checks. */
export const KmflowRuntimeMetaData: LanguageMetaData = { ...KmflowLanguageMetaData, mode: 'production' };

type Lookahead = (this: unknown, ...args: unknown[]) => unknown;

interface LookaheadStrategy {
    buildLookaheadForAlternation(options: unknown): Lookahead;
    buildLookaheadForOptional(options: unknown): Lookahead;
}

/** Langium's parser (createLangiumParser), each lookahead function made on first use. */
export function createTunedParser(services: LangiumCoreServices): LangiumParser {
    const parser = withLeanConsume(prepareShapedParser(services));
    const strategy = (parser as unknown as { wrapper?: { lookaheadStrategy?: LookaheadStrategy } }).wrapper?.lookaheadStrategy;
    if (strategy) {
        for (const method of ['buildLookaheadForAlternation', 'buildLookaheadForOptional'] as const) {
            const build = strategy[method].bind(strategy);
            strategy[method] = (options) => {
                let lookahead: Lookahead | undefined;
                // One argument (an alternation's choices; none for an option), not a rest array a decision.
                return function (this: unknown, alternatives: unknown) {
                    lookahead ??= build(options);
                    return lookahead.call(this, alternatives);
                };
            };
        }
    }
    parser.finalize();
    return withContainerLinks(parser, services.shared.AstReflection);
}

/** The parser, holding no tokens between parses. */
export function releasingTokens<P extends { parse: LangiumParser['parse'] }>(parser: P): P {
    const wrapper = (parser as unknown as { wrapper?: { input: unknown[] } }).wrapper;
    if (wrapper) {
        const parse = parser.parse.bind(parser);
        parser.parse = ((text: string, options?: ParserOptions) => {
            try {
                return parse(text, options);
            } finally {
                wrapper.input = [];
            }
        }) as LangiumParser['parse'];
    }
    return parser;
}

type Conversion = (input: string, cstNode?: CstNode) => ValueType;

/**
 * Langium's value conversion, decided once per rule, and once per grammar element for a
 * CST node's text (DefaultValueConverter.convert asks for every token whether its element
 * is a cross-reference and a rule call).
 */
export class KmflowValueConverter extends DefaultValueConverter {
    private readonly conversions = new Map<GrammarAST.AbstractRule, Conversion>();
    private readonly byElement = new Map<GrammarAST.AbstractElement, Conversion>();

    override convert(input: string, cstNode: CstNode): ValueType {
        const element = cstNode.grammarSource;
        if (!element) {
            return input;
        }
        let conversion = this.byElement.get(element);
        if (!conversion) {
            conversion = this.conversionOfElement(element);
            this.byElement.set(element, conversion);
        }
        return conversion(input, cstNode);
    }

    /** As DefaultValueConverter.convert: a rule call's (a cross-reference's terminal's) rule's conversion, else none. */
    private conversionOfElement(element: GrammarAST.AbstractElement): Conversion {
        const terminal = GrammarAST.isCrossReference(element) ? GrammarUtils.getCrossReferenceTerminal(element) : element;
        if (!GrammarAST.isRuleCall(terminal)) {
            return (input) => input;
        }
        const rule = terminal.rule.ref;
        if (!rule) {
            return () => {
                throw new Error('This cst node was not parsed by a rule.');
            };
        }
        const terminals = GrammarAST.isParserRule(rule) ? tokenSetTerminals(rule) : undefined;
        if (terminals && terminals.size > 0) {
            // A token-set rule's leaf (token-sets.ts): a terminal's token converted as its rule converts it.
            const own = this.conversionOf(rule);
            const byToken = new Map([...terminals].map(([name, terminal]) => [name, this.conversionOf(terminal)]));
            return (input, cstNode) => {
                const token = (cstNode as { tokenType?: { name: string } } | undefined)?.tokenType?.name;
                const conversion = token === undefined ? undefined : byToken.get(token);
                return conversion ? conversion(input) : own(input);
            };
        }
        return this.conversionOf(rule);
    }

    protected override runConverter(rule: GrammarAST.AbstractRule, input: string, _cstNode: CstNode): ValueType {
        return this.conversionOf(rule)(input);
    }

    private conversionOf(rule: GrammarAST.AbstractRule): Conversion {
        let conversion = this.conversions.get(rule);
        if (!conversion) {
            conversion = conversionOf(rule);
            this.conversions.set(rule, conversion);
        }
        return conversion;
    }
}

/** The same choice as DefaultValueConverter.runConverter's. */
function conversionOf(rule: GrammarAST.AbstractRule): Conversion {
    switch (rule.name.toUpperCase()) {
        case 'INT': return ValueConverter.convertInt;
        case 'STRING': return ValueConverter.convertString;
        case 'ID': return ValueConverter.convertID;
    }
    switch (GrammarUtils.getRuleType(rule)?.toLowerCase()) {
        case 'number': return ValueConverter.convertNumber;
        case 'boolean': return ValueConverter.convertBoolean;
        case 'bigint': return ValueConverter.convertBigint;
        case 'date': return ValueConverter.convertDate;
        default: return (input) => input;
    }
}
