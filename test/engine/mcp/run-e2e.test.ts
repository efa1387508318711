/**
 * End to end: hand-built workflows that mix a built-in tool with two real MCP servers
 * (server-everything and server-filesystem), run by `runWorkflow`, outputs flowing
 * between them; and a `resilient` run that survives its server being killed.
 */
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConnectorPool, registerServerTools } from '../../../src/engine/tools/connectors/index.js';
import { ToolRegistry } from '../../../src/engine/tools/registry.js';
import type { RunEvent } from '../../../src/engine/run/run-types.js';
import { runWorkflow } from '../../../src/engine/run/scheduler.js';
import { DEFAULT_SETTINGS, type Expr, type StepSpec, type WorkflowSettings, type WorkflowSpec } from '../../../src/engine/model/model.js';
import { TRUSTED } from '../../../src/engine/security/trust.js';
import { everythingSpec, filesystemSpec } from './servers.js';

// Small builders for hand-made workflows (what `to-engine-model` makes from source).
const lit = (value: string | number): Expr => ({ kind: 'literal', value });
const obj = (entries: Record<string, Expr>): Expr => ({ kind: 'object', entries: Object.entries(entries).map(([key, value]) => ({ key, value })) });
const ref = (name: string, ...fields: string[]): Expr => ({ kind: 'ref', root: 'step', name, path: fields.map((field) => ({ field })) });
const step = (id: string, tool: string, params: Record<string, Expr>, extra: Partial<StepSpec> = {}): StepSpec => ({
    id,
    tool,
    with: obj(params),
    after: [],
    requires: [],
    ensures: [],
    ...extra,
});
const workflow = (steps: StepSpec[], settings: Partial<WorkflowSettings> = {}): WorkflowSpec => ({
    id: 'mcp_e2e',
    inputs: [],
    settings: { ...DEFAULT_SETTINGS, ...settings },
    steps,
});

let dir: string;

beforeAll(async () => {
    dir = await realpath(await mkdtemp(path.join(tmpdir(), 'kmflow-e2e-')));
});

afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
});

/** A pool of both servers and a registry holding what they list. */
async function setup(): Promise<{ pool: McpConnectorPool; registry: ToolRegistry }> {
    const pool = new McpConnectorPool([everythingSpec('ev'), filesystemSpec(dir, 'fs')], { root: dir });
    const listing = await pool.listAll();
    expect(listing.errors).toEqual([]);
    const registry = new ToolRegistry();
    registerServerTools(registry, listing.tools);
    return { pool, registry };
}

describe('runWorkflow over real MCP servers', () => {
    it('flows outputs between a builtin and two servers', async () => {
        const { pool, registry } = await setup();
        const report = path.join(dir, 'report.txt');
        const wf = workflow([
            step('sum', 'ev.get-sum', { a: lit(2), b: lit(3) }),
            step('weather', 'ev.get-structured-content', { location: lit('Chicago') }),
            step('note', 'template', {
                template: lit('{{sum}} It is {{t}} degrees in Chicago.'),
                values: obj({ sum: ref('sum', 'output'), t: ref('weather', 'output', 'temperature') }),
            }),
            step('write', 'fs.write_file', { path: lit(report), content: ref('note', 'output') }),
            step('read', 'fs.read_text_file', { path: lit(report) }, { after: ['write'] }),
            step('shout', 'ev.echo', { message: ref('read', 'output', 'content') }),
        ]);
        try {
            const result = await runWorkflow(wf, { registry, connectors: pool.connectors(), root: dir, trust: TRUSTED });
            const byId = new Map(result.steps.map((s) => [s.id, s]));
            expect(result.steps.map((s) => [s.id, s.status])).toEqual(wf.steps.map((s) => [s.id, 'succeeded']));
            expect(result.status).toBe('succeeded');
            expect(byId.get('weather')!.output).toMatchObject({ temperature: 36 });
            expect(byId.get('note')!.output).toBe('The sum of 2 and 3 is 5. It is 36 degrees in Chicago.');
            expect(await readFile(report, 'utf8')).toBe('The sum of 2 and 3 is 5. It is 36 degrees in Chicago.');
            expect(byId.get('shout')!.output).toBe('Echo: The sum of 2 and 3 is 5. It is 36 degrees in Chicago.');
            // One session per server for the whole run.
            expect(pool.connection('ev')!.sessionCount).toBe(1);
            expect(pool.connection('fs')!.sessionCount).toBe(1);
        } finally {
            await pool.closeAll();
        }
    });

    it('a schema error stops the step before the server sees it', async () => {
        const { pool, registry } = await setup();
        try {
            const result = await runWorkflow(workflow([step('bad', 'ev.get-sum', { a: lit('two') })], { errors: 'resilient' }), {
                registry,
                connectors: pool.connectors(),
                root: dir,
            });
            expect(result.steps[0]).toMatchObject({ status: 'failed', attempts: 0, error: { code: 'invalid-param' } });
        } finally {
            await pool.closeAll();
        }
    });

    it('resilient: the server killed mid-run fails its step, the rest goes on', async () => {
        const { pool, registry } = await setup();
        const killed: number[] = [];
        const onEvent = (event: RunEvent): void => {
            // Kill server-everything at the long call's first progress notification.
            if (event.type === 'step-progress' && event.stepId === 'long' && killed.length === 0) {
                const pid = pool.connection('ev')!.pid!;
                killed.push(pid);
                process.kill(pid, 'SIGKILL');
            }
        };
        const wf = workflow(
            [
                step('long', 'ev.trigger-long-running-operation', { duration: lit(10), steps: lit(50) }),
                step('after_long', 'ev.echo', { message: ref('long', 'output') }),
                step('wait', 'delay', { ms: lit(1000) }),
                step('again', 'ev.get-sum', { a: lit(40), b: lit(2) }, { after: ['wait'] }),
                step('save', 'fs.write_file', { path: lit(path.join(dir, 'again.txt')), content: ref('again', 'output') }),
            ],
            { errors: 'resilient' },
        );
        try {
            const started = Date.now();
            const result = await runWorkflow(wf, { registry, connectors: pool.connectors(), root: dir, onEvent, trust: TRUSTED });
            const byId = new Map(result.steps.map((s) => [s.id, s]));
            expect(killed).toHaveLength(1);
            expect(byId.get('long')).toMatchObject({ status: 'failed', error: { code: 'disconnected', retryable: true } });
            expect(byId.get('after_long')!.status).toBe('skipped');
            expect(byId.get('wait')!.status).toBe('succeeded');
            // The next call restarted the server.
            expect(byId.get('again')).toMatchObject({ status: 'succeeded', output: 'The sum of 40 and 2 is 42.' });
            expect(byId.get('save')!.status).toBe('succeeded');
            expect(await readFile(path.join(dir, 'again.txt'), 'utf8')).toBe('The sum of 40 and 2 is 42.');
            expect(pool.connection('ev')!.sessionCount).toBe(2);
            expect(result.status).toBe('partial');
            expect(Date.now() - started).toBeLessThan(8000);
        } finally {
            await pool.closeAll();
        }
    });
});
