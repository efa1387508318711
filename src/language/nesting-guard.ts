/**
 * The parser is recursive descent: a few hundred nested brackets would overflow the
 * stack. Before parsing, brackets nested deeper than any real workflow needs are blanked
 * out (offsets and lines kept, so every position stays right) and reported as one
 * syntax error at the first bracket too deep.
 */
import type { AstNode, LangiumParser, ParseResult, ParserOptions } from 'langium';

export const MAX_NESTING = 64;

/** The offset of the first bracket nested deeper than `max`, outside strings and comments. */
export function firstTooDeep(text: string, max = MAX_NESTING): number {
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (ch === '"') {
            for (i++; i < text.length && text[i] !== '"' && text[i] !== '\n'; i++) {
                if (text[i] === '\\') {
                    i++;
                }
            }
        } else if (ch === '/' && text[i + 1] === '/') {
            while (i < text.length && text[i] !== '\n') {
                i++;
            }
        } else if (ch === '/' && text[i + 1] === '*') {
            const end = text.indexOf('*/', i + 2);
            i = end < 0 ? text.length : end + 1;
        } else if (ch === '(' || ch === '[' || ch === '{') {
            if (++depth > max) {
                return i;
            }
        } else if (ch === ')' || ch === ']' || ch === '}') {
            depth = Math.max(0, depth - 1);
        }
    }
    return -1;
}

/** Blanks the too-deep region from `from` to its matching close (or the end), keeping newlines. */
function blank(text: string, from: number): string {
    let depth = 0;
    let end = text.length;
    for (let i = from; i < text.length; i++) {
        const ch = text[i];
        if (ch === '(' || ch === '[' || ch === '{') {
            depth++;
        } else if ((ch === ')' || ch === ']' || ch === '}') && --depth === 0) {
            end = i + 1;
            break;
        }
    }
    return text.slice(0, from) + text.slice(from, end).replace(/[^\n]/g, ' ') + text.slice(end);
}

/** Wraps a parser's `parse` with the nesting guard. */
export function guardNesting(parser: LangiumParser): LangiumParser {
    const parse = parser.parse.bind(parser);
    parser.parse = <T extends AstNode>(input: string, options?: ParserOptions): ParseResult<T> => {
        const at = firstTooDeep(input);
        if (at < 0) {
            return parse<T>(input, options);
        }
        const result = parse<T>(blank(input, at), options);
        const line = input.slice(0, at).split('\n').length;
        const column = at - input.lastIndexOf('\n', at - 1);
        result.parserErrors.unshift({
            name: 'NestingError',
            message: `brackets nested more than ${MAX_NESTING} deep`,
            token: {
                image: input[at], startOffset: at, endOffset: at, startLine: line, endLine: line,
                startColumn: column, endColumn: column, tokenTypeIdx: 0, tokenType: { name: 'NESTING' },
            },
            resyncedTokens: [],
            context: { ruleStack: [], ruleOccurrenceStack: [] },
        } as unknown as ParseResult['parserErrors'][number]);
        return result;
    };
    return parser;
}
