/**
 * `${secret.X}` and `${env.X}` in server blocks reach real servers when they start:
 * server-everything over stdio sees the secret in its environment (and none of the
 * host's other variables), a small HTTP MCP endpoint gets the Authorization header;
 * an unset one fails the start naming it, and every error quoting a secret is masked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { McpConnection, McpConnectorPool, registerServerTools } from '../../../src/engine/tools/connectors/index.js';
import { ToolRegistry } from '../../../src/engine/tools/registry.js';
import { runWorkflow } from '../../../src/engine/run/scheduler.js';
import { TRUSTED } from '../../../src/engine/security/trust.js';
import { step, workflow } from '../helpers.js';
import { EVERYTHING_JS, rejection } from './servers.js';

const TOKEN = 'sk-live-4b1d!é$(x)';

/** A streamable HTTP MCP endpoint (stateless) whose `whoami` answers the Authorization header it got. */
async function headerEcho(): Promise<{ url: string; server: Server }> {
    const server = createServer((req, res) => {
        const mcp = new McpServer({ name: 'echo-headers', version: '1.0.0' });
        mcp.registerTool('whoami', { description: 'the Authorization header' }, (extra) => ({
            content: [{ type: 'text', text: String(extra.requestInfo?.headers.authorization ?? 'none') }],
        }));
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        res.on('close', () => void transport.close());
        void mcp.connect(transport).then(() => transport.handleRequest(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, server };
}

describe('server blocks read secrets and variables when they start', () => {
    beforeAll(() => {
        process.env.KMFLOW_HOST_ONLY = 'not-for-servers';
    });
    afterAll(() => {
        delete process.env.KMFLOW_HOST_ONLY;
    });

    it('stdio: env entries reach server-everything, which sees no other host variable; the run masks the secret in its output', async () => {
        const pool = new McpConnectorPool([{
            name: 'ev', command: process.execPath, args: [EVERYTHING_JS, 'stdio'], timeoutMs: 20_000,
            env: { KM_TOKEN: '${secret.KM_TOKEN}', MODE: 'mode-${env.KMFLOW_TEST_MODE}' },
        }], { trust: TRUSTED, secrets: { KM_TOKEN: TOKEN }, env: { KMFLOW_TEST_MODE: 'blue' } });
        try {
            const env = JSON.parse(((await pool.connection('ev')!.callTool('get-env', {}, { toolId: 'ev.get-env', signal: new AbortController().signal }))
                .content as Array<{ text: string }>)[0]!.text) as Record<string, string>;
            expect(env.KM_TOKEN).toBe(TOKEN);
            expect(env.MODE).toBe('mode-blue');
            expect(env.KMFLOW_HOST_ONLY).toBeUndefined();
            expect(env.PATH).toBeDefined();
            const registry = new ToolRegistry();
            registerServerTools(registry, (await pool.listAll()).tools);
            const report = await runWorkflow(workflow([step('dump', 'ev.get-env')]), {
                registry, connectors: pool.connectors(), trust: TRUSTED, secrets: { KM_TOKEN: TOKEN },
            });
            expect(report.status).toBe('succeeded');
            expect(JSON.stringify(report)).not.toContain('sk-live');
            expect(JSON.stringify(report)).toContain('***');
        } finally {
            await pool.closeAll();
        }
    }, 60_000);

    it('HTTP: the header and the url are resolved, and the server gets "Bearer <secret>"', async () => {
        const { url, server } = await headerEcho();
        const port = new URL(url).port;
        const connection = new McpConnection({
            name: 'web', url: 'http://127.0.0.1:${env.ECHO_PORT}/mcp', headers: { Authorization: 'Bearer ${secret.KM_TOKEN}' }, timeoutMs: 10_000,
        }, { trust: TRUSTED, secrets: { KM_TOKEN: TOKEN }, env: { ECHO_PORT: port } });
        try {
            const result = await connection.callTool('whoami', {}, { toolId: 'web.whoami', signal: new AbortController().signal });
            expect((result.content as Array<{ text: string }>)[0]!.text).toBe(`Bearer ${TOKEN}`);
        } finally {
            await connection.close();
            server.close();
        }
    }, 30_000);

    it('an unset secret fails the start naming it, and nothing is sent', async () => {
        const connection = new McpConnection({ name: 'web', url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer ${secret.NOT_SET_ANYWHERE}' } }, { trust: TRUSTED, env: {} });
        const error = await rejection(connection.listTools());
        expect(error.code).toBe('server-unavailable');
        expect(error.message).toMatch(/headers\.Authorization: secret 'NOT_SET_ANYWHERE' is not set/);
    });

    it('masks the secret in every error quoting it: the command line, stderr, the url', async () => {
        const crash = new McpConnection({
            name: 'crash', command: process.execPath, args: ['-e', 'console.error("token is " + process.env.T + " and " + process.argv[1]); process.exit(3)', '${secret.KM_TOKEN}'],
            env: { T: '${secret.KM_TOKEN}' }, timeoutMs: 5000,
        }, { trust: TRUSTED, secrets: { KM_TOKEN: TOKEN } });
        const started = await rejection(crash.listTools());
        expect(started.message).toMatch(/could not start/);
        expect(started.message).toContain('token is *** and ***');
        expect(started.message).not.toContain('sk-live');
        expect(crash.stderrTail()).not.toContain('sk-live');
        const unreachable = new McpConnection({ name: 'web', url: 'http://127.0.0.1:9/mcp?key=${secret.KM_TOKEN}', timeoutMs: 2000 }, { trust: TRUSTED, secrets: { KM_TOKEN: 'abcd-1234-efgh' } });
        const refused = await rejection(unreachable.listTools());
        expect(refused.message).toMatch(/unreachable/);
        expect(refused.message).not.toContain('abcd-1234-efgh');
    }, 30_000);
});
