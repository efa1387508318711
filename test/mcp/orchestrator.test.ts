/**
 * `kmflow mcp` end to end: the built CLI spawned over stdio and driven by the MCP SDK's
 * own Client, as any MCP host would. Every operation, an invalid workflow, bad
 * arguments, and overrides that visibly change the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { KMFLOW } from '../helpers/cli.js';
import type { Analysis } from '../../src/engine/insight/analyze.js';
import type { MonitorReport } from '../../src/engine/insight/monitor.js';
import type { Optimization } from '../../src/engine/insight/optimize.js';
import type { ExecutionPlan } from '../../src/engine/insight/plan.js';
import type { RunReport } from '../../src/engine/run/run-types.js';
import { runAnswer } from './orchestrator-client.js';

// `cache none`: the MCP face's default (the seed's `intelligent`) would answer repeated delays from the cache.
const FOUR = `workflow fan "four waits" {
    cache none
    step a uses delay { with { ms: 40 } }
    step b uses delay { with { ms: 40 } }
    step c uses delay { with { ms: 40 } }
    step d uses delay { with { ms: 40 } }
    step done uses log { with { message: "done" } after a, b, c, d }
}
`;

let dir: string;
let client: Client;

async function call(args: Record<string, unknown>): Promise<CallToolResult> {
    return (await client.callTool({ name: 'km_ecosystem_orchestrator', arguments: args })) as CallToolResult;
}

function json<T>(result: CallToolResult): T {
    expect(result.isError ?? false).toBe(false);
    const text = (result.content[0] as { text: string }).text;
    const value = JSON.parse(text) as T;
    expect(result.structuredContent).toEqual(value);
    return value;
}

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-mcp-'));
    fs.writeFileSync(path.join(dir, 'serial.kmflow'), `workflow serial {\n    mode sequential\n    cache none\n    step x uses delay { with { ms: 30 } }\n    step y uses delay { with { ms: 30 } }\n    step z uses delay { with { ms: 30 } }\n}\n`);
    client = new Client({ name: 'kmflow-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [KMFLOW, 'mcp', '--root', dir], stderr: 'pipe' }));
});

afterAll(async () => {
    await client?.close();
    fs.rmSync(dir, { recursive: true, force: true });
});

describe('kmflow mcp', () => {
    it('lists one tool, km_ecosystem_orchestrator, with the arguments of the design', async () => {
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name)).toEqual(['km_ecosystem_orchestrator']);
        const props = Object.keys((tools[0]!.inputSchema as { properties: object }).properties);
        expect(props).toEqual(['operation', 'workflow_definition', 'optimization_target', 'tool_selection', 'execution_mode',
            'resource_strategy', 'monitoring_level', 'cache_strategy', 'error_handling', 'enterprise_mode', 'strategic_planning',
            'ml_optimization', 'timeout']);
    });

    it('orchestrate runs the workflow and answers with its run report', async () => {
        const report = json<RunReport>(await call({ operation: 'orchestrate', workflow_definition: FOUR }));
        expect(report).toMatchObject({ workflow: 'fan', status: 'succeeded' });
        expect(report.steps.map((s) => s.status)).toEqual(Array(5).fill('succeeded'));
        expect(report.metrics.maxConcurrency).toBe(4);
        expect(report.metrics.tools.delay!.calls).toBe(4);
    });

    it('arguments override the workflow: execution_mode sequential runs one step at a time', async () => {
        const report = json<RunReport & { plan: ExecutionPlan }>(await call({ operation: 'orchestrate', workflow_definition: FOUR, execution_mode: 'sequential', strategic_planning: true }));
        expect(report.status).toBe('succeeded');
        expect(report.metrics.maxConcurrency).toBe(1);
        expect(report.durationMs).toBeGreaterThanOrEqual(4 * 40 - 5);
        // strategic_planning adds the predicted plan, under the same override
        expect(report.plan.mode).toBe('sequential');
    });

    it('a timeout argument bounds the run', async () => {
        const report = runAnswer<RunReport>(await call({ operation: 'orchestrate', workflow_definition: 'workflow slow {\n    step w uses delay { with { ms: 2000 } }\n}\n', timeout: '100ms' }));
        // a run that did not succeed answers isError, its report attached
        expect(report.status).toBe('failed');
        expect(report.steps[0]!.error!.code).toBe('timeout');
    });

    it('plan predicts from measured history once the workflow has run', async () => {
        const plan = json<ExecutionPlan>(await call({ operation: 'plan', workflow_definition: FOUR }));
        expect(plan.workflow).toBe('fan');
        expect(plan.levels).toEqual([['a', 'b', 'c', 'd'], ['done']]);
        // declared delay figures would be different; measured ones are ~40 ms
        expect(plan.steps[0]!.predictedDurationMs).toBeGreaterThanOrEqual(39);
        expect(plan.steps[0]!.predictedDurationMs).toBeLessThan(200);
    });

    it('analyze answers with the static analysis', async () => {
        const analysis = json<Analysis>(await call({ operation: 'analyze', workflow_definition: FOUR }));
        expect(analysis.graph).toMatchObject({ steps: 5, edges: 4, depth: 2, width: 4 });
    });

    it('optimize takes {file, workflow} and answers with recommendations and their predicted effect', async () => {
        json<RunReport>(await call({ operation: 'orchestrate', workflow_definition: { file: 'serial.kmflow' } }));
        const result = json<Optimization>(await call({ operation: 'optimize', workflow_definition: { file: 'serial.kmflow', workflow: 'serial' } }));
        expect(result.measuredSteps).toEqual(['x', 'y', 'z']);
        const parallel = result.recommendations.find((r) => r.kind === 'mode' && r.change.kind === 'settings' && r.change.settings.mode === 'parallel')!;
        expect(parallel.predicted.deltaPct).toBeLessThan(-0.5);
    });

    it('coordinate runs every workflow of the definition on one shared pool', async () => {
        const result = json<{ reports: RunReport[] }>(await call({ operation: 'coordinate', workflow_definition: [FOUR, { file: 'serial.kmflow' }] }));
        expect(result.reports.map((r) => [r.workflow, r.status])).toEqual([['fan', 'succeeded'], ['serial', 'succeeded']]);
        const [fan, serial] = result.reports as [RunReport, RunReport];
        // they ran at the same time
        expect(Date.parse(serial.startedAt)).toBeLessThan(Date.parse(fan.endedAt));
    });

    it('monitor answers with the metrics of every run so far', async () => {
        const m = json<MonitorReport>(await call({ operation: 'monitor' }));
        expect(m.runs).toBe(6);
        const delay = m.tools.find((t) => t.tool === 'delay')!;
        // the call the workflow timeout cut short is no finished call (as in the run report)
        expect(delay.calls).toBe(4 + 4 + 0 + 3 + 4 + 3);
        expect(delay.timeouts).toBe(1);
        expect(m.healthScore).toBeGreaterThan(0);
        expect(m.healthScore).toBeLessThanOrEqual(100);
        expect(m.health.formula).toMatch(/successRate/);
    });

    it('an invalid workflow answers isError with file:line:col severity code message lines', async () => {
        const result = await call({ operation: 'orchestrate', workflow_definition: 'workflow w {\n    step a uses lgo\n    step b uses log { after zz }\n}\n' });
        expect(result.isError).toBe(true);
        const lines = (result.content[0] as { text: string }).text.split('\n');
        expect(lines[0]).toMatch(/^workflow_definition:2:17 error unknown-tool unknown tool 'lgo'/);
        expect(lines.some((l) => /^workflow_definition:3:\d+ error unknown-step /.test(l))).toBe(true);
    });

    it('bad arguments answer isError naming the problem', async () => {
        const result = await call({ operation: 'conquer' });
        expect(result.isError).toBe(true);
        expect((result.content[0] as { text: string }).text).toMatch(/operation/);
        const missing = await call({ operation: 'plan' });
        expect(missing.isError).toBe(true);
        expect((missing.content[0] as { text: string }).text).toMatch(/needs workflow_definition/);
    });
});
