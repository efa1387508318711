/**
 * The parser is recursive descent, and Langium walks the tree it builds recursively: a
 * few hundred nested brackets, unary operators (`- - - 1`, `not not x`) or a long chain
 * of binary operators (`1 + 1 + … + 1`, a left-deep tree) would overflow the stack.
 * Before parsing, every region nested deeper than any real workflow needs is blanked out
 * (offsets and lines kept, so every position stays right) and reported as one syntax
 * error at its start. The completion parser, which reads the text up to the cursor, gets
 * the same treatment. Should the parser throw all the same, the document parses as empty
 * with one error, and the parser is reset: one that threw keeps its rule stack, and every
 * later parse would throw too.
 */
import type { AstNode, LangiumCompletionParser, LangiumParser, ParseResult, ParserOptions } from 'langium';

export const MAX_NESTING = 64;

/** At most this many regions are reported (all of them are blanked). */
const MAX_REPORTED = 20;

/** A region too deep: `[start, end)`, opened by a bracket or by one operator too many. */
export interface DeepRegion {
    start: number;
    end: number;
    kind: 'bracket' | 'operator';
}

// The grammar's terminals, so that the scan sees strings and comments where the lexer does:
// an unclosed `"` or `/*` is one bad character to the lexer, and what follows is code.
const STRING = /"(\\.|[^"\\\r\n])*"/y;
const SL_COMMENT = /\/\/[^\n\r]*/y;
const NUMBER = /[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?\w*/y;
/**
 * Blanks and words other than `and`, `or` and `not`, as many as follow each other: none of
 * them counts, and they are most of a file's characters. A command scans a file once, its
 * code not yet optimised: skipped by the regular expression engine, a 10,000-step file
 * takes 13-16 ms instead of 23-34 (warmed up, as in the language server, 6 ms instead of 3).
 */
const PLAIN = /(?:[ \t\r\n]+|(?!(?:and|or|not)(?!\w))[A-Za-z_]\w*)+/y;

// Characters by code: the scan reads every character of a document before it is parsed.
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isWordStart = (c: number): boolean => isLetter(c) || c === 95; /* _ */
const isWordChar = (c: number): boolean => isWordStart(c) || isDigit(c);

/** The end of the word (`[A-Za-z_]\w*`) that starts at `at`. */
function wordEnd(text: string, at: number): number {
    let end = at + 1;
    while (end < text.length && isWordChar(text.charCodeAt(end))) {
        end++;
    }
    return end;
}

/** Whether the word of `length` at `at` is `and`, `or` or `not`. */
function isWordOperator(text: string, at: number, length: number): boolean {
    return length === 2 ? text.startsWith('or', at) : length === 3 && (text.startsWith('and', at) || text.startsWith('not', at));
}

/**
 * The regions nested deeper than `max`, outside strings and comments. Depth counts open
 * brackets plus the operators met in each open bracket since its last `,` or `:` (one
 * expression's operators each add a level to its tree). A bracket region ends at its
 * matching close; an operator region at the end of its expression (the next `,` or `:`,
 * or the close of the bracket it is in), exclusive. Operators outside every bracket count
 * only in an `expression` (a `${}` source); in a document only declarations' headers are there.
 */
export function deepRegions(text: string, max = MAX_NESTING, expression = false): DeepRegion[] {
    const regions: DeepRegion[] = [];
    const ops = [0]; // operators per open bracket level; [0] is outside every bracket
    let total = 0;
    let region: DeepRegion | undefined;
    let stopAt = 0; // the number of levels at which the region being blanked ends
    const startRegion = (at: number, kind: DeepRegion['kind']): void => {
        region = { start: at, end: text.length, kind };
        regions.push(region);
        stopAt = kind === 'bracket' ? ops.length - 1 : ops.length;
    };
    const endRegion = (at: number): void => {
        region!.end = at;
        region = undefined;
    };
    const resetLevel = (): void => {
        total -= ops[ops.length - 1]!;
        ops[ops.length - 1] = 0;
    };
    let noCloseAfter = text.length; // no `*/` from here on: every later `/*` is unclosed
    let i = 0;
    while (i < text.length) {
        const code = text.charCodeAt(i);
        if (code === 32 || code === 10 || code === 13 || code === 9 || isWordStart(code)) {
            PLAIN.lastIndex = i;
            if (PLAIN.test(text)) {
                i = PLAIN.lastIndex;
                continue;
            }
            // an operator word: below
        }
        const ch = text[i]!;
        const at = i;
        const skip = ch === '"' ? matchAt(STRING, text, i) : ch === '/' && text[i + 1] === '/' ? matchAt(SL_COMMENT, text, i) : -1;
        if (skip > i) {
            i = skip;
            continue;
        }
        if (ch === '/' && text[i + 1] === '*' && i + 2 <= noCloseAfter) {
            const end = text.indexOf('*/', i + 2);
            if (end >= 0) {
                i = end + 2;
                continue;
            }
            noCloseAfter = i + 1;
        }
        let operator = false;
        if (ch === '(' || ch === '[' || ch === '{') {
            ops.push(0);
            if (!region && ops.length - 1 + total > max) {
                startRegion(at, 'bracket');
            }
        } else if (ch === ')' || ch === ']' || ch === '}') {
            if (region && ops.length === stopAt + (region.kind === 'operator' ? 0 : 1)) {
                if (region.kind === 'operator') {
                    endRegion(at);
                } else {
                    endRegion(at + 1);
                }
            }
            if (ops.length > 1) {
                total -= ops.pop()!;
            }
        } else if (ch === ',' || ch === ':') {
            if (region?.kind === 'operator' && ops.length === stopAt) {
                endRegion(at);
            }
            resetLevel();
        } else if (isDigit(text.charCodeAt(i))) {
            NUMBER.lastIndex = i;
            NUMBER.exec(text);
            i = NUMBER.lastIndex;
            continue;
        } else if (isWordStart(text.charCodeAt(i))) {
            const end = wordEnd(text, i);
            operator = isWordOperator(text, i, end - i);
            i = end;
        } else if ('+-*/<>'.includes(ch) || ((ch === '=' || ch === '!') && text[i + 1] === '=')) {
            operator = true;
            if (text[i + 1] === '=') {
                i++;
            }
        }
        if (operator && !region && (ops.length > 1 || expression)) {
            ops[ops.length - 1]!++;
            total++;
            if (ops.length - 1 + total > max) {
                startRegion(at, 'operator');
            }
        }
        i = Math.max(i, at + 1);
    }
    return regions;
}

/** The end of `terminal`'s match at `at`, or -1. */
function matchAt(terminal: RegExp, text: string, at: number): number {
    terminal.lastIndex = at;
    return terminal.test(text) ? terminal.lastIndex : -1;
}

/** The offset of the first region nested deeper than `max`, or -1. */
export function firstTooDeep(text: string, max = MAX_NESTING): number {
    return deepRegions(text, max)[0]?.start ?? -1;
}

/** The text with every region blanked, newlines kept. */
function blank(text: string, regions: DeepRegion[]): string {
    let out = '';
    let from = 0;
    for (const r of regions) {
        out += text.slice(from, r.start) + text.slice(r.start, r.end).replace(/[^\n]/g, ' ');
        from = r.end;
    }
    return out + text.slice(from);
}

function nestingError(text: string, r: DeepRegion): ParseResult['parserErrors'][number] {
    return parserError(text, r.start, r.kind === 'bracket' ? `brackets nested more than ${MAX_NESTING} deep`
        : `expression nested more than ${MAX_NESTING} deep (brackets and operators)`);
}

function parserError(text: string, at: number, message: string): ParseResult['parserErrors'][number] {
    const line = text.slice(0, at).split('\n').length;
    const column = at - text.lastIndexOf('\n', at - 1);
    return {
        name: 'NestingError',
        message,
        token: {
            image: text[at] ?? '', startOffset: at, endOffset: at, startLine: line, endLine: line,
            startColumn: column, endColumn: column, tokenTypeIdx: 0, tokenType: { name: 'NESTING' },
        },
        resyncedTokens: [],
        context: { ruleStack: [], ruleOccurrenceStack: [] },
    } as unknown as ParseResult['parserErrors'][number];
}

/** Wraps a parser's `parse` with the nesting guard (and a last resort, should it throw). */
export function guardNesting(parser: LangiumParser): LangiumParser {
    const parse = parser.parse.bind(parser);
    parser.parse = <T extends AstNode>(input: string, options?: ParserOptions): ParseResult<T> => {
        // An entry rule other than the document's (`Expression`, for `${}`) parses an expression.
        const regions = deepRegions(input, MAX_NESTING, options?.rule !== undefined);
        let result: ParseResult<T>;
        try {
            result = parse<T>(regions.length === 0 ? input : blank(input, regions), options);
        } catch (err) {
            const state = parser as unknown as { stack: unknown[]; unorderedGroups?: Map<string, unknown> };
            state.stack.length = 0;
            state.unorderedGroups?.clear();
            result = parse<T>(blank(input, [{ start: 0, end: input.length, kind: 'bracket' }]), options);
            result.parserErrors.unshift(parserError(input, 0, `the parser failed on this text (${(err as Error).message})`));
        }
        result.parserErrors.unshift(...regions.slice(0, MAX_REPORTED).map((r) => nestingError(input, r)));
        return result;
    };
    return parser;
}

/** Wraps the completion parser's `parse` (the text before the cursor) with the same guard. */
export function guardCompletionNesting(parser: LangiumCompletionParser): LangiumCompletionParser {
    const parse = parser.parse.bind(parser);
    parser.parse = (input: string) => {
        const regions = deepRegions(input);
        try {
            return parse(regions.length === 0 ? input : blank(input, regions));
        } catch {
            // Nothing to complete from: what the start of a document offers.
            return parse('');
        }
    };
    return parser;
}
