/**
 * The tuned parser (src/language/parser-tuning.ts) parses as Langium's own does: the
 * grammar passes Chevrotain's checks in development mode (which the runtime skips), and
 * the AST, its values, its containers and the CST (places, ranges, comments, grammar
 * elements, containers: lean-cst.ts's nodes) and the errors' places are the same as with
 * Langium's lexer, rule builder, value converter and CST builder, but for one thing: a rule
 * that is one token of a set (token-sets.ts) is that token's leaf, where Langium's has a
 * node of the rule holding the leaf (the same place, text and grammar element).
 */
import { describe, expect, it } from 'vitest';
import {
    AstUtils, CstUtils, DefaultLexer, DefaultValueConverter, EmptyFileSystem, GrammarAST, GrammarUtils, URI, createLangiumParser, inject,
    type AstNode, type CompositeCstNode, type CstNode, type LangiumParser,
} from 'langium';
import { createDefaultModule } from 'langium/lsp';
import { createLangiumGrammarServices } from 'langium/grammar';
import { passesNoArguments } from '../../src/language/parser-rules.js';
import { tokenSetLabel, tokenSetRules } from '../../src/language/token-sets.js';
import type { IToken } from 'chevrotain';
import { createKmflowServices, KmflowModule } from '../../src/language/kmflow-module.js';
import { createKmflowCoreServices } from '../../src/language/kmflow-core-module.js';
import { KmflowGeneratedModule, KmflowLanguageMetaData } from '../../src/language/generated/module.js';
import { BUNDLED_CATALOGS } from '../../src/language/catalogs.js';

const SAMPLE = `// a comment first
import "./shared"
/* a block
   comment */
workflow w "Title" {
    input n: number = 1.5e3 // trailing
    input flag: boolean = true
    step a uses log { with { message: "a \\"quoted\\" \\n \${input.n}" } } // after a
    // before b
    step b uses json.query { with { input: { x: [1, 2.5, -3] }, expression: "x" } after a }
    step c uses assert { with { condition: not a.ok or b.output == 2 } }
}
`;

/**
 * Names that are keywords elsewhere (a rule of one token of a set, token-sets.ts, takes
 * them), value sets, booleans, and a name missing where one must be.
 */
const SOFT = `tool list.get { category cost capabilities on, off status live security high }
workflow cost {
    mode parallel
    step list uses list.get { with { flag: true, other: false, "quoted \\"key\\"": 1, true: null, input: list.output.in } cache on }
    step tool uses log { after list parallel_group high requires on, off ensures list }
    step step uses log { after tool, list always when list.ok == false }
}
test "t" for cost {
    given tool log fails "E" "m"
    given list returns { ok: true }
    expect list.ok == true and tool.ok != false
}
workflow missing { step uses log { after , } }
`;

/** Langium's own parser, in development mode (grammar checks on), with its own value converter. */
function langiumParser(): LangiumParser {
    const { shared } = createKmflowServices(EmptyFileSystem);
    const services = inject(createDefaultModule({ shared }), KmflowGeneratedModule, KmflowModule, {
        LanguageMetaData: () => KmflowLanguageMetaData,
        parser: {
            LangiumParser: (s) => createLangiumParser(s),
            ValueConverter: () => new DefaultValueConverter(),
            Lexer: (s) => new DefaultLexer(s),
        },
    });
    return services.parser.LangiumParser;
}

function tuned(): LangiumParser {
    return createKmflowServices(EmptyFileSystem).Kmflow.parser.LangiumParser;
}

/** The AST as plain data (no containers, no CST). */
function plain(node: unknown): unknown {
    if (Array.isArray(node)) {
        return node.map(plain);
    }
    if (node && typeof node === 'object' && '$refText' in node) {
        // A reference, with its node's place, text and grammar element.
        const { $refText, $refNode } = node as { $refText: string; $refNode?: CstNode };
        return { $refText, $refNode: $refNode && `${$refNode.offset}:${$refNode.length}:${$refNode.text}:${$refNode.grammarSource?.$type}` };
    }
    if (node && typeof node === 'object') {
        return Object.fromEntries(Object.entries(node as AstNode)
            .filter(([k]) => !['$container', '$cstNode', '$containerProperty', '$containerIndex', '$document'].includes(k))
            .map(([k, v]) => [k, plain(v)]));
    }
    return node;
}

const at = (p: { line: number; character: number }): string => `${p.line}.${p.character}`;

/** The rules kmflow's parser takes as one token (token-sets.ts). */
const TOKEN_SETS = tokenSetRules(createKmflowCoreServices(EmptyFileSystem).Grammar);
const TOKEN_SET_RULES = new Set([...TOKEN_SETS.keys()].map((r) => r.name));

/**
 * A parse error's message from Langium's parser as kmflow's says it: where Langium lists
 * every token of a token-set rule one by one (`Expecting: one of these possible Token
 * sequences: 1. [ID] 2. [command] ... but found: ','`), kmflow's names the set
 * (`Expecting \`a name\` but found \`,\`.`). Any other message is left as it is.
 */
function asKmflowSays(message: string): string {
    const listed = /^Expecting: one of these possible Token sequences:\n((?:\s*\d+\. \[[^\]\s]+\]\n)+)but found: '(.*)'$/s.exec(message);
    if (!listed) {
        return message;
    }
    const tokens = new Set([...listed[1]!.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!));
    for (const [rule, names] of TOKEN_SETS) {
        if (names.size === tokens.size && [...names].every((n) => tokens.has(n))) {
            return `Expecting \`${tokenSetLabel(rule, names)}\` but found \`${listed[2]}\`.`;
        }
    }
    return message;
}

/** Whether `node` is Langium's node of a rule kmflow's parser takes as one token (its leaf stands in its place there). */
function isTokenSetNode(node: CstNode | undefined): boolean {
    let source = node?.grammarSource;
    if (GrammarAST.isCrossReference(source)) {
        source = source.terminal;
    }
    return node !== undefined && 'content' in node && GrammarAST.isRuleCall(source) && TOKEN_SET_RULES.has(source.rule.ref?.name ?? '');
}

/**
 * Whether `node` is a link of a chain of rule calls, which kmflow's tree leaves out
 * (cst-folding.ts): a node of one child, of a call of a rule that makes an object (not a
 * data type rule's text) not assigned to anything, whose object became its caller's (it has
 * no AST node of its own).
 */
function isChainLink(node: CstNode): boolean {
    const source = node.grammarSource;
    return 'content' in node && (node as CompositeCstNode).content.length === 1
        && typeof (node as { _astNode?: AstNode })._astNode?.$type !== 'string'
        && GrammarAST.isRuleCall(source) && GrammarAST.isParserRule(source.rule.ref) && !GrammarUtils.isDataTypeRule(source.rule.ref)
        && AstUtils.getContainerOfType(source, GrammarAST.isAssignment) === undefined;
}

/** Whether `node` is a cross-reference's node over one token, whose leaf kmflow's tree has in its place (cst-folding.ts). */
function isOneLeafReference(node: CstNode | undefined): boolean {
    const content = node && 'content' in node ? (node as CompositeCstNode).content : [];
    return GrammarAST.isCrossReference(node?.grammarSource) && content.length === 1 && !('content' in content[0]!);
}

/** The node `node` is under, a chain link's place taken by its child. */
function containerOf(node: CstNode): CstNode | undefined {
    let container = node.container;
    while (container && isChainLink(container)) {
        container = container.container;
    }
    return container;
}

const placeOf = (node: CstNode | undefined): string => (node ? `${node.offset}:${node.length}` : 'root');

/**
 * Every CST node in tree order: place, range, whether hidden, text, grammar element, node,
 * and its container's place. What a token-set rule's node, or a cross-reference's node over
 * one token, holds is left out: the node stands for the one leaf kmflow's parser has
 * there; and so is a link of a chain of rule calls, whose child kmflow's tree has in its
 * place (under the link's container).
 */
function cst(node: AstNode): string[] {
    return CstUtils.streamCst(node.$cstNode!).filter((n) => !isTokenSetNode(n.container) && !isOneLeafReference(n.container) && !isChainLink(n)).map((n) => [
        n.offset, n.length, n.end, `${at(n.range.start)}-${at(n.range.end)}`, n.hidden, n.text, n.grammarSource?.$type,
        n.astNode.$type, placeOf(containerOf(n)), n.root === node.$cstNode!.root,
    ].join(':')).toArray();
}

/** Every AST node's place in its container (sorted: the big types' templates order their properties as the metadata does). */
function containers(node: AstNode): string[] {
    return AstUtils.streamAst(node).map((n) => `${n.$type} in ${n.$container?.$type}.${n.$containerProperty}[${n.$containerIndex}] at ${n.$cstNode?.offset}`).toArray().sort();
}

/** Brackets and operators nested as deep as the nesting guard lets through, and an infix chain. */
const DEEP = `workflow deep {
    step a uses log { with { message: ${'('.repeat(40)}1${')'.repeat(40)} } }
    step b uses log { with { message: 1 + 2 * 3 - 4 + 5 * (6 - 7) / 8 } }
    step c uses log { with { message: ${'- '.repeat(30)}1, extra: [[[[1, [2]], 3]]] } }
}
`;

describe('the tuned parser', () => {
    it('has a grammar that passes Chevrotain\'s checks in development mode', () => {
        expect(() => langiumParser()).not.toThrow();
        expect(tuned()).toBeDefined();
    });

    it('gives the same AST, values and CST as Langium\'s parser, comments included', () => {
        const theirs = langiumParser();
        for (const mine of [tuned(), createKmflowCoreServices(EmptyFileSystem).parser.LangiumParser]) {
            for (const text of [SAMPLE, DEEP, SOFT, ...BUNDLED_CATALOGS.map((c) => c.source), 'workflow broken { step uses }', 'workflow w { step a uses log { with { x: [1, } } }']) {
                const a = mine.parse(text);
                const b = theirs.parse(text);
                expect(plain(a.value)).toEqual(plain(b.value));
                expect(cst(a.value)).toEqual(cst(b.value));
                expect(containers(a.value)).toEqual(containers(b.value));
                expect(a.parserErrors.map((e) => e.message)).toEqual(b.parserErrors.map((e) => asKmflowSays(e.message)));
            }
        }
        // Langium's tree has chain links and one-token references' nodes; kmflow's has neither.
        const links = (value: AstNode): number => CstUtils.streamCst(value.$cstNode!).filter((n) => isChainLink(n) || isOneLeafReference(n)).count();
        expect(links(theirs.parse(SAMPLE).value)).toBeGreaterThan(5);
        expect(links(tuned().parse(SAMPLE).value)).toBe(0);
        const comments = cst(tuned().parse(SAMPLE).value).filter((n) => n.includes(':true:'));
        expect(comments.length).toBeGreaterThanOrEqual(5);
        // A missing name is said in one line, where Langium lists a hundred tokens.
        expect(tuned().parse(SOFT).parserErrors.map((e) => e.message)).toEqual(expect.arrayContaining(['Expecting `a name` but found `,`.', 'Expecting `a name` but found `}`.']));
    });

    it('takes a name, a key, a boolean and a value of a set as one token, and a tool id (dots) as a rule', () => {
        expect([...TOKEN_SET_RULES].sort()).toEqual(expect.arrayContaining(['Bool', 'ExecutionMode', 'Key', 'Name', 'OnOff', 'SoftKeyword']));
        expect(TOKEN_SET_RULES.has('ToolId')).toBe(false);
        // A quoted key's value is unquoted, as its string's rule converts it.
        const entries = (tuned().parse('workflow w { step a uses log { with { "a \\"b\\"": 1, c: 2 } } }').value as unknown as {
            workflows: Array<{ steps: Array<{ with: Array<{ entries: Array<{ key: string }> }> }> }>;
        }).workflows[0]!.steps[0]!.with[0]!.entries;
        expect(entries.map((e) => e.key)).toEqual(['a "b"', 'c']);
        const name = [...TOKEN_SETS].find(([rule]) => rule.name === 'Name')![1];
        expect(name.has('ID') && name.has('list') && name.has('tool')).toBe(true);
        // In the tree, a step's name is its token's leaf, under the step's node.
        const step = (tuned().parse('workflow w { step list uses log }').value as unknown as { workflows: Array<{ steps: AstNode[] }> }).workflows[0]!.steps[0]!;
        const leaf = CstUtils.findLeafNodeAtOffset(step.$cstNode!, 'workflow w { step '.length)!;
        expect([leaf.text, leaf.container === step.$cstNode, (leaf.grammarSource as GrammarAST.RuleCall).rule.ref?.name]).toEqual(['list', true, 'Name']);
    });

    it('places lexer and parser errors where Langium\'s lexer does, though its tokens count no lines', () => {
        const theirs = langiumParser();
        const mine = tuned();
        const broken = [
            'workflow broken { step uses }',
            'workflow w {\n    step a uses log { with { x: [1, } } }\n',
            'workflow w {\r\n  step a § uses log\r\n  step b ¤¤ uses log {\n}\n',
            'workflow w {\n  step a uses log { with { message: "two\nlines" extra } }\n}',
            '/* a comment\n over lines */ workflow w { step a uses log { with { x: 1 }',
            'workflow w {\n\n\n  step',
            '',
        ];
        const places = (text: string, parser: LangiumParser): unknown => {
            const result = parser.parse(text);
            return {
                lexer: result.lexerErrors.map((e) => [e.offset, e.line, e.column, e.length]),
                parser: result.parserErrors.map((e) => {
                    const previous = (e as { previousToken?: IToken }).previousToken;
                    return [
                        Number.isNaN(e.token.startOffset) ? 'none' : CstUtils.tokenToRange(e.token),
                        previous && !Number.isNaN(previous.startOffset) ? [previous.endLine, previous.endColumn] : 'none',
                    ];
                }),
            };
        };
        let errors = 0;
        for (const text of broken) {
            const want = places(text, theirs) as { lexer: unknown[]; parser: unknown[] };
            errors += want.lexer.length + want.parser.length;
            expect(places(text, mine), text).toEqual(want);
        }
        expect(errors).toBeGreaterThanOrEqual(8);
    });

    it('builds its rules without arguments only for a grammar that passes none (else Langium builds them)', async () => {
        const { grammar } = createLangiumGrammarServices(EmptyFileSystem);
        const parse = (text: string, n: number): GrammarAST.Grammar => grammar.shared.workspace.LangiumDocumentFactory
            .fromString<GrammarAST.Grammar>(text, URI.parse(`memory:/g${n}.langium`)).parseResult.value;
        const terminal = '\nterminal ID: /[a-z]+/;';
        expect(passesNoArguments(createKmflowCoreServices(EmptyFileSystem).Grammar)).toBe(true);
        expect(passesNoArguments(parse(`grammar G\nentry R: a=ID (b=ID)?;${terminal}`, 1))).toBe(true);
        expect(passesNoArguments(parse(`grammar G\nentry R<P>: a=ID;${terminal}`, 2))).toBe(false);
        expect(passesNoArguments(parse(`grammar G\nentry R: (a=ID & b=ID);${terminal}`, 3))).toBe(false);
        expect(passesNoArguments(parse(`grammar G\nentry R: S<true>;\nS<P>: <P> a=ID;${terminal}`, 4))).toBe(false);
    });

    it('shares one frozen empty list between nodes, which a node taking a rule\'s place gets back as its own', () => {
        const parser = tuned();
        const doc = parser.parse('workflow w {\n  step a uses log\n  step b uses log\n}\n').value as unknown as {
            workflows: Array<{ steps: Array<Record<string, unknown[]>> }>;
        };
        const [a, b] = doc.workflows[0]!.steps;
        expect(a!.after).toHaveLength(0);
        expect(a!.after).toBe(b!.after);
        expect(Object.isFrozen(a!.after)).toBe(true);
        const merged = (parser as unknown as { assignWithoutOverride(t: object, s: object): Record<string, unknown[]> })
            .assignWithoutOverride(a!, { $type: 'Step' });
        expect(merged.after).not.toBe(b!.after);
        merged.after!.push('x');
        expect(b!.after).toHaveLength(0);
    });

    it('holds no tokens once a parse is over (the CLI\'s and the MCP face\'s services)', () => {
        const parser = createKmflowCoreServices(EmptyFileSystem).parser.LangiumParser;
        parser.parse(SAMPLE);
        expect((parser as unknown as { wrapper: { input: unknown[] } }).wrapper.input).toHaveLength(0);
    });
});
