/**
 * Formatting: four spaces per level inside `{}`, one option per line in server, tool,
 * workflow, step and test bodies, `, ` and `key: value`. Objects and lists stay on one line
 * when written on one line; otherwise one entry per line. Blank lines and comments are
 * kept. Idempotent: formatting formatted text changes nothing.
 */
import type { AstNode, CstNode, LangiumDocument, MaybePromise } from 'langium';
import { AbstractFormatter, Formatting, type FormattingAction, type FormattingContext, type NodeFormatter } from 'langium/lsp';
import type { DocumentFormattingParams, FormattingOptions, TextEdit } from 'vscode-languageserver';
import {
    isCompensation, isDocument, isEntry, isInputDecl, isListLit, isObjectLit, isServer, isStep, isTestDecl, isTestValue, isToolDecl, isWorkflow,
} from '../generated/ast.js';
import type { KmflowServices } from '../kmflow-module.js';
import { optionKeywords } from '../grammar-options.js';
import { directKeywords } from './kmflow-semantic-token-provider.js';

/** A new line at the node's level plus one, keeping blank lines the user left. */
const INDENTED_LINE: FormattingAction = { options: {}, moves: [{ tabs: 1 }] };
/** A new line at the node's own level, keeping blank lines. */
const SAME_LEVEL_LINE: FormattingAction = { options: {}, moves: [{ tabs: 0 }] };
/** One space before an object that opens an option's value; its contents indent one more. */
const SPACE_THEN_BLOCK: FormattingAction = { options: {}, moves: [{ characters: 1, tabs: 1 }] };

/** Keywords that start an option of each body, from the grammar (structural words such as `uses` do not). */
const OPTION_KEYWORDS = new Map<string, ReadonlySet<string>>(
    (['Server', 'ToolDecl', 'Workflow', 'Step', 'Compensation', 'TestDecl'] as const).map((t) => [t, optionKeywords(t)]));

/** Child nodes that are options of their own: each starts a line. */
const OPTION_NODES = new Set(['InputDecl', 'Step', 'EachClause', 'Compensation', 'TestValue', 'Given', 'Expect']);

export class KmflowFormatter extends AbstractFormatter {
    constructor(_services: KmflowServices) {
        super();
    }

    override formatDocument(document: LangiumDocument, params: DocumentFormattingParams): MaybePromise<TextEdit[]> {
        const options: FormattingOptions = { ...params.options, tabSize: 4, insertSpaces: true };
        const edits = super.formatDocument(document, { ...params, options }) as TextEdit[];
        if (edits.length === 0) {
            return [];
        }
        const before = document.textDocument.getText();
        const after = reindentCommentLines(applyEdits(document, edits));
        if (after === before) {
            return [];
        }
        const end = document.textDocument.positionAt(before.length);
        return [{ range: { start: { line: 0, character: 0 }, end }, newText: after }];
    }

    protected format(node: AstNode): void {
        const f = this.getNodeFormatter(node);
        if (isDocument(node)) {
            const tops = (node.$cstNode as CstNode & { content: CstNode[] } | undefined)?.content.filter((c) => !c.hidden) ?? [];
            f.cst(tops.slice(1)).prepend(SAME_LEVEL_LINE);
        } else if (isServer(node) || isToolDecl(node) || isWorkflow(node) || isStep(node) || isCompensation(node) || isTestDecl(node)) {
            this.formatBlock(node, f);
        } else if (isObjectLit(node) || isListLit(node)) {
            this.formatCollection(node, f);
        } else if (isEntry(node)) {
            f.keyword(':').prepend(Formatting.noSpace()).append(Formatting.oneSpace());
        } else if (isInputDecl(node)) {
            f.keyword(':').prepend(Formatting.noSpace()).append(Formatting.oneSpace());
            f.keyword('=').surround(Formatting.oneSpace());
        } else if (isTestValue(node)) {
            f.keyword('=').surround(Formatting.oneSpace());
        }
    }

    protected formatBlock(node: AstNode, f: NodeFormatter<AstNode>): void {
        const children = (node.$cstNode as CstNode & { content?: CstNode[] } | undefined)?.content ?? [];
        const open = children.find((c) => c.text === '{' && c.grammarSource?.$type === 'Keyword');
        if (!open) {
            return;
        }
        const close = [...children].reverse().find((c) => c.text === '}' && c.grammarSource?.$type === 'Keyword');
        const keywords = OPTION_KEYWORDS.get(node.$type)!;
        const starters = children.filter((c) => c.offset > open.offset && !c.hidden && (
            (c.grammarSource?.$type === 'Keyword' && keywords.has(c.text)) || (OPTION_NODES.has(c.astNode.$type) && c.astNode.$cstNode === c)));
        f.cst([open]).prepend(Formatting.oneSpace());
        f.cst(starters).prepend(INDENTED_LINE);
        if (close) {
            f.cst([close]).prepend(starters.length > 0 ? SAME_LEVEL_LINE : Formatting.noSpace());
        }
        f.cst(directKeywords(node.$cstNode).filter((k) => k.text === ',')).prepend(Formatting.noSpace()).append(Formatting.oneSpace());
        // An object opening an option's value (`with {`, `input_schema {`): its lines indent from the option's.
        for (const c of children) {
            if (c.astNode !== node && (isObjectLit(c.astNode) || isListLit(c.astNode)) && c.astNode.$cstNode === c) {
                f.cst([c]).prepend(SPACE_THEN_BLOCK);
            }
        }
    }

    protected formatCollection(node: AstNode, f: NodeFormatter<AstNode>): void {
        const [openText, closeText] = isObjectLit(node) ? ['{', '}'] : ['[', ']'];
        const open = f.keyword(openText);
        const close = f.keyword(closeText);
        const items = (isObjectLit(node) ? node.entries : isListLit(node) ? node.items : []).map((i) => i.$cstNode!).filter(Boolean);
        const commas = f.keywords(',');
        commas.prepend(Formatting.noSpace());
        const o = open.nodes[0];
        const c = close.nodes[0];
        if (!o || !c) {
            return;
        }
        if (items.length === 0) {
            close.prepend(Formatting.noSpace());
        } else if (o.range.start.line !== c.range.start.line) {
            f.cst(items).prepend(INDENTED_LINE);
            close.prepend(SAME_LEVEL_LINE);
        } else {
            const inner = isObjectLit(node) ? Formatting.oneSpace() : Formatting.noSpace();
            open.append(inner);
            close.prepend(inner);
            commas.append(Formatting.oneSpace());
        }
    }

    // Comments stay where they are; `reindentCommentLines` aligns whole-line ones afterwards.
    protected override createHiddenTextEdits(_previous: CstNode | undefined, _hidden: CstNode, _formatting: FormattingAction | undefined,
        _context: FormattingContext): TextEdit[] {
        return [];
    }
}

function applyEdits(document: LangiumDocument, edits: TextEdit[]): string {
    const text = document.textDocument;
    const sorted = edits
        .map((e) => ({ start: text.offsetAt(e.range.start), end: text.offsetAt(e.range.end), newText: e.newText }))
        .sort((a, b) => a.start - b.start || a.end - b.end);
    let result = '';
    let at = 0;
    const source = text.getText();
    for (const e of sorted) {
        if (e.start < at) {
            continue;
        }
        result += source.slice(at, e.start) + e.newText;
        at = e.end;
    }
    return result + source.slice(at);
}

/** A `//` line takes the indentation of the code line after it (one level in, before a `}`). */
export function reindentCommentLines(text: string): string {
    const lines = text.split('\n');
    let next = '';
    for (let i = lines.length - 1; i >= 0; i--) {
        const line = lines[i]!;
        const trimmed = line.trim();
        if (trimmed.startsWith('//')) {
            lines[i] = next + trimmed;
        } else if (trimmed !== '' && !trimmed.startsWith('*') && !trimmed.startsWith('/*')) {
            const indent = /^ */.exec(line)![0];
            next = /^[}\]]/.test(trimmed) ? `${indent}    ` : indent;
        }
    }
    return lines.join('\n');
}
