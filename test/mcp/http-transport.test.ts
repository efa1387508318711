/**
 * `kmflow mcp --http`: the built CLI serving streamable HTTP, driven by the MCP SDK's own
 * StreamableHTTPClientTransport and by raw requests for what a client would not send:
 * a foreign Host or Origin, no token or a wrong one, a body over the bound. The same tool
 * answers as over stdio.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { KMFLOW } from '../helpers/cli.js';
import { json, startOrchestrator } from './orchestrator-client.js';
import type { ExecutionPlan } from '../../src/engine/insight/plan.js';

const TINY = `workflow tiny {\n    cache none\n    step a uses delay { with { ms: 5 } }\n    step b uses log { with { message: "done" } after a }\n}\n`;

interface Served {
    child: ChildProcess;
    url: string;
    port: number;
    stderr(): string;
    /** SIGTERM, then the exit code. */
    stop(): Promise<number | null>;
}

const started: Served[] = [];
let root: string;

/** `kmflow mcp --http BIND ...extra` in `root`; resolves on its startup line (or rejects with its stderr when it exits). */
function serve(bind: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Served> {
    const base = { ...process.env };
    delete base.KMFLOW_MCP_TOKEN;
    const child = spawn(process.execPath, [KMFLOW, 'mcp', '--http', bind, '--root', root, ...extra], { env: { ...base, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
        child.stderr!.on('data', (d: Buffer) => {
            err += d.toString();
            const m = /serving streamable HTTP on (http:\/\/\S+:(\d+)\/mcp)/.exec(err);
            if (m) {
                const served: Served = {
                    child, url: m[1]!, port: Number(m[2]), stderr: () => err,
                    stop: () => { child.kill('SIGTERM'); return exited; },
                };
                started.push(served);
                resolve(served);
            }
        });
        void exited.then((code) => reject(Object.assign(new Error(`exited ${code}: ${err}`), { code, stderr: err })));
    });
}

const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

/** A raw POST to 127.0.0.1:port with exactly these headers (Host included). */
function post(port: number, headers: Record<string, string>, body = INIT): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', setHost: false,
            headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
            let text = '';
            res.on('data', (d: Buffer) => { text += d.toString(); });
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
        });
        req.on('error', reject);
        req.end(body);
    });
}

async function connect(url: string, token?: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
    const transport = new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : undefined);
    const client = new Client({ name: 'kmflow-http-test', version: '1.0.0' });
    await client.connect(transport);
    return { client, transport };
}

async function plan(client: Client): Promise<ExecutionPlan> {
    return json<ExecutionPlan>(await client.callTool({ name: 'km_ecosystem_orchestrator', arguments: { operation: 'plan', workflow_definition: TINY } }) as CallToolResult);
}

beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-mcp-http-'));
});

afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
});

afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
});

describe('kmflow mcp --http on loopback', { timeout: 60_000 }, () => {
    it('serves the tool to the SDK client in a session: lists it and plans a workflow as stdio does', async () => {
        const served = await serve('127.0.0.1:0');
        expect(served.url).toBe(`http://127.0.0.1:${served.port}/mcp`);
        const { client, transport } = await connect(served.url);
        expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name)).toEqual(['km_ecosystem_orchestrator']);
        const viaHttp = await plan(client);
        expect(viaHttp.workflow).toBe('tiny');
        expect(viaHttp.levels).toEqual([['a'], ['b']]);
        await transport.terminateSession();
        await client.close();

        const stdio = await startOrchestrator();
        try {
            const viaStdio = json<ExecutionPlan>(await stdio.call({ operation: 'plan', workflow_definition: TINY }));
            expect(viaHttp).toEqual(viaStdio);
        } finally {
            await stdio.close();
        }
    });

    it('refuses a foreign Host or Origin (DNS rebinding) and takes the loopback ones', async () => {
        const { port } = await serve('127.0.0.1:0');
        const foreignHost = await post(port, { Host: `evil.example.com:${port}` });
        expect(foreignHost.status).toBe(403);
        expect(foreignHost.body).toContain('Host');
        expect((await post(port, { Host: `127.0.0.1:${port + 1}` })).status).toBe(403);
        const foreignOrigin = await post(port, { Origin: 'http://evil.example.com' });
        expect(foreignOrigin.status).toBe(403);
        expect(foreignOrigin.body).toContain('Origin');
        expect((await post(port, { Host: `localhost:${port}`, Origin: `http://localhost:${port}` })).status).toBe(200);
        expect((await post(port, { Origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    });

    it('--allowed-origin adds an origin (with CORS for it); others stay refused', async () => {
        const { port } = await serve('127.0.0.1:0', ['--allowed-origin', 'https://app.example.com']);
        const ok = await post(port, { Origin: 'https://app.example.com' });
        expect(ok.status).toBe(200);
        expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
        expect(ok.headers['access-control-expose-headers']).toContain('Mcp-Session-Id');
        expect((await post(port, { Origin: 'https://other.example.com' })).status).toBe(403);
    });

    it('bounds the request body and asks for a session on anything but initialize', async () => {
        const { port } = await serve('127.0.0.1:0');
        const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(1024 * 1024 + 10) } });
        expect((await post(port, {}, big)).status).toBe(413);
        const noSession = await post(port, {}, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
        expect(noSession.status).toBe(400);
        expect((await post(port, { 'Mcp-Session-Id': 'no-such-session' }, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }))).status).toBe(404);
    });

    it('shuts down cleanly on SIGTERM, closing its sessions', async () => {
        const served = await serve('127.0.0.1:0');
        const { client } = await connect(served.url);
        await client.listTools();
        expect(await served.stop()).toBe(0);
        expect(served.stderr()).toContain('shutting down (1 session)');
        started.splice(started.indexOf(served), 1);
    });
});

describe('kmflow mcp --http off loopback', { timeout: 60_000 }, () => {
    it('refuses to start without a bearer token', async () => {
        const err = await serve('0.0.0.0:0').then(() => undefined, (e: { code: number; stderr: string }) => e);
        expect(err?.code).toBe(2);
        expect(err?.stderr).toMatch(/not loopback: set a bearer token in \$KMFLOW_MCP_TOKEN/);
    });

    it('requires the token from --token-env: none → 401, wrong → 401, right → served', async () => {
        const token = 'k'.repeat(12) + '-secret-token';
        const served = await serve('0.0.0.0:0', ['--token-env', 'MY_MCP_TOKEN'], { MY_MCP_TOKEN: token });
        expect(served.stderr()).toContain('bearer token from $MY_MCP_TOKEN required');
        expect(served.stderr()).not.toContain(token);
        const url = `http://127.0.0.1:${served.port}/mcp`;
        const none = await post(served.port, {});
        expect(none.status).toBe(401);
        expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
        const wrong = await post(served.port, { Authorization: 'Bearer not-the-token' });
        expect(wrong.status).toBe(401);
        expect(wrong.headers['www-authenticate']).toContain('error="invalid_token"');
        expect((await post(served.port, { Authorization: `Bearer ${token}x` })).status).toBe(401);
        await expect(connect(url)).rejects.toThrow();
        await expect(connect(url, 'wrong')).rejects.toThrow();
        const { client } = await connect(url, token);
        expect((await plan(client)).workflow).toBe('tiny');
        await client.close();
    });
});
