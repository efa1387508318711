/**
 * Trust, denied by default: each capability refused with code `denied`, naming it and
 * how to grant it, before anything is spawned or contacted; the host environment
 * readable only as granted; `shell` children get a minimal environment.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConnectorPool } from '../../src/engine/tools/connectors/index.js';
import type { ServerSpec } from '../../src/engine/model/model.js';
import { ToolRegistry } from '../../src/engine/tools/registry.js';
import type { RunOptions, RunReport } from '../../src/engine/run/run-types.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { DENIED, makeTrust, TRUSTED, type Trust } from '../../src/engine/security/trust.js';
import { lit, root, step, tool, workflow } from './helpers.js';

let dir: string;
let marker: string;
beforeAll(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-trust-')));
    marker = path.join(dir, 'spawned');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A stdio server that leaves a marker file when it is started at all. */
function evilServer(extra: Partial<ServerSpec> = {}): ServerSpec {
    return { name: 'evil', command: process.execPath, args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`], timeoutMs: 3000, ...extra };
}

async function runOn(server: ServerSpec, trust: Trust | undefined, poolTrust?: Trust): Promise<RunReport> {
    const pool = new McpConnectorPool([server], { root: dir, ...(poolTrust && { trust: poolTrust }) });
    const registry = new ToolRegistry([tool(`${server.name}.t`, { via: { server: server.name, tool: 't' } })]);
    try {
        const options: RunOptions = { registry, connectors: pool.connectors(), root: dir, ...(trust && { trust }) };
        return await runWorkflow(workflow([step('s', `${server.name}.t`)]), options);
    } finally {
        await pool.closeAll();
    }
}

describe('each capability, denied', () => {
    it('shell: refused by default, naming the capability and how to grant it', async () => {
        const report = await runWorkflow(workflow([step('s', 'shell', { command: lit('echo hi') })]), { registry: new ToolRegistry(), root: dir });
        expect(report.steps[0]).toMatchObject({ status: 'failed', error: { code: 'denied' } });
        expect(report.steps[0]!.error!.message).toMatch(/^shell: denied: .*capability 'shell' not granted.*--allow-exec/);
    });

    it('shell: the front door says how to grant it there', async () => {
        const trust = makeTrust({ network: true, grant: { shell: 'pass --allow-exec to kmflow run' } });
        const report = await runWorkflow(workflow([step('s', 'shell', { command: lit('echo hi') })]), { registry: new ToolRegistry(), root: dir, trust });
        expect(report.steps[0]!.error!.message).toMatch(/to allow it, pass --allow-exec to kmflow run$/);
    });

    it('network: http.request contacts nothing', async () => {
        const report = await runWorkflow(workflow([step('s', 'http.request', { url: lit('http://127.0.0.1:9/never') })]), { registry: new ToolRegistry(), root: dir, trust: makeTrust({ shell: true }) });
        expect(report.steps[0]).toMatchObject({ status: 'failed', error: { code: 'denied' } });
        expect(report.steps[0]!.error!.message).toMatch(/capability 'network'/);
    });

    it('spawn: a stdio server is never started, by the run or by a pool that lacks it', async () => {
        const byRun = await runOn(evilServer(), makeTrust({ shell: true, network: true }));
        expect(byRun.steps[0]).toMatchObject({ status: 'failed', error: { code: 'denied' } });
        expect(byRun.steps[0]!.error!.message).toMatch(/^MCP server 'evil': denied: .*capability 'spawn'/);
        const pool = new McpConnectorPool([evilServer()], { root: dir, trust: DENIED });
        const listing = await pool.listAll();
        await pool.closeAll();
        expect(listing.errors[0]!.error).toMatchObject({ code: 'denied' });
        expect(fs.existsSync(marker)).toBe(false);
    });

    it('network: an HTTP server is never contacted', async () => {
        const report = await runOn({ name: 'web', url: 'http://127.0.0.1:9/mcp', timeoutMs: 2000 }, makeTrust({ spawn: true }));
        expect(report.steps[0]).toMatchObject({ status: 'failed', error: { code: 'denied' } });
        expect(report.steps[0]!.error!.message).toMatch(/capability 'network'/);
    });

    it('outsideRoot: a stdio server working from a folder outside the root is not started', async () => {
        const report = await runOn(evilServer({ cwd: os.tmpdir() }), makeTrust({ spawn: true }));
        expect(report.steps[0]).toMatchObject({ status: 'failed', error: { code: 'denied' } });
        expect(report.steps[0]!.error!.message).toMatch(/capability 'outsideRoot'/);
        expect(fs.existsSync(marker)).toBe(false);
    });

    it('granted, the same server starts (the control)', async () => {
        const report = await runOn(evilServer(), TRUSTED);
        // It writes its marker and exits without speaking MCP: the start fails, after spawning.
        expect(report.steps[0]!.error!.code).toBe('server-unavailable');
        expect(fs.existsSync(marker)).toBe(true);
        fs.rmSync(marker);
    });
});

describe('the host environment', () => {
    const step1 = (r: 'env' | 'secret') => workflow([step('s', 'log', { message: { kind: 'template', parts: ['[', root(r, 'KMFLOW_TRUST_PROBE'), ']'] } }, { public: true })]);
    beforeAll(() => {
        process.env.KMFLOW_TRUST_PROBE = 'host-value';
    });
    afterAll(() => {
        delete process.env.KMFLOW_TRUST_PROBE;
    });

    it('env.NAME and secret.NAME read nothing ungranted; a granted name reads the host', async () => {
        const denied = await runWorkflow(step1('env'), { registry: new ToolRegistry(), root: dir });
        expect(denied.steps[0]!.output).toEqual({ message: '[]' });
        const named = await runWorkflow(step1('env'), { registry: new ToolRegistry(), root: dir, trust: makeTrust({ env: ['KMFLOW_TRUST_PROBE'] }) });
        expect(named.steps[0]!.output).toEqual({ message: '[host-value]' });
        // An ungranted variable read as a secret is not set: the run stops before starting, naming it.
        await expect(runWorkflow(step1('secret'), { registry: new ToolRegistry(), root: dir, trust: makeTrust({ env: ['HOME'] }) }))
            .rejects.toThrow(/step 's' reads secret\.KMFLOW_TRUST_PROBE, which is not set/);
    });

    it('shell gets a minimal environment: a host variable not declared is absent in the child', async () => {
        const report = await runWorkflow(workflow([step('s', 'shell', {
            command: lit('printf "%s|%s|%s" "${KMFLOW_TRUST_PROBE-absent}" "$DECLARED" "${PATH:+path}"'),
            env: { kind: 'object', entries: [{ key: 'DECLARED', value: lit('yes') }] },
        })]), { registry: new ToolRegistry(), root: dir, trust: TRUSTED });
        expect(report.steps[0]!.output).toMatchObject({ stdout: 'absent|yes|path', exitCode: 0 });
    });
});
