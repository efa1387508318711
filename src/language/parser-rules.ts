/**
 * The parser's rules, built from the grammar as Langium's `createParser` builds them
 * (parser-builder-base.js of Langium 4.2.1, whose version package.json pins), for a
 * grammar with no rule parameters, guards, unordered groups or infix rules, as kmflow's:
 * with no arguments to pass on, every alternation's choices, every repetition's and
 * option's definition and every rule call's arguments are made once, with the parser.
 * Langium's builder makes them on every call, for any grammar: an object and a closure for
 * each alternative of each alternation the parser enters. That was half of what a
 * 10,000-step check allocated (195 of 411 MB), all of it garbage.
 *
 * The rules call the parser exactly as Langium's do (the same methods, grammar elements,
 * tokens and occurrence indices, in the same order): test/language/parser-tuning.test.ts
 * holds the trees and errors to Langium's parser. A grammar using any of the features
 * above gets Langium's own builder.
 */
import { EOF, type TokenType, type TokenTypeDictionary } from 'chevrotain';
import { AstUtils, GrammarAST, GrammarUtils, createParser, type LangiumParser } from 'langium';
import { tokenSetName } from './token-sets.js';

type Method = () => void;

/** The parser methods the rules call (LangiumParser's). */
interface RuleTarget {
    rule(rule: GrammarAST.ParserRule, implementation: (args: unknown) => void): unknown;
    getRule(name: string): unknown;
    consume(idx: number, tokenType: TokenType, feature: GrammarAST.AbstractElement): void;
    subrule(idx: number, rule: unknown, fragment: boolean, feature: GrammarAST.AbstractElement, args: unknown): void;
    action(type: string, action: GrammarAST.Action): void;
    alternatives(idx: number, choices: Array<{ ALT: Method }>): void;
    many(idx: number, def: { DEF: Method }): void;
    atLeastOne(idx: number, def: { DEF: Method }): void;
    optional(idx: number, def: { DEF: Method }): void;
}

/** One rule's build: the parser, the tokens, and the next occurrence index of each kind. */
interface RuleContext {
    parser: RuleTarget;
    tokens: TokenTypeDictionary;
    consume: number;
    optional: number;
    subrule: number;
    many: number;
    or: number;
}

/** What no rule reads: the arguments of every rule call. */
const NO_ARGS = Object.freeze({});

/** Chevrotain's options for a rule call with NO_ARGS, as Langium's wrapper makes them. */
const NO_ARGS_OPTIONS = Object.freeze({ ARGS: Object.freeze([NO_ARGS]) });

/** Langium's Chevrotain wrapper: `wrapSubrule` makes `{ ARGS: [args] }` for every rule call. */
interface SubruleWrapper {
    wrapSubrule(idx: number, rule: unknown, args: unknown): unknown;
    subrule(idx: number, rule: unknown, options: unknown): unknown;
}

/**
 * Rule calls with NO_ARGS pass Chevrotain one frozen options object: Langium's wrapper
 * made a new object and array for each (70,000 calls, 7 MB, in a 10,000-step file).
 */
function withSharedCallOptions(parser: object): void {
    const wrapper = (parser as { wrapper?: Partial<SubruleWrapper> }).wrapper;
    const wrapSubrule = wrapper?.wrapSubrule;
    if (!wrapper || typeof wrapSubrule !== 'function' || typeof wrapper.subrule !== 'function') {
        return;
    }
    wrapper.wrapSubrule = function (this: SubruleWrapper, idx: number, rule: unknown, args: unknown): unknown {
        return args === NO_ARGS ? this.subrule(idx, rule, NO_ARGS_OPTIONS) : wrapSubrule.call(this, idx, rule, args);
    };
}

/** Whether `grammar` passes nothing from rule to rule: no parameters, guards, unordered groups or infix rules. */
export function passesNoArguments(grammar: GrammarAST.Grammar): boolean {
    for (const rule of grammar.rules) {
        if (GrammarAST.isInfixRule(rule) || (GrammarAST.isParserRule(rule) && rule.parameters.length > 0)) {
            return false;
        }
    }
    for (const node of AstUtils.streamAllContents(grammar)) {
        if (GrammarAST.isUnorderedGroup(node) || (GrammarAST.isGroup(node) && node.guardCondition)
            || (GrammarAST.isRuleCall(node) && node.arguments.length > 0)) {
            return false;
        }
    }
    return true;
}

/** Langium's createParser: the rules of `grammar`, added to `parser`; built here when the grammar passes no arguments. */
export function createRuleParser<P extends LangiumParser>(grammar: GrammarAST.Grammar, parser: P, tokens: TokenTypeDictionary): P {
    if (!passesNoArguments(grammar)) {
        return createParser(grammar, parser, tokens);
    }
    const target = parser as unknown as RuleTarget;
    withSharedCallOptions(parser);
    const reachable = GrammarUtils.getAllReachableRules(grammar, false);
    for (const rule of grammar.rules) {
        if (GrammarAST.isParserRule(rule) && reachable.has(rule)) {
            const ctx: RuleContext = { parser: target, tokens, consume: 1, optional: 1, subrule: 1, many: 1, or: 1 };
            target.rule(rule, buildElement(ctx, rule.definition));
        }
    }
    return parser;
}

function buildElement(ctx: RuleContext, element: GrammarAST.AbstractElement): Method {
    let method: Method;
    if (GrammarAST.isKeyword(element)) {
        const idx = ctx.consume++;
        const token = tokenOf(ctx, element.value);
        method = () => ctx.parser.consume(idx, token, element);
    } else if (GrammarAST.isAction(element)) {
        const type = GrammarUtils.getTypeName(element);
        method = () => ctx.parser.action(type, element);
    } else if (GrammarAST.isAssignment(element)) {
        method = buildElement(ctx, element.terminal);
    } else if (GrammarAST.isCrossReference(element)) {
        method = buildCrossReference(ctx, element, element.terminal);
    } else if (GrammarAST.isRuleCall(element)) {
        method = buildRuleCall(ctx, element);
    } else if (GrammarAST.isAlternatives(element)) {
        method = buildAlternatives(ctx, element);
    } else if (GrammarAST.isGroup(element)) {
        const methods = element.elements.map((e) => buildElement(ctx, e));
        method = () => {
            for (let i = 0; i < methods.length; i++) {
                methods[i]!();
            }
        };
    } else if (GrammarAST.isEndOfFile(element)) {
        const idx = ctx.consume++;
        method = () => ctx.parser.consume(idx, EOF, element);
    } else {
        throw new Error(`kmflow's parser builder does not handle ${element.$type}`);
    }
    return repeated(ctx, method, element.cardinality);
}

/** A call of a rule that is one token of a set (token-sets.ts): its category consumed; none for another rule. */
function tokenSetCall(ctx: RuleContext, rule: GrammarAST.AbstractRule | undefined, feature: GrammarAST.AbstractElement): Method | undefined {
    const set = GrammarAST.isParserRule(rule) ? ctx.tokens[tokenSetName(rule)] : undefined;
    if (!set) {
        return undefined;
    }
    const idx = ctx.consume++;
    return () => ctx.parser.consume(idx, set, feature);
}

function buildRuleCall(ctx: RuleContext, ruleCall: GrammarAST.RuleCall): Method {
    const rule = ruleCall.rule.ref;
    const set = tokenSetCall(ctx, rule, ruleCall);
    if (set) {
        return set;
    }
    if (GrammarAST.isParserRule(rule)) {
        const idx = ctx.subrule++;
        const fragment = rule.fragment;
        let subrule: unknown;
        return () => {
            subrule ??= ruleOf(ctx, rule);
            ctx.parser.subrule(idx, subrule, fragment, ruleCall, NO_ARGS);
        };
    }
    if (GrammarAST.isTerminalRule(rule)) {
        const idx = ctx.consume++;
        const token = tokenOf(ctx, rule.name);
        return () => ctx.parser.consume(idx, token, ruleCall);
    }
    throw new Error(`Undefined rule: ${ruleCall.rule.$refText}`);
}

function buildCrossReference(ctx: RuleContext, crossRef: GrammarAST.CrossReference, terminal: GrammarAST.AbstractElement | undefined): Method {
    if (!terminal) {
        const type = crossRef.type.ref;
        if (!type) {
            throw new Error(`Could not resolve reference to type: ${crossRef.type.$refText}`);
        }
        const named = GrammarUtils.findNameAssignment(type)?.terminal;
        if (!named) {
            throw new Error(`Could not find name assignment for type: ${GrammarUtils.getTypeName(type)}`);
        }
        return buildCrossReference(ctx, crossRef, named);
    }
    const set = GrammarAST.isRuleCall(terminal) ? tokenSetCall(ctx, terminal.rule.ref, crossRef) : undefined;
    if (set) {
        return set;
    }
    if (GrammarAST.isRuleCall(terminal) && GrammarAST.isParserRule(terminal.rule.ref)) {
        // A data type rule.
        const rule = terminal.rule.ref;
        const idx = ctx.subrule++;
        let subrule: unknown;
        return () => {
            subrule ??= ruleOf(ctx, rule);
            ctx.parser.subrule(idx, subrule, false, crossRef, NO_ARGS);
        };
    }
    if (GrammarAST.isRuleCall(terminal) && GrammarAST.isTerminalRule(terminal.rule.ref)) {
        const idx = ctx.consume++;
        const token = tokenOf(ctx, terminal.rule.ref.name);
        return () => ctx.parser.consume(idx, token, crossRef);
    }
    if (GrammarAST.isKeyword(terminal)) {
        const idx = ctx.consume++;
        const token = tokenOf(ctx, terminal.value);
        return () => ctx.parser.consume(idx, token, crossRef);
    }
    throw new Error('Could not build cross reference parser');
}

/** An alternation: its choices made once (Langium makes them on every call, to pass its arguments on). */
function buildAlternatives(ctx: RuleContext, alternatives: GrammarAST.Alternatives): Method {
    if (alternatives.elements.length === 1) {
        return buildElement(ctx, alternatives.elements[0]!);
    }
    const choices = alternatives.elements.map((e) => ({ ALT: buildElement(ctx, e) }));
    const idx = ctx.or++;
    return () => ctx.parser.alternatives(idx, choices);
}

/** `method` repeated as its element's cardinality says, its definition made once. */
function repeated(ctx: RuleContext, method: Method, cardinality: GrammarAST.AbstractElement['cardinality']): Method {
    const def = { DEF: method };
    switch (cardinality) {
        case undefined:
            return method;
        case '*': {
            const idx = ctx.many++;
            return () => ctx.parser.many(idx, def);
        }
        case '+': {
            const idx = ctx.many++;
            return () => ctx.parser.atLeastOne(idx, def);
        }
        case '?': {
            const idx = ctx.optional++;
            return () => ctx.parser.optional(idx, def);
        }
    }
}

function ruleOf(ctx: RuleContext, rule: GrammarAST.ParserRule): unknown {
    const found = ctx.parser.getRule(rule.name);
    if (!found) {
        throw new Error(`Rule "${rule.name}" not found.`);
    }
    return found;
}

function tokenOf(ctx: RuleContext, name: string): TokenType {
    const token = ctx.tokens[name];
    if (!token) {
        throw new Error(`Token "${name}" not found.`);
    }
    return token;
}
