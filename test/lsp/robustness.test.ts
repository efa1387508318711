/**
 * The server under random editing: two thousand `didChange`s of spans cut from the spec's
 * examples, binary junk and a huge line, from a seeded generator. It must keep answering
 * and never die.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LspClient, offsetToPosition, withTimeout } from './lsp-client.js';
import { seededRandom } from '../../src/engine/retry.js';

const EDITS = 2000;
const FIXTURES = path.join(__dirname, '../fixtures/spec');
const SOURCES = fs.readdirSync(FIXTURES).map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'));

/** mulberry32, the engine's seedable PRNG: the same edits on every run. */
const prng = seededRandom;

let client: LspClient;

beforeAll(async () => {
    client = await LspClient.start();
});

afterAll(async () => {
    await client?.stop();
});

it('survives thousands of random edits and still completes', async () => {
    const random = prng(20_260_101);
    const int = (n: number): number => Math.floor(random() * n);
    const uri = 'file:///robust/main.kmflow';
    let text = SOURCES.join('\n');
    client.open(uri, text);
    for (let i = 0; i < EDITS; i++) {
        const start = int(text.length + 1);
        const end = Math.min(text.length, start + (random() < 0.5 ? 0 : int(40)));
        let insert = '';
        const choice = random();
        if (choice < 0.6) {
            const source = SOURCES[int(SOURCES.length)]!;
            const from = int(source.length);
            insert = source.slice(from, from + int(80));
        } else if (choice < 0.8) {
            insert = String.fromCharCode(...Array.from({ length: int(12) }, () => int(0x250)));
        } else if (choice < 0.81) {
            insert = 'x'.repeat(50_000 + int(50_000));
        } else if (choice < 0.9) {
            insert = ['{', '}', '${', '"', 'step ', 'with {', 'uses ', '.', ',', '\n'][int(10)]!;
        }
        client.change(uri, { range: { start: offsetToPosition(text, start), end: offsetToPosition(text, end) }, text: insert });
        text = text.slice(0, start) + insert + text.slice(end);
        if (text.length > 400_000) {
            client.change(uri, SOURCES[0]!);
            text = SOURCES[0]!;
        }
        if (i % 200 === 199) {
            // A request now and then, at a random place, while edits pile up.
            const at = offsetToPosition(text, int(text.length + 1));
            await withTimeout(client.completion(uri, at), 20_000);
            await withTimeout(client.hover(uri, at), 20_000);
        }
    }
    // Whatever the edits left, the server answers; then a clean text completes as usual.
    await withTimeout(client.completion(uri, offsetToPosition(text, int(text.length + 1))), 20_000);
    text = `${SOURCES[0]}\nworkflow tail {\n    step t uses \n}\n`;
    const ticket = client.change(uri, text);
    await client.diagnosticsAfter(uri, ticket, 30_000);
    const items = await withTimeout(client.completion(uri, offsetToPosition(text, text.length - 3)), 20_000);
    expect(items.map((i) => i.label)).toContain('log');
    expect(client.exited).toBe(false);
    expect(client.stderr.join('')).not.toMatch(/RangeError|TypeError|Maximum call stack/);
}, 90_000);
