/**
 * The lexer's loop, with words looked up instead of matched keyword by keyword. Chevrotain
 * tries, at each word, every keyword starting with its first letter (a sticky regular
 * expression each: `s` starts sixteen of them) before the identifier, then the identifier
 * as the keywords' longer alternative: ten tests a word, most of a 10,000-step file's
 * lexing. A word is read here once (`[_a-zA-Z]\w*`, the identifier's pattern) and is the
 * keyword it spells, else an identifier: what Chevrotain's first-match-then-longer-
 * alternative rule gives, given the conditions `planOf` checks on the token types (every
 * keyword that starts with a letter is a word with the identifier as its longer
 * alternative, and none comes after a keyword it is a prefix of). Anything else (a number,
 * a string, punctuation, a comment, a bad character) goes as in Chevrotain's loop, over its
 * own pattern configurations in their order; a bad character is an error with Chevrotain's
 * message, up to where some pattern matches again.
 *
 * When the token types are not as checked (another grammar), Chevrotain's loop is kept.
 * Written against Chevrotain's lexer of Langium 4.2.1's version (package.json pins it);
 * test/language/word-lexer.test.ts holds tokens and errors to Chevrotain's on random text.
 */
import type { Lexer as LangiumLexer } from 'langium';
import type { ILexingError, ILexingResult, IToken, TokenType } from 'chevrotain';

/** One pattern of Chevrotain's lexer (its `patternIdxToConfig`). */
interface PatternConfig {
    pattern: RegExp | string;
    longerAlt: number[] | undefined;
    short: number | false;
    isCustom: boolean;
    group: string | false | undefined;
    push: string | undefined;
    pop: boolean;
    tokenTypeIdx: number;
    tokenType: TokenType;
}

/** The members of Chevrotain's lexer this loop reads. */
interface ChevrotainLexer {
    patternIdxToConfig: Record<string, PatternConfig[]>;
    defaultMode: string;
    hasCustom: boolean;
    trackStartLines: boolean;
    lexerDefinitionErrors: unknown[];
    emptyGroups: Record<string, IToken[]>;
    config: {
        recoveryEnabled: boolean;
        errorMessageProvider: {
            buildUnexpectedCharactersMessage(text: string, offset: number, length: number, line?: number, column?: number, mode?: string): string;
        };
    };
    createTokenInstance(image: string, offset: number, tokenTypeIdx: number, tokenType: TokenType, ...rest: unknown[]): IToken;
    tokenize(text: string): ILexingResult;
}

/** How the loop goes for this lexer's patterns. */
interface Plan {
    /** Every keyword that is a word, by its text. */
    keywords: Map<string, PatternConfig>;
    /**
     * The same keywords by their first character's code (they all start with an ASCII
     * letter or `_`): a word is compared with these in place, and only an identifier's
     * text is cut from the document (most words of a file are keywords: 60,000 of the
     * 110,000 in a 10,000-step file were cut, hashed and looked up, then dropped).
     */
    keywordsByFirst: Array<Array<[string, PatternConfig]> | undefined>;
    /** The identifier's pattern. */
    word: PatternConfig;
    /** All patterns, in order (a bad character's end is where one matches). */
    all: PatternConfig[];
    /** For a character that starts no word: the patterns that may match there, in order (ASCII by code, the rest by map). */
    ascii: Array<PatternConfig[] | undefined>;
    candidates: Map<number, PatternConfig[]>;
    others: PatternConfig[];
}

const WORD = /^[_a-zA-Z]\w*$/;
const WORD_PATTERNS = new Set(['[_a-zA-Z][\\w]*', '[_a-zA-Z]\\w*']);
/** A pattern starting so cannot match at a word's first letter. */
const NOT_A_LETTER_FIRST = /^(\\s|\\\/|\[0-9\]|")/;

const isWordStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isWordChar = (c: number): boolean => isWordStart(c) || (c >= 48 && c <= 57);
/** What `\s` matches below 128: tab, line feed, vertical tab, form feed, carriage return, space. */
const isAsciiSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** `lexer` (Langium's, with Chevrotain inside), reading words once; unchanged when its patterns do not allow it. */
export function withWordLookup<L extends LangiumLexer>(lexer: L): L {
    const chevrotain = (lexer as unknown as { chevrotainLexer?: ChevrotainLexer }).chevrotainLexer;
    const plan = chevrotain ? planOf(chevrotain) : undefined;
    if (chevrotain && plan) {
        chevrotain.tokenize = (text: string) => tokenize(chevrotain, plan, text);
    }
    return lexer;
}

/** The plan for `lexer`'s patterns, or none when a word's token could differ from Chevrotain's. */
export function planOf(lexer: ChevrotainLexer): Plan | undefined {
    const modes = Object.keys(lexer.patternIdxToConfig ?? {});
    const all = lexer.patternIdxToConfig?.[lexer.defaultMode];
    if (modes.length !== 1 || !all || lexer.hasCustom || lexer.trackStartLines || (lexer.lexerDefinitionErrors?.length ?? 0) > 0
        || typeof lexer.createTokenInstance !== 'function') {
        return undefined;
    }
    const wordAt = all.findIndex((c) => c.pattern instanceof RegExp && WORD_PATTERNS.has(c.pattern.source));
    const word = all[wordAt];
    if (!word || word.group !== false || (word.longerAlt?.length ?? 0) > 0) {
        return undefined;
    }
    const keywords = new Map<string, PatternConfig>();
    const others: PatternConfig[] = [];
    for (let i = 0; i < all.length; i++) {
        const config = all[i]!;
        if (config.isCustom || config.push !== undefined || config.pop) {
            return undefined;
        }
        if (config.longerAlt?.some((k) => !(all[k]?.pattern instanceof RegExp))) {
            return undefined;
        }
        if (i === wordAt) {
            continue;
        }
        const text = config.tokenType.PATTERN;
        if (typeof text === 'string' && text.length > 0 && isWordStart(text.charCodeAt(0))) {
            // A keyword that is a word: before the identifier, the identifier its only longer
            // alternative, after no keyword that is its prefix.
            if (!WORD.test(text) || i > wordAt || config.group !== false || config.longerAlt?.length !== 1
                || config.longerAlt[0] !== wordAt || [...keywords.keys()].some((k) => text.startsWith(k))) {
                return undefined;
            }
            keywords.set(text, config);
            continue;
        }
        // Anything else before the identifier must not match at a letter.
        if (i < wordAt && typeof text !== 'string' && !(config.pattern instanceof RegExp && NOT_A_LETTER_FIRST.test(config.pattern.source))) {
            return undefined;
        }
        others.push(config);
    }
    const keywordsByFirst = new Array<Array<[string, PatternConfig]> | undefined>(128).fill(undefined);
    for (const [text, config] of keywords) {
        (keywordsByFirst[text.charCodeAt(0)] ??= []).push([text, config]);
    }
    return { keywords, keywordsByFirst, word, all, ascii: new Array<PatternConfig[] | undefined>(128).fill(undefined), candidates: new Map(), others };
}

/** The patterns that may match at a character starting no word, in order. */
function candidatesFor(plan: Plan, c: number): PatternConfig[] {
    let list = c < 128 ? plan.ascii[c] : plan.candidates.get(c);
    if (!list) {
        list = plan.others.filter((config) => typeof config.tokenType.PATTERN !== 'string' || config.tokenType.PATTERN.charCodeAt(0) === c);
        if (c < 128) {
            plan.ascii[c] = list;
        } else {
            plan.candidates.set(c, list);
        }
    }
    return list;
}

/** The length of `config`'s match at `offset`, or -1. */
function matchLength(config: PatternConfig, text: string, offset: number): number {
    if (config.short !== false) {
        return text.charCodeAt(offset) === config.short ? 1 : -1;
    }
    const pattern = config.pattern as RegExp;
    if (pattern.source === '\\s+') {
        // Whitespace, the commonest match: ASCII read here, the rest by the pattern.
        let end = offset;
        while (end < text.length && isAsciiSpace(text.charCodeAt(end))) {
            end++;
        }
        if (end === text.length || text.charCodeAt(end) < 128) {
            return end > offset ? end - offset : -1;
        }
    }
    pattern.lastIndex = offset;
    return pattern.test(text) ? pattern.lastIndex - offset : -1;
}

/**
 * About how many tokens `text` has: a workflow has one every 2.8 characters (a 10,000-step
 * file: 180,000 in 500,000), comments and strings fewer. A list made at this size and
 * trimmed to its tokens is copied at most once more; however few tokens a text has, the list
 * takes at most 3.2 bytes a character (8 a place).
 */
function expectedTokens(text: string): number {
    return Math.ceil(text.length / 2.5);
}

/** Chevrotain's `tokenize`, with the plan's words. */
function tokenize(lexer: ChevrotainLexer, plan: Plan, text: string): ILexingResult {
    // Made at about its size: grown by pushes, a 10,000-step file's list of 180,000 tokens
    // went through six copies of 21,000 to 239,000 places, 5.4 MB of memory touched once.
    const tokens = new Array<IToken>(expectedTokens(text));
    let count = 0;
    const errors: ILexingError[] = [];
    const groups: Record<string, IToken[]> = {};
    for (const name of Object.keys(lexer.emptyGroups)) {
        groups[name] = [];
    }
    const length = text.length;
    let offset = 0;
    while (offset < length) {
        const c = text.charCodeAt(offset);
        if (isWordStart(c)) {
            let end = offset + 1;
            while (end < length && isWordChar(text.charCodeAt(end))) {
                end++;
            }
            const keywords = plan.keywordsByFirst[c];
            let keyword: [string, PatternConfig] | undefined;
            for (let k = 0; keywords !== undefined && k < keywords.length; k++) {
                const candidate = keywords[k]!;
                if (candidate[0].length === end - offset && text.startsWith(candidate[0], offset)) {
                    keyword = candidate;
                    break;
                }
            }
            const image = keyword ? keyword[0] : text.slice(offset, end);
            const config = keyword ? keyword[1] : plan.word;
            tokens[count++] = lexer.createTokenInstance(image, offset, config.tokenTypeIdx, config.tokenType);
            offset = end;
            continue;
        }
        let matched: PatternConfig | undefined;
        let matchedLength = -1;
        const candidates = candidatesFor(plan, c);
        for (let i = 0; i < candidates.length; i++) {
            const config = candidates[i]!;
            matchedLength = matchLength(config, text, offset);
            if (matchedLength === -1) {
                continue;
            }
            matched = config;
            const longer = config.longerAlt;
            for (let k = 0; longer !== undefined && k < longer.length; k++) {
                const alternative = plan.all[longer[k]!]!;
                const altLength = matchLength(alternative, text, offset);
                if (altLength > matchedLength) {
                    matched = alternative;
                    matchedLength = altLength;
                    break;
                }
            }
            break;
        }
        if (matched) {
            const group = matched.group;
            if (group !== undefined) {
                const image = typeof matched.pattern === 'string' ? matched.pattern : text.substring(offset, offset + matchedLength);
                const token = lexer.createTokenInstance(image, offset, matched.tokenTypeIdx, matched.tokenType);
                if (group === false) {
                    tokens[count++] = token;
                } else {
                    groups[group]!.push(token);
                }
            }
            offset += matchedLength;
            continue;
        }
        // As Chevrotain: skip to where some pattern matches, one error for the characters skipped.
        const start = offset;
        let resynced = !lexer.config.recoveryEnabled;
        while (!resynced && offset < length) {
            offset++;
            resynced = offset < length && matchesAt(plan, text, offset);
        }
        const message = lexer.config.errorMessageProvider.buildUnexpectedCharactersMessage(text, start, offset - start, undefined, undefined, lexer.defaultMode);
        errors.push({ offset: start, line: undefined, column: undefined, length: offset - start, message });
        if (!lexer.config.recoveryEnabled) {
            break;
        }
    }
    tokens.length = count;
    return { tokens, groups, errors };
}

/** Whether any pattern matches at `offset`. */
function matchesAt(plan: Plan, text: string, offset: number): boolean {
    const c = text.charCodeAt(offset);
    return isWordStart(c) || candidatesFor(plan, c).some((config) => matchLength(config, text, offset) !== -1);
}
