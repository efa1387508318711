/**
 * A `test` block in the outline: its title (kind Event, apart from the tools' Function and
 * the steps' Method), `for WORKFLOW` as the detail, and as children what it is made of, in
 * the text's order: its `input` / `env` / `secret` values (a secret's value is never shown),
 * `replay` cassettes, `given` stubs with their first outcome, `expect` lines and `snapshot`.
 */
import { GrammarUtils, type AstNode, type CstNode } from 'langium';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { Given, Outcome, TestDecl } from '../generated/ast.js';
import { entryKey } from '../static-values.js';

/** How much of an expectation's text names it in the outline. */
const MAX_NAME = 80;

export function testSymbol(test: TestDecl): DocumentSymbol[] {
    const cst = test.$cstNode;
    if (!cst) {
        return [];
    }
    const title = GrammarUtils.findNodeForProperty(cst, 'title') ?? cst;
    const workflow = test.workflow?.$refText;
    const children: DocumentSymbol[] = [
        ...test.values.flatMap((v) => child(v, `${v.kind} ${entryKey(v.name)}`, SymbolKind.Variable, 'name')),
        ...GrammarUtils.findNodesForProperty(cst, 'replay').map((r) => leaf(`replay ${r.text}`, SymbolKind.File, r)),
        ...test.givens.flatMap((g) => child(g, givenName(g), SymbolKind.Method, g.tool ? 'tool' : 'step', outcomeText(g.outcomes[0]))),
        ...test.expects.flatMap((e) => child(e, `expect ${oneLine(e.expr?.$cstNode)}`, SymbolKind.Boolean, 'expr')),
        ...GrammarUtils.findNodesForProperty(cst, 'snapshot').map((r) => leaf('snapshot report', SymbolKind.Object, r)),
    ].sort((a, b) => compare(a.range.start, b.range.start));
    return [{
        name: test.title || '(untitled test)',
        detail: workflow ? `for ${workflow}` : undefined,
        kind: SymbolKind.Event,
        range: cst.range,
        selectionRange: title.range,
        children,
    }];
}

function child(node: AstNode, name: string, kind: SymbolKind, property: string, detail?: string): DocumentSymbol[] {
    const cst = node.$cstNode;
    if (!cst) {
        return [];
    }
    const selection = GrammarUtils.findNodeForProperty(cst, property) ?? cst;
    return [{ name, detail, kind, range: cst.range, selectionRange: selection.range }];
}

function leaf(name: string, kind: SymbolKind, cst: CstNode): DocumentSymbol {
    return { name, kind, range: cst.range, selectionRange: cst.range };
}

function givenName(given: Given): string {
    return given.tool ? `given tool ${given.tool.$refText}` : `given ${given.step?.$refText ?? ''}`;
}

/** `returns`, `fails "CODE"`, `times out` or `disconnects`, and `then …` when more follow. */
function outcomeText(outcome: Outcome | undefined): string | undefined {
    if (!outcome) {
        return undefined;
    }
    const first = outcome.fails ? `fails${outcome.code !== undefined ? ` "${outcome.code}"` : ''}`
        : outcome.timesOut ? 'times out' : outcome.disconnects ? 'disconnects' : 'returns';
    const rest = outcome.$container.outcomes.length > 1 ? ' then …' : '';
    return `${first}${outcome.count !== undefined ? ` ${outcome.count} times` : ''}${rest}`;
}

/** The node's text on one line, shortened. */
function oneLine(cst: CstNode | undefined): string {
    const flat = (cst?.text ?? '').replace(/\s+/g, ' ').trim();
    return flat.length > MAX_NAME ? `${flat.slice(0, MAX_NAME - 1)}…` : flat;
}

function compare(a: { line: number; character: number }, b: { line: number; character: number }): number {
    return a.line - b.line || a.character - b.character;
}
