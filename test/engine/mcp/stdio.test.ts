/**
 * The MCP connector against the real server-everything over stdio: listing, calls,
 * structured output, schema errors, progress, cancellation, and a server killed
 * mid-call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConnection, McpConnector } from '../../../src/engine/tools/connectors/index.js';
import type { ToolDescriptor } from '../../../src/engine/model/model.js';
import { validateParams } from '../../../src/engine/model/param-schema.js';
import { ToolError } from '../../../src/engine/tools/tool-error.js';
import { alive, everythingSpec, rejection, testContext } from './servers.js';

let connection: McpConnection;
let connector: McpConnector;
let tools: Map<string, ToolDescriptor>;

function tool(name: string): ToolDescriptor {
    const t = tools.get(`ev.${name}`);
    if (!t) {
        throw new Error(`server-everything lists no '${name}' (has ${[...tools.keys()].join(', ')})`);
    }
    return t;
}


beforeAll(async () => {
    connection = new McpConnection(everythingSpec());
    connector = new McpConnector(connection);
    tools = new Map((await connection.listDescriptors()).map((t) => [t.id, t]));
});

afterAll(async () => {
    await connector.close();
});

describe('server-everything over stdio', () => {
    it('lists tools with schemas, annotations and a server-sourced descriptor', () => {
        const sum = tool('get-sum');
        expect(sum).toMatchObject({
            id: 'ev.get-sum',
            title: 'Get Sum Tool',
            source: 'server',
            via: { server: 'ev', tool: 'get-sum' },
            readOnly: true,
            cacheable: true,
            idempotent: true,
            destructive: false,
            openWorld: false,
            security: 'standard',
            status: 'live',
        });
        expect(sum.inputSchema).toMatchObject({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } });
        expect(tool('get-structured-content').outputSchema).toMatchObject({ type: 'object', properties: { temperature: { type: 'number' } } });
        for (const id of ['echo', 'trigger-long-running-operation']) {
            expect(tool(id).inputSchema).toBeDefined();
        }
    });

    it('calls get-sum: text output', async () => {
        const result = await connector.call(tool('get-sum'), { a: 2, b: 3 }, testContext());
        expect(result.output).toBe('The sum of 2 and 3 is 5.');
        expect(result.raw).toMatchObject({ content: [{ type: 'text', text: 'The sum of 2 and 3 is 5.' }] });
    });

    it('calls echo', async () => {
        const result = await connector.call(tool('echo'), { message: 'hello kmflow' }, testContext());
        expect(result.output).toBe('Echo: hello kmflow');
    });

    it('calls get-structured-content: structuredContent is the output', async () => {
        const result = await connector.call(tool('get-structured-content'), { location: 'Chicago' }, testContext());
        expect(result.output).toEqual({ temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 });
        expect((result.raw as { structuredContent: unknown }).structuredContent).toEqual(result.output);
    });

    it('catches a schema error before the call, with the listed schema', () => {
        const sum = tool('get-sum');
        expect(validateParams(sum.inputSchema, { a: 2, b: 3 })).toEqual([]);
        const problems = validateParams(sum.inputSchema, { a: 'two' });
        expect(problems.map((p) => p.message)).toEqual(expect.arrayContaining(["missing required parameter 'b'", "'a' must be number"]));
        expect(validateParams(tool('get-structured-content').inputSchema, { location: 'Paris' })[0]?.keyword).toBe('enum');
    });

    it('reports a server-side parameter refusal as a failed call', async () => {
        // Bypassing our own validation: the server refuses and says why.
        const err = await rejection(connector.call(tool('get-sum'), { a: 'two', b: 3 }, testContext()));
        expect(['invalid-param', 'tool-error']).toContain(err.code);
        expect(err.message).toContain('ev.get-sum');
    });

    it('forwards progress notifications to ctx.progress', async () => {
        const ctx = testContext();
        const result = await connector.call(tool('trigger-long-running-operation'), { duration: 0.4, steps: 4 }, ctx);
        expect(result.output).toMatch(/Long running operation completed/);
        // The SDK handles notifications a tick after responses, so the final progress
        // (sent right before the result) may be dropped: expect the ones before it.
        const seen = ctx.progressEvents.map((p) => p.progress);
        expect(seen.slice(0, 3)).toEqual([1, 2, 3]);
        expect(ctx.progressEvents.every((p) => p.total === 4)).toBe(true);
    });

    it('cancels a call when its signal times out, promptly', async () => {
        const started = Date.now();
        const err = await rejection(
            connector.call(tool('trigger-long-running-operation'), { duration: 10, steps: 10 }, testContext({ signal: AbortSignal.timeout(300) })),
        );
        expect(['timeout', 'cancelled']).toContain(err.code);
        expect(Date.now() - started).toBeLessThan(2000);
        // The session survives a cancellation.
        expect((await connector.call(tool('echo'), { message: 'still here' }, testContext())).output).toBe('Echo: still here');
    });

    it("keeps the engine's own abort reason (a step timeout)", async () => {
        const controller = new AbortController();
        const reason = new ToolError('timeout', "step 'x' timed out after 100 ms");
        setTimeout(() => controller.abort(reason), 100);
        const err = await rejection(connector.call(tool('trigger-long-running-operation'), { duration: 5, steps: 5 }, testContext({ signal: controller.signal })));
        expect(err).toBe(reason);
    });

    it('fails not-implemented for a spec-only tool without calling', async () => {
        const starts = connection.sessionCount;
        const err = await rejection(connector.call({ ...tool('echo'), id: 'ev.future', status: 'spec', via: { server: 'ev', tool: 'future' } }, {}, testContext()));
        expect(err.code).toBe('not-implemented');
        expect(err.message).toContain("'ev.future'");
        expect(connection.sessionCount).toBe(starts);
    });

    it('turns a server killed mid-call into `disconnected`, then restarts it', async () => {
        const pid = connection.pid!;
        expect(pid).toBeGreaterThan(0);
        const call = connector.call(tool('trigger-long-running-operation'), { duration: 10, steps: 10 }, testContext());
        setTimeout(() => process.kill(pid, 'SIGKILL'), 300);
        const started = Date.now();
        const err = await rejection(call);
        expect(err.code).toBe('disconnected');
        expect(err.retryable).toBe(true);
        expect(err.message).toContain("'ev'");
        expect(Date.now() - started).toBeLessThan(3000);
        expect(alive(pid)).toBe(false);

        const starts = connection.sessionCount;
        const result = await connector.call(tool('get-sum'), { a: 40, b: 2 }, testContext());
        expect(result.output).toBe('The sum of 40 and 2 is 42.');
        expect(connection.sessionCount).toBe(starts + 1);
        expect(connection.pid).not.toBe(pid);
    });

    it('shares one session between concurrent calls', async () => {
        const fresh = new McpConnection(everythingSpec('ev2'));
        try {
            const c = new McpConnector(fresh);
            const echo = { ...tool('echo'), id: 'ev2.echo', via: { server: 'ev2', tool: 'echo' } };
            const results = await Promise.all([1, 2, 3, 4, 5].map((i) => c.call(echo, { message: `m${i}` }, testContext())));
            expect(results.map((r) => r.output)).toEqual(['Echo: m1', 'Echo: m2', 'Echo: m3', 'Echo: m4', 'Echo: m5']);
            expect(fresh.sessionCount).toBe(1);
        } finally {
            await fresh.close();
        }
        expect(fresh.isOpen).toBe(false);
    });
});
