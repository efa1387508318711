/**
 * Property: whatever text arrives, parse + link + validate returns diagnostics and never
 * throws, in bounded time. Documents are random token soups, mutations of the spec's
 * examples (spans deleted, duplicated, swapped; junk inserted), and every example cut
 * short as it is while being typed (bare, and with the brackets an editor auto-closes).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EmptyFileSystem, URI } from 'langium';
import { createKmflowServices, type KmflowServices } from '../../src/language/kmflow-module.js';
import { createCatalogDocuments } from '../../src/language/kmflow-workspace-manager.js';

const dir = path.join(import.meta.dirname, '../fixtures/spec');
const examples = fs.readdirSync(dir).filter((f) => f.endsWith('.kmflow')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
const examplesDir = path.join(import.meta.dirname, '../../examples');
const allExamples = [
    ...fs.readdirSync(examplesDir).filter((f) => f.endsWith('.kmflow')).map((f) => fs.readFileSync(path.join(examplesDir, f), 'utf8')),
    ...examples,
];
const corpus = examples.join('\n');

const TOKENS = ['workflow', 'step', 'uses', 'tool', 'server', 'import', 'with', 'after', 'when', 'each', 'in', 'retry', 'backoff',
    'timeout', 'compensate', 'capability', 'requires', 'ensures', 'input', 'secret', 'env', '{', '}', '[', ']', '(', ')', ':', ',',
    '.', '==', 'and', 'or', 'not', '+', '-', '*', '/', '"s"', '"${a.output}"', '"${', '30s', '1.5', '42', 'x', 'a', 'log',
    'file.read', 'km', 'true', 'null', '// c\n', '/*', '*/', '\n', ' ', '"', '\\', 'enterprise', 'mode', 'parallel'];

let services: KmflowServices;
let counter = 0;

beforeAll(async () => {
    services = createKmflowServices(EmptyFileSystem).Kmflow;
    const docs = services.shared.workspace.LangiumDocuments;
    for (const doc of createCatalogDocuments(services.shared.workspace.LangiumDocumentFactory)) {
        docs.addDocument(doc);
    }
    await services.shared.workspace.DocumentBuilder.build(docs.all.toArray(), { validation: true });
});

// Langium logs (and swallows) exceptions thrown by checks: count them as failures.
const logged: string[] = [];
const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { logged.push(args.map(String).join(' ')); });
afterAll(() => spy.mockRestore());

/** Builds one document alone and returns how long it took; throws if Langium throws. */
async function checkText(text: string): Promise<number> {
    const shared = services.shared.workspace;
    const uri = URI.file(`/fuzz/doc-${counter++}.kmflow`);
    const doc = shared.LangiumDocumentFactory.fromString(text, uri);
    shared.LangiumDocuments.addDocument(doc);
    logged.length = 0;
    const start = performance.now();
    try {
        await shared.DocumentBuilder.build([doc], { validation: true });
        expect(Array.isArray(doc.diagnostics)).toBe(true);
        expect(logged, `checks threw on:\n${text}`).toEqual([]);
        return performance.now() - start;
    } finally {
        shared.LangiumDocuments.deleteDocument(uri);
    }
}

const mutation = fc.record({
    base: fc.integer({ min: 0, max: examples.length - 1 }),
    edits: fc.array(fc.record({
        kind: fc.constantFrom('delete', 'duplicate', 'insert-junk', 'insert-token', 'swap'),
        at: fc.nat(), length: fc.integer({ min: 1, max: 40 }), other: fc.nat(),
        junk: fc.string({ unit: 'binary', maxLength: 12 }), token: fc.constantFrom(...TOKENS),
    }), { minLength: 1, maxLength: 8 }),
});

type Mutation = { base: number; edits: Array<{ kind: string; at: number; length: number; other: number; junk: string; token: string }> };

function mutate(m: Mutation): string {
    let text = examples[m.base];
    for (const e of m.edits) {
        const at = e.at % (text.length + 1);
        const end = Math.min(text.length, at + e.length);
        switch (e.kind) {
            case 'delete': text = text.slice(0, at) + text.slice(end); break;
            case 'duplicate': text = text.slice(0, end) + text.slice(at, end) + text.slice(end); break;
            case 'insert-junk': text = text.slice(0, at) + e.junk + text.slice(at); break;
            case 'insert-token': text = `${text.slice(0, at)} ${e.token} ${text.slice(at)}`; break;
            default: {
                const o = e.other % (corpus.length + 1);
                text = text.slice(0, at) + corpus.slice(o, o + e.length) + text.slice(end);
            }
        }
    }
    return text;
}

describe('parse + validate never throws', () => {
    it('on mutations of the spec examples', async () => {
        let worst = 0;
        await fc.assert(fc.asyncProperty(mutation, async (m) => {
            worst = Math.max(worst, await checkText(mutate(m)));
        }), { numRuns: 300, seed: 20261125 });
        // Bounded, not timed: a pathological input would take seconds, not a fraction.
        expect(worst).toBeLessThan(5_000);
    });

    it('on random token soups', async () => {
        await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom(...TOKENS), { maxLength: 120 }), async (tokens) => {
            await checkText(tokens.join(' '));
        }), { numRuns: 300, seed: 7 });
    });

    it('on arbitrary unicode and deep nesting', async () => {
        await fc.assert(fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), async (s) => {
            await checkText(s);
        }), { numRuns: 100, seed: 3 });
        await checkText(`workflow w { step a uses log { with { message: ${'['.repeat(300)}${']'.repeat(300)} } } }`);
        await checkText(`workflow w { step a uses log { with { message: ${'('.repeat(500)}1${')'.repeat(500)} } } }`);
    });
});

/** The closers of the brackets (and the string) `prefix` leaves open: what auto-closing leaves behind the cursor. */
function closers(prefix: string): string {
    const open: string[] = [];
    let inString = false;
    for (let i = 0; i < prefix.length; i++) {
        const ch = prefix[i];
        if (inString) {
            if (ch === '\\') {
                i++;
            } else if (ch === '"' || ch === '\n') {
                inString = false;
            }
        } else if (ch === '"') {
            inString = true;
        } else if (ch === '/' && prefix[i + 1] === '/') {
            i = prefix.indexOf('\n', i) < 0 ? prefix.length : prefix.indexOf('\n', i);
        } else if ('([{'.includes(ch)) {
            open.push(')]}'['([{'.indexOf(ch)]);
        } else if (')]}'.includes(ch)) {
            open.pop();
        }
    }
    return `${inString ? '"' : ''} ${open.reverse().join(' ')}`;
}

describe('validators never throw on a partial document', () => {
    it('on a half-typed with entry, as typed and as accepting a completion leaves it', async () => {
        for (const tool of ['log', 'file.write', 'shell']) {
            await checkText(`workflow w {\n  step a uses ${tool} { with { content: } }\n}\n`);
            await checkText(`workflow w {\n  step a uses ${tool} { with { path: "x", content: `);
            await checkText(`workflow w {\n  step a uses ${tool} { with { content: , path: "x" } }\n}\n`);
        }
    });

    // Every example cut at every STRIDE-th offset (a different residue per example and per
    // form, so together they cover most offsets), bare and with its brackets closed.
    const STRIDE = 11;
    it('on truncations of every example', async () => {
        for (const [n, text] of allExamples.entries()) {
            for (let at = n % STRIDE; at <= text.length; at += STRIDE) {
                await checkText(text.slice(0, at));
                const cut = text.slice(0, Math.min(text.length, at + 5));
                await checkText(cut + closers(cut));
            }
        }
    }, 120_000);
});
