/** The nesting guard's last resort: a parser that throws is reset, and the text parses as empty with one error. */
import { describe, expect, it } from 'vitest';
import type { LangiumParser, ParseResult } from 'langium';
import { deepRegions, guardNesting } from '../../src/language/nesting-guard.js';

describe('guardNesting', () => {
    it('turns a parser that throws into one error and resets its rule stack', () => {
        const seen: string[] = [];
        const stub = {
            stack: [] as unknown[],
            parse(text: string): ParseResult {
                seen.push(text);
                if (this.stack.length > 0) {
                    throw new Error('Parser stack is not empty after parsing');
                }
                if (text.includes('boom')) {
                    this.stack.push({}, {});
                    throw new RangeError('Maximum call stack size exceeded');
                }
                return { value: { $type: 'Document' }, lexerErrors: [], parserErrors: [] } as unknown as ParseResult;
            },
        };
        const parser = guardNesting(stub as unknown as LangiumParser);
        const result = parser.parse('workflow boom\n{ }');
        expect(result.parserErrors.map((e) => e.message)).toEqual(['the parser failed on this text (Maximum call stack size exceeded)']);
        expect(seen[1]).toBe('             \n   ');
        expect(parser.parse('workflow w { }').parserErrors).toEqual([]);
    });
});

describe('deepRegions', () => {
    it('counts operators outside brackets only in an expression', () => {
        const chain = `${'-'.repeat(100)}1`;
        expect(deepRegions(chain)).toEqual([]);
        expect(deepRegions(chain, 64, true)).toEqual([{ start: 64, end: chain.length, kind: 'operator' }]);
    });

    it('finds nothing in ordinary expressions, strings and comments', () => {
        const text = 'workflow w { step a uses log { when a.ok and not b.ok or x.n + 2 * 3 >= 4 with { m: "((((((", n: -1 } } } // ((((\n';
        expect(deepRegions(text, 10)).toEqual([]);
        expect(deepRegions(text, 8)).toHaveLength(1);
    });

    it('counts `and`, `or` and `not` as operators only as whole words', () => {
        // Three operators in one bracket: a level for the bracket and one for each; the
        // region starts at the one too many and ends where its bracket closes.
        expect(deepRegions('f(a and b or not c)', 3)).toEqual([{ start: 13, end: 18, kind: 'operator' }]);
        expect(deepRegions('f(a and b or not c)', 4)).toEqual([]);
        // Words that only start with one, or hold one, are plain words wherever they are.
        for (const text of ['f(android orb notable)', 'f(and_1 or2 not_ x_and)', 'f(\tand1\n or_\r\nnotX)', 'f(nota anda ora)']) {
            expect(deepRegions(text, 1), text).toEqual([]);
        }
        // At the end of the text, after blanks, next to brackets.
        expect(deepRegions('(x and', 1, false)).toEqual([{ start: 3, end: 6, kind: 'operator' }]);
        expect(deepRegions('(\n\t  not(x))', 2)).toEqual([{ start: 8, end: 11, kind: 'bracket' }]);
        expect(deepRegions('(\n\t  not(x))', 3)).toEqual([]);
        expect(deepRegions('a or b', 0, true)).toEqual([{ start: 2, end: 6, kind: 'operator' }]);
        expect(deepRegions('a or b', 1, true)).toEqual([]);
    });
});
