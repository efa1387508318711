/**
 * The options of kmflow's blocks, read from the grammar (kmflow.langium, as Langium
 * generated it) instead of listed by hand, so an option added to the grammar reaches the
 * formatter, the semantic tokens and the repeated-option check at once.
 *
 * A block is a rule with a body in braces, `'{' ( option | option | ... )* '}'`: each
 * alternative of the body is an option, named by its first keyword (`'timeout'
 * timeout+=DURATION`; a flag's own word, `public+='public'`). An option whose property is
 * assigned once per occurrence takes one value, so a repeat overrides the earlier one
 * (`timeout 5s`); one assigned more than once makes a list (`requires a, b`).
 */
import { AstUtils, GrammarAST } from 'langium';
import { KmflowGrammar } from './generated/grammar.js';

/** The rules with a body of options in braces. */
export type BlockType = 'Server' | 'ToolDecl' | 'Workflow' | 'Step' | 'FailureRule' | 'Compensation' | 'TestDecl';

export interface BlockOption {
    /** The word that starts the option; undefined for a nested rule (`failure { }`, `each x in`, `step`). */
    keyword?: string;
    /** The AST property the option's value goes to. */
    property: string;
    /** One value per occurrence (a repeat overrides it), rather than a list. */
    single: boolean;
}

interface BlockTables {
    options: Map<string, BlockOption[]>;
    /** Every keyword inside a body (`timeout`, `backoff`, `always`, `,`), by identity. */
    bodyKeywords: Set<GrammarAST.AbstractElement>;
}

let tables: BlockTables | undefined;

/** The element after the rule's own `{`: the body of options. */
function bodyOf(rule: GrammarAST.ParserRule): GrammarAST.AbstractElement | undefined {
    const open = AstUtils.streamAst(rule.definition).find((e) => GrammarAST.isKeyword(e) && e.value === '{');
    const group = open?.$container;
    if (!open || !GrammarAST.isGroup(group)) {
        return undefined;
    }
    return group.elements[group.elements.indexOf(open as GrammarAST.AbstractElement) + 1];
}

function firstKeyword(element: GrammarAST.AbstractElement | undefined): string | undefined {
    if (GrammarAST.isKeyword(element)) {
        return element.value;
    }
    if (GrammarAST.isAssignment(element)) {
        return firstKeyword(element.terminal);
    }
    return GrammarAST.isGroup(element) ? firstKeyword(element.elements[0]) : undefined;
}

function optionOf(alternative: GrammarAST.AbstractElement): BlockOption | undefined {
    const assignments = AstUtils.streamAst(alternative).filter(GrammarAST.isAssignment).toArray();
    const first = assignments[0];
    if (!first) {
        return undefined;
    }
    const keyword = firstKeyword(alternative);
    const single = assignments.filter((a) => a.feature === first.feature).length === 1;
    return { ...(keyword !== undefined && { keyword }), property: first.feature, single };
}

function build(): BlockTables {
    const options = new Map<string, BlockOption[]>();
    const bodyKeywords = new Set<GrammarAST.AbstractElement>();
    for (const rule of KmflowGrammar().rules.filter(GrammarAST.isParserRule)) {
        const body = bodyOf(rule);
        if (!body) {
            continue;
        }
        const alternatives = GrammarAST.isAlternatives(body) ? body.elements : [body];
        options.set(rule.name, alternatives.flatMap((a) => optionOf(a) ?? []));
        AstUtils.streamAst(body).filter(GrammarAST.isKeyword).forEach((k) => bodyKeywords.add(k));
    }
    return { options, bodyKeywords };
}

/** The options of a block, in grammar order. */
export function blockOptions(type: BlockType): readonly BlockOption[] {
    tables ??= build();
    return tables.options.get(type) ?? [];
}

/** The words that start an option of a block (`timeout`, `public`, ...). */
export function optionKeywords(type: BlockType): ReadonlySet<string> {
    return new Set(blockOptions(type).flatMap((o) => o.keyword ?? []));
}

/** Whether a CST node's grammar source is a keyword of a block's body (an option word, `backoff`, `always`...). */
export function isBodyKeyword(source: GrammarAST.AbstractElement | undefined): boolean {
    tables ??= build();
    return source !== undefined && tables.bodyKeywords.has(source);
}
