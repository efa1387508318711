/**
 * `optimization_target: balanced`, the seed's default: a real blend of the five targets
 * in capability routing, checked on its arithmetic and through the MCP face, where it
 * picks a tool that no single target would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolDescriptor } from '../../src/engine/model/model.js';
import type { ExecutionPlan } from '../../src/engine/insight/plan.js';
import type { RunReport } from '../../src/engine/run/run-types.js';
import { balancedScores, chooseBalanced } from '../../src/mcp/balanced-target.js';
import { tool as engineTool } from '../engine/helpers.js';
import type { ReportedSetting } from '../../src/mcp/settings-precedence.js';
import { json, startOrchestrator, type OrchestratorClient } from './orchestrator-client.js';

function tool(id: string, responseTimeMs: number, reliability: number, cpu: number): ToolDescriptor {
    return engineTool(id, { capabilities: ['pick'], resources: { cpu }, performance: { responseTimeMs, reliability } });
}

// Each single target has its own winner; `even` is second-best on everything.
const FAST = tool('fast', 10, 0.5, 0.5);
const STURDY = tool('sturdy', 1000, 0.999, 0.5);
const LEAN = tool('lean', 1000, 0.5, 0.05);
const EVEN = tool('even', 100, 0.95, 0.3);
const ALL = [FAST, STURDY, LEAN, EVEN];

describe('balancedScores', () => {
    it('is the equal-weight sum of each target\'s min-max-scaled score', () => {
        const [fast, sturdy, lean, even] = balancedScores(ALL, () => undefined) as [number, number, number, number];
        // fast: best latency (p50, p95), worst failure rate and resources
        expect(fast).toBeCloseTo(0.2 * (0 + 0 + 1 + 1 + 1), 9);
        expect(sturdy).toBeCloseTo(0.2 * (1 + 1 + 0 + 1 + 1), 9);
        expect(lean).toBeCloseTo(0.2 * (1 + 1 + 1 + 0 + 0), 9);
        const p50 = 90 / 990;
        const failures = (0.05 - 0.001) / (0.5 - 0.001);
        const resources = (0.3 - 0.05) / (0.5 - 0.05);
        expect(even).toBeCloseTo(0.2 * (p50 + p50 + failures + resources + resources), 9);
    });

    it('scores equal tools 0 and reads measured figures over declared ones', () => {
        expect(balancedScores([EVEN, { ...EVEN, id: 'twin' }], () => undefined)).toEqual([0, 0]);
        // measured: `fast` turns out slow and failing, so `lean` is the blend's pick of the two
        const measured = balancedScores([FAST, LEAN], (t) => (t.id === 'fast' ? { p50Ms: 5000, p95Ms: 9000, successRate: 0.1 } : undefined));
        expect(measured[0]).toBeGreaterThan(measured[1]!);
    });
});

describe('chooseBalanced', () => {
    it('picks the all-round tool, keeps manual as the first declared, and breaks ties by p50 then order', () => {
        expect(chooseBalanced(ALL, 'intelligent')!.id).toBe('even');
        expect(chooseBalanced(ALL, 'manual')!.id).toBe('fast');
        expect(chooseBalanced([FAST, LEAN], 'intelligent')!.id).toBe('fast');
        expect(chooseBalanced([tool('a', 50, 0.9, 0.1), tool('b', 50, 0.9, 0.1)], 'intelligent')!.id).toBe('a');
    });
});

const TOOLS = ALL.map((t) => `tool ${t.id} { capabilities pick  performance response_time ${t.performance.responseTimeMs}ms, ` +
    `reliability ${t.performance.reliability}  resources cpu ${t.resources.cpu}  via builtin "log" }`).join('\n');
const PICK = `${TOOLS}\nworkflow choose {\n    cache none\n    step p uses capability pick { with { message: "picked" } }\n}\n`;

describe('balanced through km_ecosystem_orchestrator', () => {
    let mcp: OrchestratorClient;

    beforeAll(async () => {
        mcp = await startOrchestrator();
    });

    afterAll(async () => {
        await mcp?.close();
    });

    async function planned(extra: Record<string, unknown>): Promise<ExecutionPlan & { settings: Record<string, ReportedSetting> }> {
        // intelligent: the figures known at start (no history here), so every call sees the declared ones
        return json(await mcp.call({ operation: 'plan', workflow_definition: PICK, tool_selection: 'intelligent', ...extra }));
    }

    it('the default target routes to the blend\'s choice, where each single target picks its own extreme', async () => {
        const balanced = await planned({});
        expect(balanced.settings.optimization_target).toMatchObject({ value: 'balanced', source: 'default' });
        expect(balanced.steps[0]!.tool).toBe('even');
        expect((await planned({ optimization_target: 'performance' })).steps[0]!.tool).toBe('fast');
        expect((await planned({ optimization_target: 'reliability' })).steps[0]!.tool).toBe('sturdy');
        expect((await planned({ optimization_target: 'cost' })).steps[0]!.tool).toBe('lean');
        expect((await planned({ optimization_target: 'balanced' })).settings.optimization_target!.source).toBe('caller');
    });

    it('orchestrate runs the tool the blend chose', async () => {
        const report = json<RunReport>(await mcp.call({ operation: 'orchestrate', workflow_definition: PICK, tool_selection: 'intelligent' }));
        expect(report.status).toBe('succeeded');
        expect(report.steps[0]!.tool).toBe('even');
    });
});
