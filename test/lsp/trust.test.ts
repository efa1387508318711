/**
 * Workspace Trust in the language server, over a real stdio connection: untrusted (the
 * default of `kmflow lsp --stdio`, and whatever the client does not grant) it starts no
 * `server` command and contacts no `url` to list tools, uses the schema lock only, and
 * says why; `initializationOptions.trusted: true` or `--trusted` grants both.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './lsp-client.js';
import { everythingServer } from '../helpers/mcp-servers.js';

let client: LspClient | undefined;
let web: http.Server;
let requests = 0;

beforeAll(async () => {
    // Stands in for an HTTP MCP server: counts who knocks, answers nobody.
    web = http.createServer((req, res) => {
        requests++;
        req.resume();
        res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
    await new Promise<void>((resolve) => web.close(() => resolve()));
});

afterEach(async () => {
    await client?.stop();
    client = undefined;
});

/** Waits until the published diagnostics of `uri` satisfy `done`. */
async function waitFor(c: LspClient, uri: string, done: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    let seen = 0;
    for (let i = 0; i < 20; i++) {
        const diags = await c.diagnosticsAfter(uri, seen, 30_000);
        if (done(diags)) {
            return diags;
        }
        seen = c.published(uri);
    }
    throw new Error('diagnostics never settled');
}

/** A workspace whose servers would leave a trace if reached, and a lock that knows their tools. */
function evilWorkspace(): { dir: string; file: string; text: string; marker: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-trust-'));
    const marker = path.join(dir, 'pwned');
    const port = (web.address() as AddressInfo).port;
    const text = `server evil {\n    command "sh"\n    args ["-c", ${JSON.stringify(`touch '${marker}'`)}]\n}\n` +
        `server remote { url "http://127.0.0.1:${port}/mcp" }\n` +
        'workflow w {\n    step a uses evil.wipe { with { path: 3 } }\n    step b uses remote.fetch { with { id: "x" } }\n}\n';
    const file = path.join(dir, 'evil.kmflow');
    fs.writeFileSync(file, text);
    const tool = (name: string, type: string): unknown => ({
        [name]: { hash: `sha256:${'1'.repeat(64)}`, inputSchema: { type: 'object', properties: { [name === 'wipe' ? 'path' : 'id']: { type } } } },
    });
    fs.mkdirSync(path.join(dir, '.kmflow'));
    fs.writeFileSync(path.join(dir, '.kmflow/schemas.lock.json'), JSON.stringify({
        version: 1, servers: { evil: { tools: tool('wipe', 'string') }, remote: { tools: tool('fetch', 'string') } },
    }));
    return { dir, file, text, marker };
}

const cases = [
    { name: 'no initializationOptions', args: [], init: undefined, trusted: false },
    { name: 'trusted: false', args: [], init: { trusted: false }, trusted: false },
    { name: '--trusted, but the client says trusted: false', args: ['--trusted'], init: { trusted: false }, trusted: false },
    { name: 'trusted: true (the control: the same set-up does reach both)', args: [], init: { trusted: true }, trusted: true },
];

describe('workspace trust in the language server', () => {
    it.each(cases)('$name', async ({ args, init, trusted }) => {
        const { dir, file, text, marker } = evilWorkspace();
        requests = 0;
        client = await LspClient.start(dir, { args, initializationOptions: init });
        const uri = pathToFileURL(file).toString();
        // didOpen validates, which starts the background pass (the lock, then the live listing
        // where allowed) and its re-validation: only that one knows evil.wipe's locked schema.
        client.open(uri, text);
        const opened = await waitFor(client, uri, (d) => d.some((x) => x.code === 'invalid-param'));
        expect(opened.find((d) => d.code === 'invalid-param')?.message).toBe("evil.wipe: 'path' must be string");

        expect(fs.existsSync(marker)).toBe(trusted);
        expect(requests > 0).toBe(trusted);
        const hints = opened.filter((d) => d.severity === 4).map((d) => [d.message, d.range.start.line]);
        const notices = client.logs.filter((m) => m.includes('not trusted'));
        if (trusted) {
            expect(hints).toEqual([]);
            expect(notices).toEqual([]);
        } else {
            expect(hints).toEqual([
                ["live tool listing is off: the workspace is not trusted, so server 'evil' is not started; its tools come from .kmflow/schemas.lock.json only", 0],
                ["live tool listing is off: the workspace is not trusted, so server 'remote' is not contacted; its tools come from .kmflow/schemas.lock.json only", 4],
            ]);
            expect(opened.find((d) => d.severity === 4)?.code).toBe('unverified-server');
            expect(notices).toHaveLength(1);
            expect(notices[0]).toContain("'evil', 'remote'");
        }
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('lists a real server\'s tools with --trusted', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-trusted-'));
        const file = path.join(dir, 'live.kmflow');
        const text = `${everythingServer()}workflow w {\n    step sum uses ev."get-sum" { with { a: "two", b: 3 } }\n}\n`;
        fs.writeFileSync(file, text);
        client = await LspClient.start(dir, { args: ['--trusted'] });
        const uri = pathToFileURL(file).toString();
        client.open(uri, text);
        const diags = await waitFor(client, uri, (d) => d.some((x) => x.code === 'invalid-param'));
        expect(diags.find((d) => d.code === 'invalid-param')?.message).toBe("ev.get-sum: 'a' must be number");
        expect(diags.filter((d) => d.code === 'unverified-server')).toEqual([]);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('without trust, the same server\'s tools stay unknown and the server says why', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-untrusted-'));
        const file = path.join(dir, 'live.kmflow');
        const text = `${everythingServer()}workflow w {\n    step sum uses ev."get-sum" { with { a: "two", b: 3 } }\n}\n`;
        fs.writeFileSync(file, text);
        client = await LspClient.start(dir);
        const uri = pathToFileURL(file).toString();
        client.open(uri, text);
        // Published twice: on didOpen, then after the background pass re-validated.
        const diags = await client.diagnosticsAfter(uri, 1);
        expect(diags.map((d) => [d.code, d.severity])).toEqual(expect.arrayContaining([['unverified-server', 3], ['unverified-server', 4]]));
        expect(diags.some((d) => d.code === 'invalid-param')).toBe(false);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
