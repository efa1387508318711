/**
 * The server under random editing: two thousand seeded edits (spans cut from the spec's
 * examples, binary junk, huge lines, half-typed constructs, pathological nesting) in
 * bursts, each followed by requests of every kind an editor sends (lsp-fuzz.ts). No
 * request may go unanswered for 5 s, the server must never die, and afterwards it still
 * completes as usual. `npm run bench:lsp-fuzz` runs 50,000 edits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LspClient, offsetToPosition, positionOf, withTimeout } from './lsp-client.js';
import { fuzzServer } from './lsp-fuzz.js';

const EDITS = 2000;
const FIXTURES = path.join(__dirname, '../fixtures/spec');
const SOURCES = fs.readdirSync(FIXTURES).map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'));

let client: LspClient;

beforeAll(async () => {
    client = await LspClient.start();
});

afterAll(async () => {
    await client?.stop();
});

it('survives thousands of random edits with interleaved requests, answering each within 5 s', async () => {
    const uri = 'file:///robust/main.kmflow';
    const result = await fuzzServer(client, uri, { edits: EDITS, seed: 20_260_101, sources: SOURCES, hangMs: 5_000, maxLength: 100_000 });
    expect(result.crashed).toBe(false);
    expect(result.hangs).toEqual([]);
    expect(result.failures).toEqual([]);
    expect(result.edits).toBe(EDITS);
    expect(result.requests).toBeGreaterThan(EDITS / 20);
    // Whatever the edits left, a clean text completes as usual.
    const text = `${SOURCES[0]}\nworkflow tail {\n    step t uses \n}\n`;
    const ticket = client.change(uri, text);
    await client.diagnosticsAfter(uri, ticket, 30_000);
    const items = await withTimeout(client.completion(uri, offsetToPosition(text, text.length - 3)), 20_000);
    expect(items.map((i) => i.label)).toContain('log');
    expect(client.exited).toBe(false);
    expect(client.stderr.join('')).not.toMatch(/RangeError|TypeError|Maximum call stack/);
}, 120_000);

it('answers on documents nested a thousand deep and on a 10,000-step cycle', async () => {
    const withMessage = (expr: string): string => `workflow w {\n  step a uses log { with { message: ${expr} } }\n}\n`;
    const docs: Array<[string, string, RegExp]> = [
        ['unary', withMessage(`${'-'.repeat(1000)}1`), /nested more than 64 deep/],
        ['not', `workflow w {\n  step a uses log { when ${'not '.repeat(1000)}true with { message: "x" } }\n}\n`, /nested more than 64 deep/],
        ['plus', withMessage(`${'1 + '.repeat(10_000)}1`), /nested more than 64 deep/],
        ['parens', withMessage(`${'('.repeat(300)}1${')'.repeat(300)}`), /nested more than 64 deep/],
        ['cycle', `workflow w {\n${Array.from({ length: 10_000 }, (_, i) => `  step s${i} uses log { with { message: "x" } after s${(i + 1) % 10_000} }`).join('\n')}\n}\n`,
            /^dependency cycle .* … \(9,980 more\) → /],
    ];
    for (const [name, text, expected] of docs) {
        const uri = `file:///robust/${name}.kmflow`;
        const diagnostics = await client.diagnosticsAfter(uri, client.open(uri, text), 60_000);
        expect(diagnostics.map((d) => d.message), name).toContainEqual(expect.stringMatching(expected));
        expect(JSON.stringify(diagnostics).length, name).toBeLessThan(20_000);
        await withTimeout(client.hover(uri, positionOf(text, 'uses', 1)).catch(() => null), 20_000);
    }
    // Completion inside 300 open parentheses: the completion parser is guarded too.
    const deep = withMessage('('.repeat(300));
    const uri = 'file:///robust/open-parens.kmflow';
    client.open(uri, deep);
    const items = await withTimeout(client.completion(uri, positionOf(deep, '(((', 300)), 20_000);
    expect(Array.isArray(items)).toBe(true);
    expect(client.exited).toBe(false);
}, 120_000);
