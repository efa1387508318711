/**
 * The MCP connector over streamable HTTP (server-everything on a free local port),
 * against server-filesystem on a temporary folder, and with servers that cannot start.
 */
import { mkdtemp, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConnectorPool } from '../../../src/engine/tools/connectors/index.js';
import type { ToolDescriptor } from '../../../src/engine/model/model.js';
import { filesystemSpec, freePort, rejection, startEverythingHttp, testContext, type HttpServer } from './servers.js';

/** Pids whose command line contains `text` (Linux /proc; none elsewhere). */
async function processesWith(text: string): Promise<number[]> {
    const pids = await readdir('/proc').catch(() => [] as string[]);
    const found: number[] = [];
    for (const pid of pids.filter((p) => /^\d+$/.test(p))) {
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (cmdline.includes(text) && Number(pid) !== process.pid) {
            found.push(Number(pid));
        }
    }
    return found;
}


describe('server-everything over streamable HTTP', () => {
    let server: HttpServer;
    let pool: McpConnectorPool;

    beforeAll(async () => {
        server = await startEverythingHttp();
        pool = new McpConnectorPool([{ name: 'web', url: server.url, timeoutMs: 10_000 }]);
    });

    afterAll(async () => {
        await pool?.closeAll();
        await server?.stop();
    });

    it('lists and calls tools over HTTP', async () => {
        const listing = await pool.listAll();
        expect(listing.errors).toEqual([]);
        const tools = new Map(listing.tools.map((t) => [t.id, t]));
        const sum = tools.get('web.get-sum')!;
        expect(sum).toMatchObject({ source: 'server', via: { server: 'web', tool: 'get-sum' }, readOnly: true });
        expect(pool.connection('web')!.transportKind).toBe('streamable-http');

        const connector = pool.connectorFor('web')!;
        expect((await connector.call(sum, { a: 1, b: 2 }, testContext())).output).toBe('The sum of 1 and 2 is 3.');
        const weather = await connector.call(tools.get('web.get-structured-content')!, { location: 'New York' }, testContext());
        expect(weather.output).toEqual({ temperature: 33, conditions: 'Cloudy', humidity: 82 });
    });

    it('streams progress over HTTP', async () => {
        const ctx = testContext();
        const tool = (await pool.listAll()).tools.find((t) => t.id === 'web.trigger-long-running-operation')!;
        await pool.connectorFor('web')!.call(tool, { duration: 0.3, steps: 3 }, ctx);
        expect(ctx.progressEvents.length).toBeGreaterThanOrEqual(2);
    });

    it('a server that dies mid-call: `disconnected` at once, a new session once it is back', async () => {
        const connector = pool.connectorFor('web')!;
        const tools = (await pool.listAll()).tools;
        const long = tools.find((t) => t.id === 'web.trigger-long-running-operation')!;
        const port = Number(new URL(server.url).port);
        const call = connector.call(long, { duration: 10, steps: 10 }, testContext({ signal: AbortSignal.timeout(15_000) }));
        setTimeout(() => server.child.kill('SIGKILL'), 300);
        const started = Date.now();
        const err = await rejection(call);
        expect(err.code).toBe('disconnected');
        expect(err.retryable).toBe(true);
        expect(Date.now() - started).toBeLessThan(5000);

        server = await startEverythingHttp({ port });
        const sum = tools.find((t) => t.id === 'web.get-sum')!;
        expect((await connector.call(sum, { a: 5, b: 6 }, testContext())).output).toBe('The sum of 5 and 6 is 11.');
        expect(pool.connection('web')!.sessionCount).toBe(2);
    });

    it('names the server and url when nothing listens there', async () => {
        const port = await freePort();
        const dead = new McpConnectorPool([{ name: 'gone', url: `http://127.0.0.1:${port}/mcp`, timeoutMs: 3000 }]);
        const listing = await dead.listAll();
        expect(listing.tools).toEqual([]);
        expect(listing.errors).toHaveLength(1);
        const { server: name, error } = listing.errors[0]!;
        expect(name).toBe('gone');
        expect(error.code).toBe('server-unavailable');
        expect(error.message).toContain(`'gone'`);
        expect(error.message).toContain(`127.0.0.1:${port}`);
        await dead.closeAll();
    });
});

describe('server-everything over the older SSE transport', () => {
    it('falls back to SSE when streamable HTTP is refused', async () => {
        const server = await startEverythingHttp({ mode: 'sse' });
        const pool = new McpConnectorPool([{ name: 'old', url: server.url, timeoutMs: 10_000 }]);
        try {
            const listing = await pool.listAll();
            expect(listing.errors).toEqual([]);
            expect(pool.connection('old')!.transportKind).toBe('sse');
            const echo = listing.tools.find((t) => t.id === 'old.echo')!;
            expect((await pool.connectorFor('old')!.call(echo, { message: 'over sse' }, testContext())).output).toBe('Echo: over sse');
        } finally {
            await pool.closeAll();
            await server.stop();
        }
    });
});

describe('server-filesystem on a temporary folder', () => {
    let dir: string;
    let pool: McpConnectorPool;
    let tools: Map<string, ToolDescriptor>;

    beforeAll(async () => {
        dir = await realpath(await mkdtemp(path.join(tmpdir(), 'kmflow-fs-')));
        await writeFile(path.join(dir, 'hello.txt'), 'hello from the test\n');
        pool = new McpConnectorPool([filesystemSpec(dir)]);
        const listing = await pool.listAll();
        expect(listing.errors).toEqual([]);
        tools = new Map(listing.tools.map((t) => [t.id, t]));
    });

    afterAll(async () => {
        await pool?.closeAll();
        await rm(dir, { recursive: true, force: true });
    });

    it('maps annotations: read-only tools are standard, writers are destructive and high', () => {
        expect(tools.get('fs.read_text_file')).toMatchObject({ readOnly: true, cacheable: true, destructive: false, security: 'standard' });
        expect(tools.get('fs.write_file')).toMatchObject({ readOnly: false, cacheable: false, idempotent: true, destructive: true, security: 'high' });
        expect(tools.get('fs.create_directory')).toMatchObject({ destructive: false, openWorld: false, security: 'standard' });
    });

    it('lists allowed directories, writes and reads a file', async () => {
        const fs = pool.connectorFor('fs')!;
        const allowed = await fs.call(tools.get('fs.list_allowed_directories')!, {}, testContext());
        expect(allowed.output).toEqual({ content: expect.stringContaining(dir) });

        const target = path.join(dir, 'out.txt');
        await fs.call(tools.get('fs.write_file')!, { path: target, content: 'written by kmflow' }, testContext());
        expect(await readFile(target, 'utf8')).toBe('written by kmflow');

        const read = await fs.call(tools.get('fs.read_text_file')!, { path: path.join(dir, 'hello.txt') }, testContext());
        expect(read.output).toEqual({ content: 'hello from the test\n' });
    });

    it('fails with the server\'s message for an isError result', async () => {
        const fs = pool.connectorFor('fs')!;
        const err = await rejection(fs.call(tools.get('fs.read_text_file')!, { path: '/etc/passwd' }, testContext()));
        expect(err.code).toBe('tool-error');
        expect(err.retryable).toBe(false);
        expect(err.message).toMatch(/^fs\.read_text_file: .*(denied|outside|allowed)/i);
    });
});

describe('servers that cannot start', () => {
    it('a command that does not exist: one clear error naming server and command', async () => {
        const pool = new McpConnectorPool([{ name: 'ghost', command: 'kmflow-no-such-server-cmd', args: ['--stdio'] }]);
        const listing = await pool.listAll();
        const error = listing.errors[0]!.error;
        expect(error.code).toBe('server-unavailable');
        expect(error.retryable).toBe(false);
        expect(error.message).toContain("'ghost'");
        expect(error.message).toContain('kmflow-no-such-server-cmd --stdio');
        expect(error.message).toContain('command not found');

        // The call fails the same way, at once, without respawning.
        const tool = { id: 'ghost.x', capabilities: [], dependsOn: [], resources: {}, performance: {}, integrates: [], security: 'standard', cacheable: false, readOnly: false, source: 'server', via: { server: 'ghost', tool: 'x' } } satisfies ToolDescriptor;
        const err = await rejection(pool.connectorFor('ghost')!.call(tool, {}, testContext()));
        expect(err).toBe(error);
        await pool.closeAll();
    });

    it('a server that never answers initialize: the connect timeout, and no process left', async () => {
        const marker = `kmflow-mute-${process.pid}-${Date.now()}`;
        const pool = new McpConnectorPool([{ name: 'mute', command: process.execPath, args: ['-e', `setInterval(() => {}, 1000) // ${marker}`], timeoutMs: 500 }]);
        const { errors } = await pool.listAll();
        expect(errors[0]!.error.code).toBe('server-unavailable');
        expect(errors[0]!.error.message).toContain("MCP server 'mute' could not start: no answer to initialize within 500 ms");
        await pool.closeAll();
        expect(await processesWith(marker)).toEqual([]);
    });

    it('a server that exits at once: its stderr tail is in the message', async () => {
        const script = "console.error('fatal: no config file'); process.exit(3)";
        const pool = new McpConnectorPool([{ name: 'crashy', command: process.execPath, args: ['-e', script] }]);
        const started = Date.now();
        const { errors } = await pool.listAll();
        expect(Date.now() - started).toBeLessThan(5000);
        const message = errors[0]!.error.message;
        expect(message).toContain("MCP server 'crashy' could not start");
        expect(message).toContain(process.execPath);
        expect(message).toContain('fatal: no config file');
        await pool.closeAll();
    });
});
