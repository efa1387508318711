/**
 * One workflow through every front door gives one answer: the CLI (`kmflow plan|analyze
 * --json`), the MCP face (`km_ecosystem_orchestrator` plan and analyze) and the
 * application layer itself return the same prepared steps, the same predicted durations
 * (measured history where the root has it) and the same critical path, because they
 * call the same code.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeOf, planOf, prepareChecked, Workspace } from '../../src/app/index.js';
import type { Analysis } from '../../src/engine/insight/analyze.js';
import type { ExecutionPlan } from '../../src/engine/insight/plan.js';
import { runCli } from '../helpers/cli.js';
import { json, startOrchestrator, type OrchestratorClient } from '../mcp/orchestrator-client.js';

// Everything the MCP face would otherwise default (seed settings) is stated, so the doors see one workflow.
const FLOW = `workflow doors "same answers" {
    mode parallel
    cache none
    errors fail_fast
    selection manual
    target performance
    resources balanced
    monitoring standard
    step ingest_a uses delay { with { ms: 30 } }
    step ingest_b uses delay { with { ms: 5 } }
    step merge uses log { with { message: "merged" } after ingest_a, ingest_b }
    step export_x uses delay { with { ms: 10 } after merge }
    step export_y uses log { with { message: "y" } after merge }
}
`;

let root: string;
let mcp: OrchestratorClient;

/** The parts of a plan every door must agree on (timestamps and paths aside). */
function planFacts(plan: ExecutionPlan) {
    return {
        steps: plan.steps.map((s) => ({ id: s.id, tool: s.tool, ms: s.predictedDurationMs, start: s.predictedStartMs, critical: s.onCriticalPath })),
        levels: plan.levels,
        criticalPath: plan.criticalPath,
        makespan: plan.predictedMakespanMs,
    };
}

beforeAll(async () => {
    mcp = await startOrchestrator({ 'doors.kmflow': FLOW });
    root = mcp.root;
    // Measured history in the root: the doors must all predict from it.
    const run = await runCli(['run', 'doors.kmflow', '--json'], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
    await mcp?.close();
});

describe('the front doors', () => {
    it('plan the same steps, durations and critical path', async () => {
        const cli = await runCli(['plan', 'doors.kmflow', '--json'], { cwd: root });
        expect(cli.code, cli.stderr).toBe(0);
        const viaCli = JSON.parse(cli.stdout) as ExecutionPlan;
        const viaMcp = json<ExecutionPlan>(await mcp.call({ operation: 'plan', workflow_definition: { file: 'doors.kmflow' } }));
        const workspace = Workspace.open({ root });
        const [file] = (await workspace.load({ files: [path.join(root, 'doors.kmflow')] })).files;
        const viaApp = await planOf(workspace, prepareChecked(workspace, file!)[0]!);
        expect(planFacts(viaMcp)).toEqual(planFacts(viaCli));
        expect(planFacts(viaApp)).toEqual(planFacts(viaCli));
        // Measured, not declared: the 30 ms delay is the longest step and on the path.
        expect(viaCli.criticalPath.steps).toContain('ingest_a');
        expect(viaCli.steps.find((s) => s.id === 'ingest_a')!.predictedDurationMs).toBeGreaterThanOrEqual(25);
    }, 60_000);

    it('analyze the same graph and critical path', async () => {
        const cli = await runCli(['analyze', 'doors.kmflow', '--json'], { cwd: root });
        expect(cli.code, cli.stderr).toBe(0);
        const viaCli = JSON.parse(cli.stdout) as Analysis;
        const viaMcp = json<Analysis>(await mcp.call({ operation: 'analyze', workflow_definition: { file: 'doors.kmflow' } }));
        const workspace = Workspace.open({ root });
        const [file] = (await workspace.load({ files: [path.join(root, 'doors.kmflow')] })).files;
        const viaApp = await analyzeOf(workspace, prepareChecked(workspace, file!)[0]!, { file });
        expect(viaMcp.graph).toEqual(viaCli.graph);
        expect(viaApp.graph).toEqual(viaCli.graph);
        expect(viaMcp.tools).toEqual(viaCli.tools);
    }, 60_000);

    it('open a workspace the same way: a server declared elsewhere in the root is context for all of them', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-doors-'));
        try {
            fs.writeFileSync(path.join(dir, 'servers.kmflow'), 'server far {\n    command "node"\n    args ["-e", "0"]\n}\n');
            fs.writeFileSync(path.join(dir, 'uses.kmflow'), 'tool far.thing {\n    capabilities thing\n    via far "thing"\n}\n' +
                'workflow w {\n    step s uses far.thing\n}\n');
            const cli = await runCli(['check', 'uses.kmflow', '--json'], { cwd: dir });
            const workspace = Workspace.open({ root: dir });
            const [file] = (await workspace.load({ files: [path.join(dir, 'uses.kmflow')] })).files;
            const codes = (ds: Array<{ code: string }>) => ds.map((d) => d.code).sort();
            expect(codes(file!.diagnostics)).toEqual(codes((JSON.parse(cli.stdout) as { diagnostics: Array<{ code: string }> }).diagnostics));
            expect(workspace.servers().map((s) => s.name)).toContain('far');
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }, 60_000);
});
