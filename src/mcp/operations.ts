/**
 * The six operations of `km_ecosystem_orchestrator`, on the engine's own functions:
 * orchestrate (runWorkflow), coordinate (runWorkflows: one shared resource pool),
 * plan (planWorkflow), analyze (analyzeWorkflow), optimize (optimizeWorkflow) and
 * monitor (monitorReport), with measured history from `ROOT/.kmflow/metrics` wherever
 * a prediction or a tool choice is made, and every run recorded there.
 */
import { analyzeWorkflow } from '../engine/analyze.js';
import { BUILTIN_DESCRIPTORS, BUILTIN_SERVER, createBuiltinConnector } from '../engine/builtins/index.js';
import { McpConnectorPool, registerServerTools } from '../engine/connectors/index.js';
import { estimateFromHistory, loadHistory, recordRun } from '../engine/history/index.js';
import type { WorkflowSpec } from '../engine/model.js';
import { monitorReport } from '../engine/monitor.js';
import { optimizeWorkflow } from '../engine/optimize.js';
import { planWorkflow } from '../engine/plan.js';
import { bindCapabilities } from '../engine/route-workflow.js';
import { createRouter, measuringConnectors, type RoutingStats } from '../engine/routing.js';
import { RunSetupError } from '../engine/run-setup.js';
import { runWorkflows } from '../engine/scheduler.js';
import { loadDefinitions, type LoadedRun } from './load-definition.js';
import { settingsOverrides, type OrchestratorArgs } from './orchestrator-args.js';

/** What the server process holds across calls. */
export interface OperationContext {
    root: string;
    allowExec: boolean;
    /** Routing figures shared by every call: adaptive selection learns across calls. */
    routing: RoutingStats;
    /** Reports history, one line per message (stderr: stdout is the MCP channel). */
    log(message: string): void;
}

/** An operation's answer: a JSON object, or an error made of lines. */
export type OperationResult = { ok: true; value: Record<string, unknown> } | { ok: false; lines: string[] };

const declared = new Map(BUILTIN_DESCRIPTORS.map((d) => [d.id, d.performance.responseTimeMs]));

export async function performOperation(args: OrchestratorArgs, ctx: OperationContext): Promise<OperationResult> {
    if (args.operation === 'monitor') {
        return { ok: true, value: { ...monitorReport(await loadHistory(ctx.root), { declaredMs: (t) => declared.get(t) }) } };
    }
    if (args.workflow_definition === undefined) {
        return { ok: false, lines: [`operation '${args.operation}' needs workflow_definition (kmflow source text, or {file, workflow})`] };
    }
    const defs = Array.isArray(args.workflow_definition) ? args.workflow_definition : [args.workflow_definition];
    const coordinate = args.operation === 'coordinate';
    if (defs.length > 1 && !coordinate) {
        return { ok: false, lines: [`operation '${args.operation}' takes one workflow_definition; 'coordinate' takes several`] };
    }
    const loaded = await loadDefinitions(ctx.root, defs, coordinate);
    if (!loaded.ok) {
        return { ok: false, lines: loaded.errors };
    }
    const overrides = settingsOverrides(args);
    const runs = loaded.runs.map((r) => ({ ...r, workflow: { ...r.workflow, settings: { ...r.workflow.settings, ...overrides } } }));
    const history = await loadHistory(ctx.root);
    const first = runs[0]!;
    switch (args.operation) {
        case 'plan':
            return { ok: true, value: { ...(await planOf(first, history)) } };
        case 'analyze':
            return { ok: true, value: { ...analyzeWorkflow(first.workflow, { registry: first.registry, estimateMs: withTool(estimateFromHistory(history, first.workflow.id)) }) } };
        case 'optimize':
            return { ok: true, value: { ...(await optimizeWorkflow(first.workflow, first.registry, history)) } };
        default:
            return execute(runs, args, ctx, history);
    }
}

async function planOf(run: LoadedRun, history: Awaited<ReturnType<typeof loadHistory>>) {
    return planWorkflow(run.workflow, { registry: run.registry, estimateMs: estimateFromHistory(history, run.workflow.id) });
}

/** analyze's estimate takes an optional tool. */
function withTool(estimate: ReturnType<typeof estimateFromHistory>) {
    return (step: WorkflowSpec['steps'][number], tool: Parameters<typeof estimate>[1] | undefined) => (tool ? estimate(step, tool) : undefined);
}

/** orchestrate and coordinate: run, record, answer with the report(s). */
async function execute(runs: LoadedRun[], args: OrchestratorArgs, ctx: OperationContext, history: Awaited<ReturnType<typeof loadHistory>>): Promise<OperationResult> {
    const refused = runs.filter((r) => r.workflow.settings.enterprise).flatMap((r) => r.security.map((line) => line.replace(' warning ', ' error ')));
    if (refused.length > 0) {
        return { ok: false, lines: ['enterprise mode: security findings are errors', ...refused] };
    }
    const servers = new Map(runs.flatMap((r) => r.servers).map((s) => [s.name, s]));
    const pool = new McpConnectorPool([...servers.values()], { root: ctx.root });
    const registry = runs[0]!.registry;
    try {
        if (servers.size > 0) {
            const listing = await pool.listAll();
            for (const r of runs) {
                registerServerTools(r.registry, listing.tools);
            }
            listing.errors.forEach((e) => ctx.log(`server ${e.server}: ${e.error.message}`));
        }
        const connectors = measuringConnectors(pool.connectors(new Map([[BUILTIN_SERVER, createBuiltinConnector()]])), ctx.routing);
        const router = createRouter(ctx.routing);
        const workflows = runs.map((r) => bindCapabilities(r.workflow, r.registry, router));
        // One registry for the shared run: coordinated workflows see each other's tools.
        for (const r of runs.slice(1)) {
            for (const t of r.registry.all()) {
                if (!registry.has(t.id)) {
                    registry.add(t);
                }
            }
        }
        const reports = await runWorkflows(workflows, {
            registry, connectors, root: ctx.root, allowExec: ctx.allowExec,
            // One workflow: its own steps' history; several: each step id's best-measured.
            estimateMs: estimateFromHistory(history, workflows.length === 1 ? workflows[0]!.id : undefined),
        });
        for (const [i, report] of reports.entries()) {
            await recordRun(ctx.root, workflows[i]!, report).catch((err: Error) => ctx.log(`history: ${err.message}`));
        }
        const plans = args.strategic_planning ? await Promise.all(runs.map((r) => planOf(r, history))) : undefined;
        if (args.operation === 'coordinate') {
            return { ok: true, value: { reports, ...(plans ? { plans } : {}) } };
        }
        return { ok: true, value: { ...reports[0]!, ...(plans ? { plan: plans[0] } : {}) } };
    } catch (err) {
        if (err instanceof RunSetupError) {
            return { ok: false, lines: [`${err.code}: ${err.message}`] };
        }
        throw err;
    } finally {
        await pool.closeAll();
    }
}
