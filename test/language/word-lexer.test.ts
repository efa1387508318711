/**
 * The lexer's word lookup (src/language/word-lexer.ts) gives the tokens, comments and
 * errors Chevrotain's own loop gives, on the bundled catalogs and on thousands of random
 * texts made of keywords, their prefixes and extensions, identifiers, numbers, durations,
 * strings, comments, punctuation and characters no pattern matches; and it keeps
 * Chevrotain's loop for token types where looking a word up could differ.
 */
import { describe, expect, it } from 'vitest';
import { DefaultLexer, EmptyFileSystem, type Lexer } from 'langium';
import { Lexer as ChevrotainLexer, createToken, type ILexingResult, type IToken } from 'chevrotain';
import { createKmflowCoreServices } from '../../src/language/kmflow-core-module.js';
import { withLeanTokens } from '../../src/language/lean-tokens.js';
import { planOf, withWordLookup } from '../../src/language/word-lexer.js';
import { seededRandom } from '../../src/engine/run/retry.js';
import { BUNDLED_CATALOGS } from '../../src/language/catalogs.js';

const services = createKmflowCoreServices(EmptyFileSystem);
const mine = services.parser.Lexer;
/** Chevrotain's loop, with the same lean tokens. */
const reference = withLeanTokens(new DefaultLexer(services));

const chevrotainOf = (lexer: Lexer): { tokenize(text: string): ILexingResult } =>
    (lexer as unknown as { chevrotainLexer: { tokenize(text: string): ILexingResult } }).chevrotainLexer;

function lexed(lexer: Lexer, text: string): unknown {
    const token = (t: IToken): string => `${t.tokenType.name}@${t.startOffset}:${JSON.stringify(t.image)}`;
    const result = lexer.tokenize(text);
    return {
        tokens: result.tokens.map(token),
        hidden: result.hidden.map(token),
        errors: result.errors.map((e) => ({ offset: e.offset, length: e.length, line: e.line, column: e.column, message: e.message })),
    };
}

const KEYWORDS = ['step', 'steps', 'ste', 'uses', 'use', 'with', 'within', 'after', 'in', 'input', 'inputs', 'int', 'true', 'truex', 'false',
    'null', 'not', 'and', 'or', 'order', 'each', 'enterprise', 'enterprise_ready', 'enterprise_', 'test', 'tests', 'timeout', 'times', 'time',
    'on', 'off', 'out', 'output', 'workflow', 'server', 'tool', 'tools', 'secret', 'env', 'capability', '_x', 'X9', 'sequential', 's', 'S'];
const PIECES = ['{', '}', '(', ')', '[', ']', ',', ':', '.', '=', '==', '!=', '!', '<', '<=', '>', '>=', '+', '-', '*', '/', '//', '/*', '*/',
    '"', '"abc"', '"a\\"b"', '"\\n${input.x}"', '"unterminated', '0', '10', '1.5', '1.5e3', '2e', '30s', '1.5ms', '10msx', '5m', '2h', '7 ms',
    '§', '¤', '\u00a0', '\u2028', '\uFEFF', 'é', '@', '#', '$', '${', '\\', '`', '\t', '\r\n', '\n', ' ', '  ', '// line comment\n',
    '/* block */', '/* open', '0x1F'];

function randomText(random: () => number): string {
    const parts: string[] = [];
    const count = 1 + Math.floor(random() * 30);
    for (let i = 0; i < count; i++) {
        const pool = random() < 0.5 ? KEYWORDS : PIECES;
        parts.push(pool[Math.floor(random() * pool.length)]!);
        if (random() < 0.6) {
            parts.push(random() < 0.8 ? ' ' : '');
        }
    }
    return parts.join('');
}

describe('the word lexer', () => {
    it('applies to kmflow\'s token types', () => {
        expect(Object.prototype.hasOwnProperty.call(chevrotainOf(mine), 'tokenize')).toBe(true);
        expect(Object.prototype.hasOwnProperty.call(chevrotainOf(reference), 'tokenize')).toBe(false);
    });

    it('gives Chevrotain\'s tokens, comments and errors on the bundled catalogs and on random text', () => {
        for (const catalog of BUNDLED_CATALOGS) {
            expect(lexed(mine, catalog.source)).toEqual(lexed(reference, catalog.source));
        }
        const random = seededRandom(16);
        let errors = 0;
        let tokens = 0;
        for (let i = 0; i < 3000; i++) {
            const text = randomText(random);
            const want = lexed(reference, text) as { tokens: unknown[]; errors: unknown[] };
            errors += want.errors.length;
            tokens += want.tokens.length;
            expect(lexed(mine, text), text).toEqual(want);
        }
        // The random texts reach the error path and plenty of tokens.
        expect(errors).toBeGreaterThan(500);
        expect(tokens).toBeGreaterThan(20_000);
    });

    it('keeps Chevrotain\'s loop where a keyword comes after a keyword that is its prefix', () => {
        const id = createToken({ name: 'ID', pattern: /[_a-zA-Z][\w]*/ });
        const make = (first: string, second: string): ChevrotainLexer => new ChevrotainLexer([
            createToken({ name: first, pattern: first, longer_alt: id }),
            createToken({ name: second, pattern: second, longer_alt: id }),
            createToken({ name: 'WS', pattern: /\s+/, group: ChevrotainLexer.SKIPPED }),
            id,
        ], { positionTracking: 'onlyOffset' });
        const planned = (lexer: ChevrotainLexer): boolean => planOf(lexer as unknown as Parameters<typeof planOf>[0]) !== undefined;
        expect(planned(make('input', 'in'))).toBe(true);
        // `in` first: Chevrotain lexes `input` as an identifier, which a look-up would not.
        const prefixFirst = make('in', 'input');
        expect(planned(prefixFirst)).toBe(false);
        withWordLookup({ chevrotainLexer: prefixFirst } as unknown as Lexer);
        expect(Object.prototype.hasOwnProperty.call(prefixFirst, 'tokenize')).toBe(false);
        expect(prefixFirst.tokenize('input in').tokens.map((t) => t.tokenType.name)).toEqual(['ID', 'in']);
    });
});
