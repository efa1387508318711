/**
 * The lexer, making tokens that become the CST's leaves (lean-cst.ts's `LeanLeafCstNode`)
 * and counting no lines: Chevrotain's `onlyOffset` tracking, with our token in place of
 * its object. A 50,000-step file is 1,000,000 tokens; Chevrotain's own (9 fields, with
 * lines and columns) took 195 MB that lived beside the tree until the parse ended, which
 * made the parse the peak of a big `kmflow check` or `run`.
 *
 * The few places that need a token's line and column get them from its offset: the
 * errors of a parse are placed once it ends (`placeProblems`), before anyone reads them
 * (Langium's validator and formatter read `line`/`column` and `startLine`/`startColumn`).
 *
 * Written against Chevrotain's lexer of Langium 4.2.1's version (package.json pins it):
 * `withLeanTokens` checks the members it sets are there, and fails loudly if not.
 */
import { DefaultLexer, isTokenTypeDictionary, type LangiumCoreServices, type Lexer as LangiumLexer, type RootCstNode } from 'langium';
import { Lexer as ChevrotainLexer, type ILexingError, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import { LeanLeafCstNode, lineStartsOf, positionIn } from './lean-cst.js';

/** The members of Chevrotain's lexer its constructor sets from `positionTracking`. */
interface ChevrotainLexerInternals {
    trackStartLines: boolean;
    trackEndLines: boolean;
    computeNewColumn(column: number, length: number): number;
    updateTokenEndLineColumnLocation(...args: unknown[]): void;
    createTokenInstance(image: string, startOffset: number, tokenTypeIdx: number, tokenType: TokenType): IToken;
}

/**
 * A token of `image` at `startOffset`. A keyword's image is its pattern, one string for all
 * its tokens (Langium's keyword patterns are their text): a 50,000-step file has 250,000
 * keywords of four or five letters, each a string of its own as the lexer cut it.
 */
function makeToken(image: string, startOffset: number, tokenTypeIdx: number, tokenType: TokenType): IToken {
    const pattern = tokenType.PATTERN;
    return new LeanLeafCstNode(typeof pattern === 'string' && pattern === image ? pattern : image, startOffset, tokenTypeIdx, tokenType);
}

/** `lexer` (Langium's), making lean tokens and tracking offsets only. */
export function withLeanTokens<L extends LangiumLexer>(lexer: L): L {
    const chevrotain = (lexer as unknown as { chevrotainLexer?: Partial<ChevrotainLexerInternals> }).chevrotainLexer;
    if (!chevrotain || typeof chevrotain.trackStartLines !== 'boolean' || typeof chevrotain.createTokenInstance !== 'function'
        || typeof chevrotain.computeNewColumn !== 'function' || typeof chevrotain.updateTokenEndLineColumnLocation !== 'function') {
        throw new Error('kmflow: Chevrotain\'s lexer is not the one lean-tokens.ts was written against (see package.json\'s pinned Langium)');
    }
    // What Chevrotain's constructor chooses for `positionTracking: 'onlyOffset'`.
    chevrotain.trackStartLines = false;
    chevrotain.trackEndLines = false;
    chevrotain.computeNewColumn = (column) => column;
    chevrotain.updateTokenEndLineColumnLocation = () => undefined;
    chevrotain.createTokenInstance = makeToken;
    return lexer;
}

/**
 * Langium's lexer, as DefaultLexer's constructor in Langium 4.2.1 makes it, with Chevrotain's
 * lexer made for offsets only (lean tokens count no lines) and without its first-character
 * optimisation, which the word lexer does without (word-lexer.ts reads words itself and
 * finds the other patterns by their first character): Chevrotain's lexer is built in
 * 10 ms instead of 15, on every start.
 */
export function createLeanLexer(services: LangiumCoreServices): DefaultLexer {
    const lexer = Object.create(DefaultLexer.prototype) as DefaultLexer;
    const fields = lexer as unknown as Record<string, unknown> & { toTokenTypeDictionary(t: unknown): unknown };
    fields.errorMessageProvider = services.parser.LexerErrorMessageProvider;
    fields.tokenBuilder = services.parser.TokenBuilder;
    const tokens = services.parser.TokenBuilder.buildTokens(services.Grammar, { caseInsensitive: services.LanguageMetaData.caseInsensitive });
    fields.tokenTypes = fields.toTokenTypeDictionary(tokens);
    const lexerTokens = isTokenTypeDictionary(tokens) ? Object.values(tokens) : tokens;
    fields.chevrotainLexer = new ChevrotainLexer(lexerTokens, {
        positionTracking: 'onlyOffset',
        safeMode: true,
        skipValidations: services.LanguageMetaData.mode === 'production',
        errorMessageProvider: services.parser.LexerErrorMessageProvider,
    });
    return lexer;
}

/** A lean token's copy with Chevrotain's lines and columns (1-based, the end at the last character). */
function placedToken(token: IToken, at: (offset: number) => { line: number; character: number }): IToken {
    if (!(token instanceof LeanLeafCstNode) || Number.isNaN(token.startOffset)) {
        return token;
    }
    const start = at(token.startOffset);
    const end = at(token.endOffset);
    return {
        image: token.image, startOffset: token.startOffset, endOffset: token.endOffset,
        startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1,
        tokenTypeIdx: token.tokenTypeIdx, tokenType: token.tokenType,
    };
}

/**
 * Gives a parse's errors the lines and columns of the text under `root` (the parse's
 * root): lexer errors their `line` and `column`, parser errors copies of their tokens with
 * them (not the leaves themselves, which stay lean). The line starts are the root's own,
 * which its nodes' ranges read later.
 */
export function placeProblems(root: RootCstNode, lexerErrors: readonly ILexingError[], parserErrors: readonly IRecognitionException[]): void {
    if (lexerErrors.length === 0 && parserErrors.length === 0) {
        return;
    }
    const starts = lineStartsOf(root);
    const at = (offset: number) => positionIn(starts, offset);
    for (const error of lexerErrors) {
        if (error.line === undefined || error.column === undefined) {
            const p = at(error.offset);
            error.line = p.line + 1;
            error.column = p.character + 1;
        }
    }
    for (const error of parserErrors) {
        error.token = placedToken(error.token, at);
        const withPrevious = error as IRecognitionException & { previousToken?: IToken };
        if (withPrevious.previousToken) {
            withPrevious.previousToken = placedToken(withPrevious.previousToken, at);
        }
    }
}
