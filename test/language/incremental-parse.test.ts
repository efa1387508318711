/**
 * Property: re-parsing only the block an edit falls in (src/language/incremental) always
 * gives what a full parse of the new text gives — the same AST (every property, every
 * node's place), the same CST (every node, offset, range, token), the same errors — and
 * the document then links and validates to the same diagnostics. Over thousands of random
 * edits, chained (each edit applies to the previous incremental result), from documents
 * made of the examples: characters typed into names and strings, tokens and brackets,
 * line breaks, comment openers, deletions, duplicated lines, and undo.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI, type AstNode, type LangiumDocument } from 'langium';
import type { KmflowServices } from '../../src/language/kmflow-module.js';
import type { KmflowDocumentFactory } from '../../src/language/incremental/document-factory.js';
import { astShape, cstShape, errorsOf, linksOf, localSymbolsOf, treeInvariants } from './incremental-shapes.js';
import { openWorkspace, type MemoryWorkspace } from './incremental-workspace.js';
import { generate } from '../../bench/lsp-documents.js';

const examplesDir = path.join(import.meta.dirname, '../../examples');
const specDir = path.join(import.meta.dirname, '../fixtures/spec');
const examples = [
    ...fs.readdirSync(examplesDir).filter((f) => f.endsWith('.kmflow')).map((f) => fs.readFileSync(path.join(examplesDir, f), 'utf8')),
    ...fs.readdirSync(specDir).filter((f) => f.endsWith('.kmflow')).map((f) => fs.readFileSync(path.join(specDir, f), 'utf8')),
];
// A second document, which one source imports: its tools change under that source's
// workflows (each variant is one edit of the chain).
const LIB_VARIANTS = [
    'tool lib_echo "Echo" {\n    input_schema { type: "object", properties: { text: { type: "string" } }, required: ["text"] }\n    read_only\n}\n',
    'tool lib_echo "Echo" {\n    input_schema { type: "object", properties: { text: { type: "string" } } }\n    read_only\n}\n',
    'tool lib_echo2 "Echo" {\n    description "renamed"\n}\n',
];
const USES_LIB = 'import "./lib.kmflow"\n\nworkflow uses_lib {\n    step e uses lib_echo { with { text: "x" } }\n' +
    '    step f uses lib_echo { with { } }\n    step g uses log { with { message: "${e.output}" } after f }\n}\n';

// The examples as they are, without their whole-line comments (so more edits land inside
// blocks), the benchmark's documents (workflows of steps with references), and one that imports.
const sources = [
    ...examples,
    ...examples.map((text) => text.replace(/^\s*\/\/.*\n/gm, '')),
    generate(60, 1), generate(120, 2), generate(200, 3), USES_LIB, USES_LIB + generate(60, 4),
];

const TOKENS = ['x', 'a', '_', '1', '0', '"', '}', '{', ' }', '{ ', '\n', '\n\n', ' ', '/*', '*/', '/* c */', '// c\n', ',', ':', '.',
    '${', '${a.output}', 'step', 'step z uses log', 'step z uses log { with { message: "m" } }\n', 'after ', 'uses ', 'workflow',
    'tool', 'server', 'test', 'import "x"\n', 'input q: string\n', 'with { }', 'when true', 'retry 2', 'timeout 5s', '@', '\\'];

/** What typing runs type, one character per edit: inside blocks (before an indented line), and between them. */
const TYPED = ['    step t1 uses log { with { message: "hi ${input.group}" } }\n', '        after s1\n', '        retry 3 backoff 1s\n',
    '        when s1.ok and not false\n', '        with { a: [1, 2.5, "x"], b: { c: null } }\n', '    input extra: number = 3\n',
    '    step t2 uses json.query {\n        with { input: s0.output, expression: "a" }\n    }\n', '  // a note\n', '    mode sequential\n'];
const TYPED_BETWEEN = ['workflow nw { step a uses log { with { message: "x" } } }\n', 'tool t9 "T" { description "d" read_only }\n',
    'import "std"\n', '// note\n', 'test "t" for wf_0 { expect run.status == "completed" }\n', 'server s9 { command "x" }\n'];

const edit = fc.record({
    // Weighted as typing goes: mostly words, strings and line breaks, which keep a block whole.
    kind: fc.constantFrom('type-in-word', 'type-in-word', 'type-in-word', 'type-in-string', 'type-in-string', 'type-in-string',
        'newline', 'newline', 'token', 'token', 'delete', 'delete-line', 'duplicate-line', 'undo', 'type-run', 'type-run', 'type-between',
        'lib'),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 12 }),
    token: fc.constantFrom(...TOKENS),
    typed: fc.constantFrom(...TYPED),
    between: fc.constantFrom(...TYPED_BETWEEN),
    letter: fc.constantFrom('x', 'y', '_', '9', 'Z'),
});
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

/** The texts one edit goes through: each character of a typing run, else the one text after it. */
function keystrokes(text: string, e: Edit, history: string[]): string[] {
    if (e.kind !== 'type-run' && e.kind !== 'type-between') {
        return [apply(text, e, history)];
    }
    // Before an indented line: inside a block, mostly; else before a line that is not, or at the end.
    const lineStarts = [...text.matchAll(e.kind === 'type-run' ? /\n(?= )/g : /\n(?=[^ ]|$)/g)].map((m) => m.index + 1);
    const at = lineStarts.length > 0 ? lineStarts[e.at % lineStarts.length]! : 0;
    const typed = e.kind === 'type-run' ? e.typed : e.between;
    return [...typed].map((_ch, i) => text.slice(0, at) + typed.slice(0, i + 1) + text.slice(at));
}

/** Applies one edit to `text`; `history` is every earlier text of the chain (for undo). */
function apply(text: string, e: Edit, history: string[]): string {
    const at = e.at % (text.length + 1);
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at) + 1;
    switch (e.kind) {
        case 'type-in-word': {
            const word = /[A-Za-z_]\w*/g;
            word.lastIndex = at;
            const m = word.exec(text);
            const where = m ? m.index + Math.min(m[0].length, 1 + (e.length % m[0].length)) : at;
            return text.slice(0, where) + e.letter + text.slice(where);
        }
        case 'type-in-string': {
            const quote = text.indexOf('"', at);
            const where = quote < 0 ? at : quote + 1;
            return text.slice(0, where) + e.letter.repeat(1 + (e.length % 3)) + text.slice(where);
        }
        case 'token': return text.slice(0, at) + e.token + text.slice(at);
        case 'delete': return text.slice(0, at) + text.slice(Math.min(text.length, at + e.length));
        case 'delete-line': return text.slice(0, lineStart) + text.slice(lineEnd);
        case 'duplicate-line': return text.slice(0, lineEnd) + text.slice(lineStart, lineEnd) + text.slice(lineEnd);
        case 'newline': return `${text.slice(0, at)}\n${' '.repeat(e.length % 5)}${text.slice(at)}`;
        default: return history.length > 0 ? history[e.at % history.length]! : text;
    }
}

const URI_MAIN = URI.file('/ws/main.kmflow');
const URI_LIB = URI.file('/ws/lib.kmflow');

/** The reference index's entry for `doc` (made when asked for: find references asks). */
function indexedReferences(services: KmflowServices, doc: LangiumDocument): unknown {
    const index = services.shared.workspace.IndexManager;
    index.findAllReferences(doc.parseResult.value, '');
    return JSON.parse(JSON.stringify((index as unknown as { referenceIndex: Map<string, unknown> }).referenceIndex.get(doc.uri.toString()) ?? null));
}

/**
 * Two workspaces, one holding `text` (both the library too, with `lib`): the function
 * returned sets a next text incrementally in the one and in full in the other, and expects
 * them to agree.
 */
async function editedBoth(text: string, lib = false): Promise<(next: string) => Promise<void>> {
    const a = await openWorkspace();
    const b = await openWorkspace();
    if (lib) {
        for (const w of [a, b]) {
            await w.set(URI_LIB, LIB_VARIANTS[0]!, true);
        }
    }
    await a.set(URI_MAIN, text, true);
    return async (next) => {
        expect(await observed(a.services, await a.set(URI_MAIN, next, false))).toEqual(await observed(b.services, await b.set(URI_MAIN, next, true)));
    };
}

/** Everything the two workspaces must agree on for their `main.kmflow`. */
async function observed(services: KmflowServices, doc: LangiumDocument): Promise<unknown> {
    const root = doc.parseResult.value;
    // The index made when asked for is the one Langium makes on every build.
    const eager = await services.workspace.ReferenceDescriptionProvider.createDescriptions(doc);
    expect(indexedReferences(services, doc)).toEqual(JSON.parse(JSON.stringify(eager)));
    return {
        text: root.$cstNode?.root.fullText,
        ast: astShape(root),
        cst: root.$cstNode && cstShape(root.$cstNode),
        errors: errorsOf(doc.parseResult),
        links: linksOf(services, root as AstNode),
        symbols: localSymbolsOf(services, doc),
        diagnostics: JSON.parse(JSON.stringify(doc.diagnostics ?? [])) as unknown,
    };
}

describe('incremental re-parse', () => {
    // Found by the property (seed 99): a full parse orders the document's lists by their
    // first declaration, and traversals (linking, the reference index) follow that order.
    it('orders the document\'s lists as a full parse does when a new kind of block comes first', async () => {
        const text = 'workflow w { step a uses log { with { message: "x" } } }\n\ntest "t" for w { expect run.status == "completed" }\n';
        const typed = 'tool t9 { read_only }\n';
        const edit = await editedBoth(text);
        for (let i = 1; i <= typed.length; i++) {
            await edit(`${typed.slice(0, i)}${text}`);
        }
        await edit(`${typed}${text}`.replace('tool t9', 'tool t9x'));
    });

    // Found by the property (seed 99): checks say lines in their messages.
    it('checks a workflow again when an edit above moves it to other lines', async () => {
        const text = 'workflow a {\n    step s uses log { with { message: "x" } }\n}\n\n' +
            'workflow b {\n    description "one"\n    description "two"\n    step t uses log { with { message: "y" } }\n}\n';
        const edit = await editedBoth(text);
        const at = text.indexOf('    step s');
        for (const next of [`${text.slice(0, at)}\n${text.slice(at)}`, `${text.slice(0, at)}\n\n${text.slice(at)}`, text]) {
            await edit(next);
        }
    });

    it('links a test to the workflow an edit re-parsed, not to the one it replaced', async () => {
        const text = 'workflow w {\n    step a uses log { with { message: "x" } }\n}\n\n' +
            'test "t" for w {\n    given a returns { logged: true }\n    expect run.status == "completed"\n}\n';
        const edit = await editedBoth(text);
        for (const next of [text.replace('step a ', 'step ab '), text.replace('step a ', 'step b '), text]) {
            await edit(next);
        }
    });

    it('moves the blocks after a new one typed above them to their new places and indices', async () => {
        let text = `${USES_LIB}\n${generate(200, 9)}`;
        const typed = 'workflow nw { step a uses log { with { message: "x" } } }\n';
        const at = text.indexOf('workflow wf_1');
        const edit = await editedBoth(text, true);
        for (let i = 1; i <= typed.length; i++) {
            await edit(text.slice(0, at) + typed.slice(0, i) + text.slice(at));
        }
        text = text.slice(0, at) + typed + text.slice(at);
        const title = text.lastIndexOf('"Workflow') + 1;
        await edit(`${text.slice(0, title)}x${text.slice(title)}`);
        await edit(text.replace('after f }', 'after e }'));
    });

    let incremental: MemoryWorkspace;
    let full: MemoryWorkspace;

    it('equals a full parse and rebuild after every edit of random chains', async () => {
        incremental = await openWorkspace();
        full = await openWorkspace();
        const runs = Number(process.env.KMFLOW_INCREMENTAL_RUNS ?? 50);
        let edits = 0;
        await fc.assert(fc.asyncProperty(
            fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
            fc.array(edit, { minLength: 2, maxLength: 12 }),
            async (picks, chain) => {
                let text = picks.map((p) => sources[p % sources.length]!).join('\n');
                await incremental.set(URI_LIB, LIB_VARIANTS[0]!, true);
                await full.set(URI_LIB, LIB_VARIANTS[0]!, true);
                await incremental.set(URI_MAIN, text, true);
                const history = [text];
                for (const e of chain) {
                    if (e.kind === 'lib') {
                        // The imported document changes: the main one is relinked and checked again.
                        const lib = LIB_VARIANTS[e.at % LIB_VARIANTS.length]!;
                        await incremental.set(URI_LIB, lib, false);
                        await full.set(URI_LIB, lib, true);
                    }
                    for (const next of e.kind === 'lib' ? [text] : keystrokes(text, e, history)) {
                        text = next;
                        const a = e.kind === 'lib' ? incremental.get(URI_MAIN) : await incremental.set(URI_MAIN, text, false);
                        const b = await full.set(URI_MAIN, text, true);
                        edits++;
                        expect(treeInvariants(a.parseResult.value)).toEqual([]);
                        expect(await observed(incremental.services, a)).toEqual(await observed(full.services, b));
                    }
                    history.push(text);
                }
            }), { numRuns: runs, seed: Number(process.env.KMFLOW_INCREMENTAL_SEED ?? 20261127) });
        const counts = (incremental.services.shared.workspace.LangiumDocumentFactory as KmflowDocumentFactory).reparses;
        // Not vacuous: thousands of edits, and a good share of them took the incremental path.
        expect(edits).toBeGreaterThan(runs * 8);
        expect(counts.incremental).toBeGreaterThan(edits / 4);
        console.log(`incremental re-parse: ${edits} edits, ${counts.incremental} spliced, ${counts.full} parsed in full`);
    }, 600_000);
});
