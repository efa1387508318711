/**
 * The seed's dictionary form of `workflow_definition`, through the real MCP face: it
 * runs and plans like kmflow source, its errors carry the language's codes located by
 * JSON path, and every answer says which settings applied and where they came from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExecutionPlan } from '../../src/engine/insight/plan.js';
import type { RunReport } from '../../src/engine/run/run-types.js';
import type { PathDiagnostic } from '../../src/mcp/seed-dictionary-definition.js';
import type { ReportedSetting } from '../../src/mcp/settings-precedence.js';
import { everythingServer } from '../helpers/mcp-servers.js';
import { errorLines, json, runAnswer, startOrchestrator, type OrchestratorClient } from './orchestrator-client.js';

type Settings = Record<string, ReportedSetting>;
type Answer = RunReport & { plan?: ExecutionPlan; settings: Settings };

const NIGHTLY = {
    workflow_id: 'nightly',
    name: 'Nightly audit',
    description: 'warm up, then note and save',
    cache_strategy: 'none',
    steps: [
        { step_id: 'warm', tool_id: 'delay', parameters: { ms: 30 }, postconditions: ['warmed'], parallel_group: 'prep' },
        { step_id: 'also', tool_id: 'delay', parameters: { ms: 30 }, parallel_group: 'prep' },
        { step_id: 'note', tool_id: 'log', parameters: { message: 'ready' }, preconditions: ['warmed'], retry_count: 1, timeout: 5 },
        { step_id: 'save', tool_id: 'file.write', parameters: { path: 'out/nightly.txt', content: 'cost ${not.a.ref}' }, preconditions: ['warmed'] },
    ],
};

let mcp: OrchestratorClient;

beforeAll(async () => {
    mcp = await startOrchestrator({
        'shared.kmflow': `${everythingServer('ev')}tool shout "Shout" { capabilities say  via builtin "log" }\n`,
    });
});

afterAll(async () => {
    await mcp?.close();
});

async function diagnostics(definition: unknown, extra: Record<string, unknown> = {}): Promise<{ lines: string[]; diagnostics: PathDiagnostic[] }> {
    const result = await mcp.call({ operation: 'plan', workflow_definition: definition, ...extra });
    const lines = errorLines(result);
    return { lines, diagnostics: (result.structuredContent as { diagnostics: PathDiagnostic[] }).diagnostics };
}

describe('workflow_definition in the seed\'s dictionary form', () => {
    it('runs: preconditions order the steps, parameters are literal values, the report names the dictionary\'s ids', async () => {
        const report = json<Answer>(await mcp.call({ operation: 'orchestrate', workflow_definition: NIGHTLY }));
        expect(report).toMatchObject({ workflow: 'nightly', status: 'succeeded' });
        expect(report.steps.map((s) => [s.id, s.tool, s.status])).toEqual([
            ['warm', 'delay', 'succeeded'], ['also', 'delay', 'succeeded'], ['note', 'log', 'succeeded'], ['save', 'file.write', 'succeeded'],
        ]);
        const warm = report.steps.find((s) => s.id === 'warm')!;
        const note = report.steps.find((s) => s.id === 'note')!;
        expect(Date.parse(note.startedAt!)).toBeGreaterThanOrEqual(Date.parse(warm.endedAt!));
        // `${...}` in a parameter is text, not an expression
        expect(fs.readFileSync(path.join(mcp.root, 'out/nightly.txt'), 'utf8')).toBe('cost ${not.a.ref}');
    });

    it('plans: levels from preconditions/postconditions, parallel groups as given', async () => {
        const plan = json<ExecutionPlan & { settings: Settings }>(await mcp.call({ operation: 'plan', workflow_definition: NIGHTLY }));
        expect(plan.workflow).toBe('nightly');
        expect(plan.levels).toEqual([['warm', 'also'], ['note', 'save']]);
        expect(plan.steps.find((s) => s.id === 'warm')!.group).toBe('prep');
        expect(plan.settings.cache_strategy).toEqual({ value: 'none', source: 'workflow' });
    });

    it('an invalid one answers isError with the language\'s codes, each at the JSON path it comes from', async () => {
        const { lines, diagnostics: found } = await diagnostics({
            workflow_id: 'broken',
            steps: [
                { step_id: 'a', tool_id: 'lgo', parameters: { message: 'x' } },
                { step_id: 'b', tool_id: 'delay', parameters: { ms: 'soon' } },
                { step_id: 'c', tool_id: 'log', parameters: { message: 'c' }, preconditions: ['d_done'], postconditions: ['c_done'] },
                { step_id: 'd', tool_id: 'log', parameters: { message: 'd' }, preconditions: ['c_done'], postconditions: ['d_done'] },
                { step_id: 'e', tool_id: 'log', parameters: { message: 'e' }, preconditions: ['never'] },
                { step_id: 'b', tool_id: 'log', parameters: { message: 'again' } },
                { step_id: 'g', tool_id: 'km_list_macros', parameters: { group_filters: 'Work', colour: 'red' } },
            ],
        });
        const at = found.map((d) => `${d.path} ${d.code}`);
        expect(at).toContain('$.steps[0].tool_id unknown-tool');
        expect(at).toContain('$.steps[1].parameters.ms invalid-param');
        // A cycle is reported once, on its first step.
        expect(at).toContain('$.steps[2].step_id cycle');
        expect(at).not.toContain('$.steps[3].step_id cycle');
        expect(at).toContain('$.steps[4].preconditions[0] unmet-requires');
        expect(at).toContain('$.steps[5].step_id duplicate-id');
        expect(at).toContain('$.steps[6].parameters.group_filters invalid-param');
        expect(at).toContain('$.steps[6].parameters.colour invalid-param');
        expect(found.every((d) => d.severity === 'error')).toBe(true);
        // the text says the same, one `path severity code message` line each
        expect(lines).toContain(`$.steps[0].tool_id error unknown-tool ${found.find((d) => d.code === 'unknown-tool')!.message}`);
        expect(found.find((d) => d.code === 'unknown-tool')!.message).toMatch(/'lgo'.*'log'/);
    });

    it('a malformed one answers isError naming each problem\'s JSON path before anything is checked', async () => {
        const { lines, diagnostics: found } = await diagnostics({
            workflow_id: 'shape',
            execution_mode: 'fast',
            steps: [
                { tool_id: 'log', parameters: { message: 'no id' } },
                { step_id: 'two-words', tool_id: 'log', parameters: 'message' },
                { step_id: 'x', tool_id: 'log', retry_count: -1, timeout: '5', preconditions: 'ready', tool: 'log' },
            ],
        });
        expect(found.every((d) => d.code === 'invalid-definition' && d.severity === 'error')).toBe(true);
        expect(found.map((d) => d.path)).toEqual([
            '$.steps[0].step_id', '$.steps[1].step_id', '$.steps[1].parameters', '$.steps[2].tool',
            '$.steps[2].preconditions', '$.steps[2].timeout', '$.steps[2].retry_count', '$.execution_mode',
        ]);
        expect(lines[0]).toBe('$.steps[0].step_id error invalid-definition step_id is required');
        expect(found[1]!.message).toMatch(/'two-words' is not a kmflow name.*'two_words'/);
        const missing = await diagnostics({ workflow_id: 'empty' });
        expect(missing.lines).toEqual(['$.steps error invalid-definition steps is required: a list of {step_id, tool_id, parameters, ...}']);
    });

    it('applies the seed\'s defaults where neither the caller nor the workflow says, and reports each with its source', async () => {
        const definition = { workflow_id: 'defaults', steps: [{ step_id: 'look', tool_id: 'file.list', parameters: { path: '.' } }] };
        const first = json<Answer>(await mcp.call({ operation: 'orchestrate', workflow_definition: definition }));
        expect(first.status).toBe('succeeded');
        expect(first.settings).toEqual({
            optimization_target: { value: 'balanced', source: 'default', blend: { performance: 0.2, efficiency: 0.2, reliability: 0.2, cost: 0.2, user_experience: 0.2 } },
            tool_selection: { value: 'intelligent', source: 'default', applied: 'ml_optimized' },
            execution_mode: { value: 'parallel', source: 'default' },
            resource_strategy: { value: 'balanced', source: 'default' },
            monitoring_level: { value: 'comprehensive', source: 'default' },
            cache_strategy: { value: 'intelligent', source: 'default' },
            error_handling: { value: 'resilient', source: 'default' },
            enterprise_mode: { value: true, source: 'default' },
            strategic_planning: { value: true, source: 'default' },
            ml_optimization: { value: true, source: 'default' },
            timeout: { value: 600, source: 'default' },
        });
        // strategic_planning on: the answer carries the predicted plan
        expect(first.plan!.levels).toEqual([['look']]);
        // cache intelligent: a read-only step's result is persisted and answers the next run
        const second = json<Answer>(await mcp.call({ operation: 'orchestrate', workflow_definition: definition }));
        expect(second.steps[0]!.cached).toBe(true);
        expect(first.steps[0]!.output).toEqual(second.steps[0]!.output);
    });

    it('precedence: the caller over the workflow over the default, and the run follows it', async () => {
        const definition = {
            workflow_id: 'ranked',
            execution_mode: 'sequential',
            cache_strategy: 'none',
            timeout: 30,
            ml_optimization: false,
            steps: ['p', 'q', 'r'].map((id) => ({ step_id: id, tool_id: 'delay', parameters: { ms: 40 } })),
        };
        const own = json<Answer>(await mcp.call({ operation: 'orchestrate', workflow_definition: definition, strategic_planning: false }));
        expect(own.metrics.maxConcurrency).toBe(1);
        expect(own.plan).toBeUndefined();
        expect(own.settings).toMatchObject({
            execution_mode: { value: 'sequential', source: 'workflow' },
            cache_strategy: { value: 'none', source: 'workflow' },
            timeout: { value: 30, source: 'workflow' },
            strategic_planning: { value: false, source: 'caller' },
            ml_optimization: { value: false, source: 'workflow' },
            tool_selection: { value: 'intelligent', source: 'default' },
            monitoring_level: { value: 'comprehensive', source: 'default' },
        });
        expect(own.settings.tool_selection!.applied).toBeUndefined();
        const overridden = runAnswer<Answer>(await mcp.call({
            operation: 'orchestrate', workflow_definition: definition, execution_mode: 'parallel', timeout: '20ms', optimization_target: 'reliability',
        }));
        expect(overridden.settings).toMatchObject({
            execution_mode: { value: 'parallel', source: 'caller' },
            timeout: { value: 0.02, source: 'caller' },
            optimization_target: { value: 'reliability', source: 'caller' },
            cache_strategy: { value: 'none', source: 'workflow' },
        });
        expect(overridden.settings.optimization_target!.blend).toBeUndefined();
        // the caller's 20 ms timeout cuts the 40 ms delays short
        expect(overridden.status).toBe('failed');
        expect(overridden.steps.map((s) => s.error?.code)).toContain('timeout');
    });

    it('kmflow source reports its settings the same way: what it states is the workflow\'s', async () => {
        const source = 'workflow src {\n    mode sequential\n    target cost\n    timeout 2m\n    cache none\n    step a uses log { with { message: "hi" } }\n}\n';
        const plan = json<ExecutionPlan & { settings: Settings }>(await mcp.call({ operation: 'plan', workflow_definition: source, error_handling: 'fail_fast' }));
        expect(plan.mode).toBe('sequential');
        expect(plan.settings).toMatchObject({
            execution_mode: { value: 'sequential', source: 'workflow' },
            optimization_target: { value: 'cost', source: 'workflow' },
            timeout: { value: 120, source: 'workflow' },
            error_handling: { value: 'fail_fast', source: 'caller' },
            resource_strategy: { value: 'balanced', source: 'default' },
        });
    });

    it('imports bring declared tools and servers; a SERVER.TOOL id that is no identifier is quoted as kmflow quotes it', async () => {
        const steps = [
            { step_id: 'sum', tool_id: 'ev.get-sum', parameters: { a: 1, b: 2 } },
            { step_id: 'say', tool_id: 'shout', parameters: { message: 'hi' } },
        ];
        const plan = json<ExecutionPlan>(await mcp.call({ operation: 'plan', workflow_definition: { workflow_id: 'imported', imports: ['./shared.kmflow'], steps } }));
        expect(plan.steps.map((s) => [s.id, s.tool])).toEqual([['sum', 'ev.get-sum'], ['say', 'shout']]);
        const run = json<Answer>(await mcp.call({ operation: 'orchestrate', workflow_definition: { workflow_id: 'imported', imports: ['./shared.kmflow'], steps: [steps[1]] } }));
        expect(run.steps[0]).toMatchObject({ id: 'say', tool: 'shout', status: 'succeeded', output: { message: 'hi' } });
        const { diagnostics: found } = await diagnostics({ workflow_id: 'imported', imports: ['./shared.kmflow', 7], steps: [{ step_id: 'x', tool_id: 'ev.nope', parameters: {} }] });
        expect(found.map((d) => `${d.path} ${d.code}`)).toEqual(['$.imports[1] invalid-definition']);
    });

    it('coordinate takes dictionaries beside source text; a list\'s paths start at its index', async () => {
        const result = json<{ reports: RunReport[]; settings: Settings[] }>(await mcp.call({
            operation: 'coordinate', workflow_definition: [NIGHTLY, 'workflow other {\n    cache none\n    step s uses delay { with { ms: 10 } }\n}\n'],
        }));
        expect(result.reports.map((r) => [r.workflow, r.status])).toEqual([['nightly', 'succeeded'], ['other', 'succeeded']]);
        expect(result.settings.map((s) => s.cache_strategy!.source)).toEqual(['workflow', 'workflow']);
        const bad = await mcp.call({ operation: 'coordinate', workflow_definition: ['workflow fine { step s uses log { with { message: "x" } } }', { workflow_id: 'w', steps: [{ step_id: 's', tool_id: 'nope' }] }] });
        expect(errorLines(bad)[0]).toMatch(/^\$\[1\]\.steps\[0\]\.tool_id error unknown-tool /);
    });
});
