/**
 * Completion that writes the call for you, over the real stdio connection: a tool after
 * `uses` brings a `{ with { ... } }` block with its required parameters as typed tab stops,
 * a parameter name brings a typed value, and the half-typed `key: ` that leaves behind is a
 * syntax error right after the colon, never a validation crash.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InsertTextFormat, type CompletionItem } from 'vscode-languageserver-protocol';
import { LspClient, positionOf } from './lsp-client.js';

const TOOL = `
tool typed "Typed" {
    category custom
    input_schema {
        type: "object",
        properties: {
            text: { type: "string" }, count: { type: "integer" }, flag: { type: "boolean" },
            level: { type: "string", enum: ["info", "warn"] }, extra: { type: "number" }
        },
        required: ["text", "count", "flag"]
    }
    via builtin "log"
}
`;

let dir: string;
let client: LspClient;
let n = 0;
const uriOf = (name: string): string => pathToFileURL(path.join(dir, name)).toString();

async function open(text: string): Promise<{ uri: string; diagnostics: Awaited<ReturnType<LspClient['diagnosticsAfter']>> }> {
    const uri = uriOf(`doc${n++}.kmflow`);
    const ticket = client.open(uri, text);
    return { uri, diagnostics: await client.diagnosticsAfter(uri, ticket) };
}

const byLabel = (items: CompletionItem[], label: string): CompletionItem => {
    const found = items.find((i) => i.label === label);
    expect(found, `no item ${label} in ${items.map((i) => i.label).join(', ')}`).toBeDefined();
    return found!;
};
const newText = (item: CompletionItem): string | undefined =>
    item.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : item.insertText;

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-snippets-'));
    client = await LspClient.start(dir);
});

afterAll(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('a tool after `uses`', () => {
    it('inserts the tool and a with block of its required parameters, typed', async () => {
        const text = `workflow w {\n    step a uses \n}\n${TOOL}`;
        const { uri } = await open(text);
        const items = await client.completion(uri, positionOf(text, 'uses ', 5), ' ');
        const typed = byLabel(items, 'typed');
        expect(typed.insertTextFormat).toBe(InsertTextFormat.Snippet);
        expect(newText(typed)).toBe('typed { with { text: "${1}", count: ${2:0}, flag: ${3|true,false|} } }');
        const write = byLabel(items, 'file.write');
        expect(write.insertTextFormat).toBe(InsertTextFormat.Snippet);
        expect(newText(write)).toBe('file.write { with { path: "${1}", content: ${2} } }');
    });

    it('completes a partly typed tool id the same way', async () => {
        const text = `workflow w {\n    step a uses file.wr\n}\n`;
        const { uri } = await open(text);
        const items = await client.completion(uri, positionOf(text, 'file.wr', 7));
        const write = byLabel(items, 'file.write');
        expect(newText(write)).toBe('file.write { with { path: "${1}", content: ${2} } }');
        expect(write.textEdit && 'range' in write.textEdit ? write.textEdit.range.start : undefined).toEqual(positionOf(text, 'file.wr'));
    });

    it('inserts the id only where a block follows already', async () => {
        const text = `workflow w {\n    step a uses file.wr {\n        with { path: "x" }\n    }\n}\n`;
        const { uri } = await open(text);
        const items = await client.completion(uri, positionOf(text, 'file.wr', 7));
        const write = byLabel(items, 'file.write');
        expect(write.insertTextFormat).not.toBe(InsertTextFormat.Snippet);
        expect(newText(write)).toBe('file.write');
    });
});

describe('a parameter name inside `with { }`', () => {
    it('inserts the name and a placeholder typed by the schema', async () => {
        const text = `workflow w {\n    step a uses typed { with {  } }\n}\n${TOOL}`;
        const { uri } = await open(text);
        const items = await client.completion(uri, positionOf(text, 'with { ', 7));
        const expected: Record<string, string> = {
            text: 'text: "${1}"', count: 'count: ${1:0}', flag: 'flag: ${1|true,false|}',
            level: 'level: ${1|"info","warn"|}', extra: 'extra: ${1:0}',
        };
        for (const [label, snippet] of Object.entries(expected)) {
            const item = byLabel(items, label);
            expect(item.insertTextFormat).toBe(InsertTextFormat.Snippet);
            expect(newText(item)).toBe(snippet);
        }
    });

    it('inserts the name only when renaming an entry that has a value', async () => {
        const text = `workflow w {\n    step a uses typed { with { tex: "x" } }\n}\n${TOOL}`;
        const { uri } = await open(text);
        const items = await client.completion(uri, positionOf(text, 'tex:', 2));
        const item = byLabel(items, 'text');
        expect(item.insertTextFormat).not.toBe(InsertTextFormat.Snippet);
        expect(newText(item)).toBe('text');
    });
});

describe('the half-typed `key: ` a completion leaves', () => {
    it('is one syntax error right after the colon, never a validation crash', async () => {
        for (const tool of ['file.write', 'log', 'typed']) {
            const text = `workflow w {\n    step a uses ${tool} { with { content: } }\n}\n${TOOL}`;
            const { diagnostics } = await open(text);
            expect(diagnostics.filter((d) => /error occurred during validation/i.test(d.message))).toEqual([]);
            const syntax = diagnostics.filter((d) => d.code === 'syntax');
            expect(syntax, JSON.stringify(diagnostics)).toHaveLength(1);
            expect(syntax[0]!.range.start).toEqual(positionOf(text, 'content:', 'content:'.length));
            expect(syntax[0]!.message).toBe("missing value after 'content:'");
        }
        const multiline = `workflow w {\n    step a uses file.write {\n        with {\n            path: "x",\n            content:\n        }\n    }\n}\n`;
        const { diagnostics } = await open(multiline);
        expect(diagnostics.filter((d) => d.code === 'syntax').map((d) => d.range.start))
            .toEqual([positionOf(multiline, 'content:', 'content:'.length)]);
    });
});
