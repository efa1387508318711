/**
 * The language server checks `with` against a live MCP server's schema (listed in the
 * background) and warns `schema-drift` where the workspace's lock disagrees with it. The
 * client grants trust (`initializationOptions.trusted`); untrusted, see trust.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './lsp-client.js';
import { everythingServer } from '../helpers/mcp-servers.js';

let client: LspClient | undefined;

afterEach(async () => {
    await client?.stop();
    client = undefined;
});

/** Waits until the published diagnostics of `uri` satisfy `done`. */
async function waitFor(c: LspClient, uri: string, ticket: number, done: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    let seen = ticket;
    for (let i = 0; i < 20; i++) {
        const diags = await c.diagnosticsAfter(uri, seen, 30_000);
        if (done(diags)) {
            return diags;
        }
        seen = c.published(uri);
    }
    throw new Error('diagnostics never settled');
}

const text = `${everythingServer()}workflow w {\n    step sum uses ev."get-sum" { with { a: "two", b: 3 } }\n}\n`;

describe('live server schemas in the language server', () => {
    it('reports invalid-param against the schema the server lists', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-live-'));
        const file = path.join(dir, 'live.kmflow');
        fs.writeFileSync(file, text);
        client = await LspClient.start(dir, { initializationOptions: { trusted: true } });
        const uri = pathToFileURL(file).toString();
        const diags = await waitFor(client, uri, client.open(uri, text), (d) => d.some((x) => x.code === 'invalid-param'));
        const param = diags.find((d) => d.code === 'invalid-param')!;
        expect(param.message).toBe("ev.get-sum: 'a' must be number");
        expect(param.range.start).toEqual({ line: 5, character: 43 });
        expect(diags.some((d) => d.code === 'unverified-server')).toBe(false);

        // Completion and hover know the server's tools too.
        const at = { line: 5, character: text.split('\n')[5]!.indexOf('ev.') };
        const labels = (await client.completion(uri, at)).map((i) => i.label);
        expect(labels).toEqual(expect.arrayContaining(['ev."get-sum"', 'ev.echo']));
        const hover = await client.hover(uri, { line: 5, character: at.character + 5 });
        expect(JSON.stringify(hover?.contents)).toContain('get-sum');
    });

    it('warns schema-drift on the step when the lock was edited', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-drift-'));
        const file = path.join(dir, 'drift.kmflow');
        const ok = text.replace('a: "two"', 'a: 2');
        fs.writeFileSync(file, ok);
        fs.mkdirSync(path.join(dir, '.kmflow'));
        const lock = {
            version: 1,
            servers: { ev: { tools: { 'get-sum': { hash: `sha256:${'1'.repeat(64)}`, inputSchema: { type: 'object', properties: { a: { type: 'string' } } } } } } },
        };
        fs.writeFileSync(path.join(dir, '.kmflow/schemas.lock.json'), JSON.stringify(lock));
        client = await LspClient.start(dir, { initializationOptions: { trusted: true } });
        const uri = pathToFileURL(file).toString();
        const diags = await waitFor(client, uri, client.open(uri, ok), (d) => d.some((x) => x.code === 'schema-drift'));
        const drift = diags.find((d) => d.code === 'schema-drift')!;
        expect(drift.message).toMatch(/^tool 'ev.get-sum' changed its inputSchema(, [a-zA-Z]+)* since the lock/);
        expect(drift.range.start.line).toBe(5);
    });
});
