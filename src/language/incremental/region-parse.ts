/**
 * Parses a region of a document's text as a document of its own, with its tokens placed
 * where they are in the whole text (so the tree's offsets, ranges and text are the
 * document's), and refuses whatever the text around the region could have changed:
 *
 * - a lexer error, or a `/*` not lexed as a comment (in the whole text it would run on to
 *   a later `*\/`), or a region not ending with its `}` token;
 * - a region nested deeper than the nesting guard allows (its errors are placed by it);
 * - a look past the region's last token before the parser took it: Chevrotain reads every
 *   token through `LA` (lookahead, consume, error recovery), and what lies past the
 *   region is the end of the input here but the next block in the whole text.
 *
 * A region that runs to the end of the text has nothing after it: only the lexer errors
 * are refused there.
 */
import type { LangiumParser, Lexer, LexerResult, ParseResult } from 'langium';
import type { Document } from '../generated/ast.js';
import { deepRegions } from '../nesting-guard.js';
import { innerParse } from '../container-links.js';

type IToken = LexerResult['tokens'][number];

/** What the parser reads tokens through (Chevrotain's LexerAdapter). */
interface TokenReader {
    LA(howMuch: number): IToken;
    currIdx: number;
    tokVectorLength: number;
}

interface ParserInternals {
    lexer: Lexer;
    stack: unknown[];
    unorderedGroups?: Map<string, unknown>;
    wrapper: TokenReader;
}

/** Where a region starts in the document: offset, and the line and character of that offset. */
export interface RegionStart {
    offset: number;
    line: number;
    character: number;
}

/**
 * The region's parse; `'wider'` when the parser looked past the region (a wider region may
 * do), undefined when the text around it could otherwise have made it differ.
 */
export function parseRegion(parser: LangiumParser, text: string, regionText: string, at: RegionStart,
    toEnd: boolean): ParseResult<Document> | 'wider' | undefined {
    if (deepRegions(regionText).length > 0) {
        return undefined;
    }
    const internals = parser as unknown as ParserInternals;
    const lexer = internals.lexer;
    const lexed = lexer.tokenize(regionText);
    if (lexed.errors.length > 0 || (lexed.report?.diagnostics.length ?? 0) > 0) {
        return undefined;
    }
    if (!toEnd) {
        const last = lexed.tokens[lexed.tokens.length - 1];
        if (!last || last.image !== '}' || last.endOffset !== regionText.length - 1 || opensUnclosedComment(regionText, lexed)) {
            return undefined;
        }
    }
    for (const token of [...lexed.tokens, ...lexed.hidden]) {
        place(token, at);
    }
    // The parser's own `parse` (not the nesting guard's wrapper, which checked above), fed these tokens.
    const parse = innerParse(parser);
    internals.lexer = { definition: lexer.definition, tokenize: (): LexerResult => lexed };
    const wrapper = internals.wrapper;
    const lookahead = wrapper.LA;
    let lookedPast = false;
    if (!toEnd) {
        wrapper.LA = function (this: TokenReader, howMuch: number) {
            if (this.currIdx + howMuch >= this.tokVectorLength && this.currIdx < this.tokVectorLength - 1) {
                lookedPast = true;
            }
            return lookahead.call(this, howMuch);
        };
    }
    try {
        const result = parse.call(parser, text) as ParseResult<Document>;
        return lookedPast ? 'wider' : result.lexerErrors.length > 0 ? undefined : result;
    } catch {
        internals.stack.length = 0;
        internals.unorderedGroups?.clear();
        return undefined;
    } finally {
        internals.lexer = lexer;
        delete (wrapper as Partial<TokenReader>).LA;
    }
}

/** A `/*` that is neither a comment's start nor inside a string or comment. */
function opensUnclosedComment(regionText: string, lexed: LexerResult): boolean {
    for (let i = regionText.indexOf('/*'); i >= 0; i = regionText.indexOf('/*', i + 1)) {
        const covered = lexed.tokens.some((t) => t.startOffset <= i && i + 1 <= t.endOffset!)
            || lexed.hidden.some((t) => t.startOffset <= i && i + 1 <= t.endOffset!);
        if (!covered) {
            return true;
        }
    }
    return false;
}

/**
 * Moves a token lexed from the region (offsets from 0) to its place in the document: a
 * lean token (lean-tokens.ts) has only its offset; its end follows, and its line and
 * column are worked out from the document's text if an error names it.
 */
function place(token: IToken, at: RegionStart): void {
    token.startOffset += at.offset;
}
