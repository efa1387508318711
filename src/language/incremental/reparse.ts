/**
 * Re-parses only the top-level blocks an edit touches, and splices them into the
 * document's tree, when that gives exactly what a full parse of the new text would.
 *
 * The region re-parsed starts at the last top-level node whose first character (its
 * keyword) the edit leaves alone, and ends with the closing `}` of the first block after
 * the edit that it leaves alone (or of the next, or the one after: each wider region is
 * tried when a narrower one could not be shown exact), or at the end of the text. Then:
 *
 * - the text before the region lexes and parses as before: it is unchanged, its last node
 *   ended before the region's keyword, and that keyword is still there;
 * - every error of the previous parse lies inside the region, after its first token (the
 *   rest parsed cleanly, and each top-level node starts where the previous one's `}` left
 *   the parser; an error at the keyword may be the node before's, a missing `}`);
 * - the region parses alone exactly as inside the whole text (region-parse.ts: no lexer
 *   error, nothing that could lex on past it, no look past its last token before that `}`
 *   is taken), and that `}` closes the region's last block itself;
 * - so the parser leaves the region where it left it before, and the text after it parses
 *   as before: its nodes are kept, moved by the edit's length.
 *
 * Otherwise it answers undefined and the caller parses the whole text. The property test
 * (test/language/incremental-parse.test.ts) holds the spliced tree, its CST and errors to a
 * full parse, and the document's links and diagnostics to a full rebuild, over thousands
 * of random edits. Whatever is cached per AST node must be cached per parse
 * (parse-cache.ts): the nodes outside the region are kept, and those after it have moved.
 */
import type { AstNode, AstReflection, CstNode, LangiumParser, ParseResult, RootCstNode } from 'langium';
import { isDocument, type Document } from '../generated/ast.js';
import { spliceTopLevel, topLevelChildren, type Shift } from './cst-splice.js';
import { parseRegion } from './region-parse.js';

const PROPERTIES = ['imports', 'servers', 'tools', 'workflows', 'tests'] as const;
type TopLevel = Document[typeof PROPERTIES[number]][number];

/** How many blocks after the edit a region may take in, before the end of the text. */
const MAX_BLOCKS = 3;

/** Where two texts differ: `[start, oldEnd)` of the old one became `[start, newEnd)` of the new one. */
export interface ChangedSpan {
    start: number;
    oldEnd: number;
    newEnd: number;
}

/** The span between the longest common prefix and the longest common suffix; undefined when equal. */
export function changedSpan(before: string, after: string): ChangedSpan | undefined {
    if (before === after) {
        return undefined;
    }
    const max = Math.min(before.length, after.length);
    let start = 0;
    while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) {
        start++;
    }
    let tail = 0;
    while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) {
        tail++;
    }
    return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}

/**
 * The parse of `text`, made from `previous` (the parse of `previousText`, which it updates
 * in place) by re-parsing the region the change falls in; undefined when that cannot be
 * shown to equal a full parse, and `previous` is then untouched.
 */
export function reparseIncrementally(parser: LangiumParser, reflection: AstReflection, previous: ParseResult<AstNode>,
    previousText: string, text: string): ParseResult<AstNode> | undefined {
    const root = previous.value;
    const span = changedSpan(previousText, text);
    if (!span || !isDocument(root) || !root.$cstNode || (previous.lexerReport?.diagnostics.length ?? 0) > 0) {
        return undefined;
    }
    const children = topLevelChildren(root.$cstNode);
    let first = -1;
    for (let i = 0; i < children.length && children[i]!.offset < span.start; i++) {
        if (!children[i]!.hidden) {
            first = i;
        }
    }
    if (first < 0) {
        return undefined;
    }
    const ends: Array<number | undefined> = [];
    for (let j = first; j < children.length && ends.length < MAX_BLOCKS; j++) {
        const child = children[j]!;
        if (!child.hidden && child.end > span.oldEnd && endsWithClosingBrace(child)) {
            ends.push(j);
        }
    }
    if (ends.length < MAX_BLOCKS) {
        ends.push(undefined);
    }
    for (const last of ends) {
        const result = reparseRegion(parser, previous, root, first, last, previousText, text);
        if (result !== 'wider') {
            if (result) {
                orderProperties(root, reflection);
            }
            return result;
        }
    }
    return undefined;
}

/** Re-parses the root's children `first` to `last` (to the end of the text when undefined). */
function reparseRegion(parser: LangiumParser, previous: ParseResult<AstNode>, root: Document, first: number, last: number | undefined,
    previousText: string, text: string): ParseResult<AstNode> | 'wider' | undefined {
    const rootCst = root.$cstNode as RootCstNode;
    const children = topLevelChildren(rootCst);
    const toEnd = last === undefined;
    const start = children[first]!.offset;
    const oldEnd = toEnd ? previousText.length : children[last]!.end;
    // After the region's first token; at the end of the text, an error at the end (NaN) too.
    const inside = (offset: number): boolean => (toEnd ? !(offset <= start) : offset > start && offset < oldEnd);
    if (!previous.lexerErrors.every((e) => inside(e.offset)) || !previous.parserErrors.every((e) => inside(e.token.startOffset))) {
        return 'wider';
    }
    const regionText = text.slice(start, oldEnd + text.length - previousText.length);
    const at = children[first]!.range.start;
    const parsed = parseRegion(parser, text, regionText, { offset: start, line: at.line, character: at.character }, toEnd);
    if (parsed === undefined || parsed === 'wider') {
        return parsed;
    }
    const fresh = topLevelChildren(parsed.value.$cstNode!);
    const lastFresh = fresh[fresh.length - 1];
    if (!toEnd && (!lastFresh || lastFresh.hidden || lastFresh.end !== start + regionText.length || !closesItself(lastFresh))) {
        return 'wider';
    }
    const to = toEnd ? children.length - 1 : last;
    const replaced = new Set(children.slice(first, to + 1).filter((c) => !c.hidden).map((c) => c.astNode));
    spliceDeclarations(root, parsed.value, replaced, start);
    const shift = toEnd ? { offset: 0 } : shiftAfter(children[last]!, start, regionText);
    spliceTopLevel(rootCst, first, to, fresh, text, shift);
    return { value: root, parserErrors: parsed.parserErrors, lexerErrors: [], lexerReport: { diagnostics: [] } };
}

/** In each of the document's lists, the declarations of the region replaced by the fresh document's. */
function spliceDeclarations(root: Document, fresh: Document, replaced: Set<AstNode>, start: number): void {
    for (const property of PROPERTIES) {
        const list = root[property] as TopLevel[];
        let from = list.findIndex((n) => replaced.has(n));
        let count = 0;
        if (from < 0) {
            from = list.filter((n) => n.$cstNode !== undefined && n.$cstNode.offset < start).length;
        } else {
            while (from + count < list.length && replaced.has(list[from + count]!)) {
                count++;
            }
        }
        const added = fresh[property] as TopLevel[];
        if (count === 0 && added.length === 0) {
            continue;
        }
        list.splice(from, count, ...added);
        for (let k = from; k < list.length; k++) {
            Object.assign(list[k]!, { $container: root, $containerProperty: property, $containerIndex: k });
        }
    }
}

/**
 * The document's properties in the order a full parse makes them (traversals follow
 * `Object.keys`): the kinds of declaration in the order of their first occurrence in the
 * text, then the empty lists in the order of the type's metadata (Langium's
 * assignMandatoryProperties). An edit may change which kind comes first.
 */
function orderProperties(root: Document, reflection: AstReflection): void {
    const seen: string[] = [];
    for (const child of topLevelChildren(root.$cstNode!)) {
        const property = child.hidden ? undefined : child.astNode.$containerProperty;
        if (property && !seen.includes(property)) {
            seen.push(property);
        }
    }
    for (const property of Object.values(reflection.getTypeMetaData(root.$type).properties)) {
        if (!seen.includes(property.name)) {
            seen.push(property.name);
        }
    }
    const record = root as unknown as Record<string, unknown>;
    const current = Object.keys(root).filter((k) => !k.startsWith('$'));
    if (current.length === seen.length && current.every((k, i) => k === seen[i])) {
        return;
    }
    for (const key of seen) {
        const value = record[key];
        delete record[key];
        record[key] = value;
    }
}

/** The node's last leaf is a `}` ending it. */
function endsWithClosingBrace(cst: CstNode): boolean {
    let node: CstNode | undefined = cst;
    while (node && 'content' in node) {
        const content: CstNode[] = (node as { content: CstNode[] }).content;
        node = content[content.length - 1];
    }
    return node !== undefined && !node.hidden && node.end === cst.end && node.text === '}';
}

/** The block's last child is its own `}` (not a nested block's, with its own missing). */
function closesItself(cst: CstNode): boolean {
    const content = (cst as unknown as { content?: CstNode[] }).content;
    const last = content?.[content.length - 1];
    return last !== undefined && !('content' in last) && !last.hidden && last.text === '}' && last.end === cst.end;
}

/** How the text after the region moved: from the region's old end to its new one. */
function shiftAfter(lastOld: CstNode, start: number, regionText: string): Shift {
    return { offset: start + regionText.length - lastOld.end };
}
