/**
 * `${expr}` interpolation inside string literals. The lexer keeps a string one token; its
 * embedded expressions are parsed here with the same parser (entry rule `Expression`),
 * with their offsets in the document, so checks point at the right column.
 */
import { AstUtils, type LangiumCoreServices } from 'langium';
import type { Expression, Literal } from './generated/ast.js';
import { ParseCache } from './parse-cache.js';

export interface TextPart {
    text: string;
}

export interface ExprPart {
    /** The parsed expression; undefined when it did not parse. */
    expr?: Expression;
    source: string;
    /** Document offset of the expression's first character (after `${`). */
    offset: number;
    errors: string[];
}

export type TemplatePart = TextPart | ExprPart;

/** Per parse: the parts hold document offsets, which move when an edit above re-parses a block. */
const cache = new ParseCache<Literal, TemplatePart[] | undefined>();

/** What parsing one embedded source gave: shared by every `${}` with the same text. */
interface ParsedSource {
    expr?: Expression;
    errors: string[];
}

/**
 * Embedded expressions by source text, per parser: a document re-parsed after a keystroke
 * has new literals but mostly the same `${}` texts. The ASTs are read-only and never
 * linked, and their CST offsets are relative to the source, so sharing them is safe.
 * Bounded, least recently used first out.
 */
const parsedBySource = new WeakMap<LangiumCoreServices, Map<string, ParsedSource>>();
const MAX_CACHED_SOURCES = 8192;

export function isExprPart(part: TemplatePart): part is ExprPart {
    return 'source' in part;
}

/**
 * The parts of a string literal, or undefined when it has no interpolation. Text parts
 * are unescaped; `\$` keeps a literal dollar.
 */
export function templateParts(services: LangiumCoreServices, node: Literal): TemplatePart[] | undefined {
    // Escapes only ever turn `\$` into `$`, so a raw `${` is still `${` in the value: most
    // strings are ruled out without reading the CST.
    if (node.str === undefined || !node.str.includes('${')) {
        return undefined;
    }
    return cache.get(node, () => {
        const cst = node.$cstNode;
        const raw = cst?.text;
        return raw && raw.includes('${') ? split(services, raw, cst!.offset) : undefined;
    });
}

/**
 * The parts of a quoted string token's raw text (quotes included) starting at document
 * offset `tokenOffset`: for strings that are no Literal node (a server's `url`, `cwd`).
 */
export function templatePartsOfToken(services: LangiumCoreServices, raw: string, tokenOffset: number): TemplatePart[] {
    return split(services, raw, tokenOffset);
}

function split(services: LangiumCoreServices, raw: string, tokenOffset: number): TemplatePart[] {
    const parts: TemplatePart[] = [];
    const body = raw.slice(1, -1);
    let text = '';
    let i = 0;
    while (i < body.length) {
        const ch = body[i];
        if (ch === '\\' && i + 1 < body.length) {
            text += unescape(body[i + 1]);
            i += 2;
            continue;
        }
        if (ch === '$' && body[i + 1] === '{') {
            const end = closingBrace(body, i + 2);
            const source = body.slice(i + 2, end < 0 ? body.length : end);
            if (text) {
                parts.push({ text });
                text = '';
            }
            parts.push(parseEmbedded(services, source, tokenOffset + 1 + i + 2, end < 0));
            i = end < 0 ? body.length : end + 1;
            continue;
        }
        text += ch;
        i++;
    }
    if (text) {
        parts.push({ text });
    }
    return parts;
}

function closingBrace(body: string, from: number): number {
    let depth = 0;
    for (let i = from; i < body.length; i++) {
        if (body[i] === '{') {
            depth++;
        } else if (body[i] === '}') {
            if (depth === 0) {
                return i;
            }
            depth--;
        }
    }
    return -1;
}

function parseEmbedded(services: LangiumCoreServices, source: string, offset: number, unclosed: boolean): ExprPart {
    if (unclosed) {
        return { source, offset, errors: ["'${' is not closed by '}'"] };
    }
    if (source.trim() === '') {
        return { source, offset, errors: ["empty '${}'"] };
    }
    const parsed = parseSource(services, source);
    return { expr: parsed.expr, source, offset, errors: parsed.errors };
}

function parseSource(services: LangiumCoreServices, source: string): ParsedSource {
    let sources = parsedBySource.get(services);
    if (!sources) {
        sources = new Map();
        parsedBySource.set(services, sources);
    }
    let parsed = sources.get(source);
    if (parsed) {
        // Most recently used last.
        sources.delete(source);
        sources.set(source, parsed);
        return parsed;
    }
    const result = services.parser.LangiumParser.parse<Expression>(source, { rule: 'Expression' });
    const errors = [
        ...result.lexerErrors.map((e) => e.message),
        ...result.parserErrors.map((e) => e.message),
    ];
    parsed = { expr: errors.length === 0 ? result.value : undefined, errors };
    if (sources.size >= MAX_CACHED_SOURCES) {
        sources.delete(sources.keys().next().value!);
    }
    sources.set(source, parsed);
    return parsed;
}

function unescape(ch: string): string {
    switch (ch) {
        case 'n': return '\n';
        case 't': return '\t';
        case 'r': return '\r';
        default: return ch;
    }
}

/** Every expression node inside `root`, including those embedded in its strings. */
export function* allExpressions(services: LangiumCoreServices, root: Expression): Generator<Expression> {
    for (const node of AstUtils.streamAst(root)) {
        yield node as Expression;
        if (node.$type === 'Literal') {
            for (const part of templateParts(services, node as Literal) ?? []) {
                if (isExprPart(part) && part.expr) {
                    yield* allExpressions(services, part.expr);
                }
            }
        }
    }
}
