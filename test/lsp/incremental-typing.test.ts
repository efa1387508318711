/**
 * Typing over a real connection (`kmflow lsp --stdio`, incremental text sync): after every
 * keystroke the server publishes diagnostics that say the document version they are for,
 * and they are those of a full build of that text (`kmflow check`'s), though the server
 * re-parses only the blocks each keystroke touches (src/language/incremental).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { check } from '../helpers/documents.js';
import { LspClient, offsetToPosition } from './lsp-client.js';

const TEXT = `tool t1 "T" {
    input_schema { type: "object", properties: { text: { type: "string" } }, required: ["text"] }
    read_only
}

workflow first "First" {
    step a uses t1 { with { text: "x" } }
    step b uses log { with { message: "\${a.output}" } after a }
}

workflow second "Second" {
    description "one"
    step c uses log { with { message: "c" } }
}

workflow third "Third" {
    step d uses delay { with { ms: 5 } }
}
`;

/** `code@line:column` of each diagnostic (1-based), sorted. */
function codes(diagnostics: Diagnostic[]): string[] {
    return diagnostics.map((d) => `${String(d.code)}@${d.range.start.line + 1}:${d.range.start.character + 1}`).sort();
}

describe('typing into a document over stdio', () => {
    let dir: string;
    let client: LspClient;
    let uri: string;

    beforeAll(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-typing-'));
        fs.writeFileSync(path.join(dir, 'main.kmflow'), TEXT);
        client = await LspClient.start(dir);
        uri = pathToFileURL(path.join(dir, 'main.kmflow')).toString();
    });
    afterAll(async () => {
        await client.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('publishes, for each keystroke\'s version, what a full check of that text says', async () => {
        let text = TEXT;
        await client.diagnosticsAfter(uri, client.open(uri, text), 30_000, 1);
        const type = async (offset: number, deleted: number, inserted: string): Promise<void> => {
            const range = { start: offsetToPosition(text, offset), end: offsetToPosition(text, offset + deleted) };
            text = text.slice(0, offset) + inserted + text.slice(offset + deleted);
            const ticket = client.change(uri, { range, text: inserted });
            const version = client.version(uri)!;
            const published = await client.diagnosticsAfter(uri, ticket, 30_000, version);
            expect(client.lastDiagnosticsVersion(uri)).toBe(version);
            expect(codes(published), `after typing ${JSON.stringify(inserted)} at ${offset}`)
                .toEqual((await check(text)).map((d) => `${d.code}@${d.line}:${d.column}`).sort());
        };
        // A step typed at the end of the second workflow, a character at a time (brackets as typed, no auto-close).
        const step = '    step e uses t1 { with { txt: 1 } }\n';
        const at = text.indexOf('}\n\nworkflow third');
        for (let i = 0; i < step.length; i++) {
            await type(at + i, 0, step[i]!);
        }
        // A line break above every block but the first, and taken back; a repeated option's line moves with it.
        const above = text.indexOf('    step b');
        await type(above, 0, '\n');
        await type(above, 1, '');
        // The tool's schema changes under the workflows that use it.
        await type(text.indexOf(', required: ["text"]'), ', required: ["text"]'.length, '');
        await type(text.indexOf(' } }\n    read_only'), 0, ', required: ["text"]');
    }, 120_000);
});
