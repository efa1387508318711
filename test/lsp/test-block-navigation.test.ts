/**
 * Steps and inputs named in `test` blocks over a real stdio connection: find references
 * lists them and rename changes them — `given STEP`, `input NAME =`, `expect STEP.…` and
 * `${}` strings, in the workflow's own file and in another file that imports it — from the
 * declaration and from inside a test; the outline shows each test with what it holds; and
 * each test line has `Run Test | Debug Test` lenses.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SymbolKind, type Location } from 'vscode-languageserver-protocol';
import { LspClient, applyEdits, positionOf } from './lsp-client.js';

const FLOW = `workflow greeting {
    input who: string = "x"
    step ask uses file.read { with { path: "\${input.who}.txt" } }
    step say uses template { with { template: "hi {{ name }}", values: { name: ask.output.content } } }
}
test "same file" for greeting {
    input who = "Ada"
    secret token = "not-in-the-outline"
    given ask returns { content: "Ada" }
    expect ask.status == "succeeded"
    expect say.output == "hi \${ask.output.content}"
    snapshot report
}
`;

const OTHER = `import "./flow.kmflow"

test "other file" for greeting {
    given ask fails "E_READ" "no such file" 2 times then returns { content: "Bob" }
    expect ask.attempts == 3
    expect input.who == "x"
}
`;

let dir: string;
let client: LspClient;
const uriOf = (name: string): string => pathToFileURL(path.join(dir, name)).toString();
const where = (locations: Location[] | null): string[] =>
    (locations ?? []).map((l) => `${path.basename(l.uri)}:${l.range.start.line}:${l.range.start.character}`);

/**
 * Sends each file's new text, then waits for the diagnostics that say they are for each
 * one's new version (a file's diagnostics are published again, for its older text, when
 * another file it imports changes first).
 */
async function edited(texts: Record<string, string>): Promise<unknown[]> {
    const names = Object.keys(texts);
    for (const name of names) {
        client.change(uriOf(name), texts[name]!);
    }
    const deadline = Date.now() + 20_000;
    while (names.some((n) => client.publishedVersion(uriOf(n)) !== client.version(uriOf(n))) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return names.map((n) => client.lastDiagnostics(uriOf(n)));
}

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-lsp-testnav-'));
    fs.writeFileSync(path.join(dir, 'flow.kmflow'), FLOW);
    fs.writeFileSync(path.join(dir, 'other.kmflow'), OTHER);
    client = await LspClient.start(dir);
    for (const [name, text] of [['flow.kmflow', FLOW], ['other.kmflow', OTHER]] as const) {
        const ticket = client.open(uriOf(name), text);
        expect(await client.diagnosticsAfter(uriOf(name), ticket)).toEqual([]);
    }
}, 30_000);

afterAll(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('steps and inputs in test blocks', () => {
    const askEverywhere = [
        'flow.kmflow:2:9', 'flow.kmflow:3:79', 'flow.kmflow:8:10', 'flow.kmflow:9:11', 'flow.kmflow:10:31',
        'other.kmflow:3:10', 'other.kmflow:4:11',
    ];

    it('finds a step\'s references in the tests of its workflow, in this file and another', async () => {
        expect(where(await client.references(uriOf('flow.kmflow'), positionOf(FLOW, 'step ask', 6)))).toEqual(askEverywhere);
    });

    it('finds the same references from a `given` in another file, and from a ${} in a test', async () => {
        expect(where(await client.references(uriOf('other.kmflow'), positionOf(OTHER, 'given ask', 7)))).toEqual(askEverywhere);
        expect(where(await client.references(uriOf('flow.kmflow'), positionOf(FLOW, '${ask', 3), false))).toEqual(askEverywhere.slice(1));
    });

    it('renames a step in both files, every test line included', async () => {
        const edit = await client.rename(uriOf('flow.kmflow'), positionOf(FLOW, 'step ask', 6), 'read_name');
        const flow = applyEdits(FLOW, edit!.changes![uriOf('flow.kmflow')]!);
        const other = applyEdits(OTHER, edit!.changes![uriOf('other.kmflow')]!);
        expect(flow).not.toMatch(/\bask\b/);
        expect(flow).toContain('given read_name returns');
        expect(flow).toContain('expect read_name.status == "succeeded"');
        expect(flow).toContain('"hi ${read_name.output.content}"');
        expect(other).toContain('given read_name fails "E_READ"');
        expect(other).toContain('expect read_name.attempts == 3');
        // The renamed texts still check clean together.
        expect(await edited({ 'flow.kmflow': flow, 'other.kmflow': other })).toEqual([[], []]);
        const back = await client.rename(uriOf('other.kmflow'), positionOf(other, 'given read_name', 7), 'ask');
        expect(applyEdits(flow, back!.changes![uriOf('flow.kmflow')]!)).toBe(FLOW);
        expect(applyEdits(other, back!.changes![uriOf('other.kmflow')]!)).toBe(OTHER);
        expect(await edited({ 'flow.kmflow': FLOW, 'other.kmflow': OTHER })).toEqual([[], []]);
    });

    it('renames an input in its tests: `input NAME =` and `input.NAME`', async () => {
        const edit = await client.rename(uriOf('flow.kmflow'), positionOf(FLOW, 'input who = "Ada"', 7), 'person');
        const flow = applyEdits(FLOW, edit!.changes![uriOf('flow.kmflow')]!);
        expect(flow).toContain('input person: string');
        expect(flow).toContain('${input.person}.txt');
        expect(flow).toContain('input person = "Ada"');
        expect(applyEdits(OTHER, edit!.changes![uriOf('other.kmflow')]!)).toContain('expect input.person == "x"');
    });

    it('goes from a step named in a test to the step', async () => {
        const links = await client.definition(uriOf('other.kmflow'), positionOf(OTHER, 'ask.attempts', 1));
        expect(links).toEqual([expect.objectContaining({ targetUri: uriOf('flow.kmflow'),
            targetSelectionRange: expect.objectContaining({ start: positionOf(FLOW, 'step ask', 5) }) })]);
    });
});

describe('the outline', () => {
    it('shows each test by its title, with its values, stubs and expectations', async () => {
        const symbols = await client.documentSymbols(uriOf('flow.kmflow'));
        expect(symbols?.map((s) => [s.name, s.kind, s.detail])).toEqual([
            ['greeting', SymbolKind.Class, undefined], ['same file', SymbolKind.Event, 'for greeting'],
        ]);
        const test = symbols![1]!;
        expect(test.selectionRange.start).toEqual(positionOf(FLOW, '"same file"'));
        expect(test.children?.map((c) => [c.name, c.detail])).toEqual([
            ['input who', undefined], ['secret token', undefined], ['given ask', 'returns'],
            ['expect ask.status == "succeeded"', undefined], ['expect say.output == "hi ${ask.output.content}"', undefined],
            ['snapshot report', undefined],
        ]);
        expect(JSON.stringify(symbols)).not.toContain('not-in-the-outline');
        const other = await client.documentSymbols(uriOf('other.kmflow'));
        expect(other?.[0]!.children?.[0]).toMatchObject({ name: 'given ask', detail: 'fails "E_READ" 2 times then …' });
    });
});

describe('the lenses', () => {
    it('puts Run Test and Debug Test over each test line, with the document and the title', async () => {
        const lenses = (await client.codeLens(uriOf('other.kmflow'))) ?? [];
        expect(lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments])).toEqual([
            [2, 'Run Test', 'kmflow.runTest', [uriOf('other.kmflow'), 'other file']],
            [2, 'Debug Test', 'kmflow.debugTest', [uriOf('other.kmflow'), 'other file']],
        ]);
        const flow = (await client.codeLens(uriOf('flow.kmflow'))) ?? [];
        expect(flow.filter((l) => l.command?.command === 'kmflow.runTest').map((l) => [l.range.start.line, l.command?.arguments?.[1]]))
            .toEqual([[5, 'same file']]);
    });
});
