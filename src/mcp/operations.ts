/**
 * The six operations of `km_ecosystem_orchestrator`, on the engine's own functions:
 * orchestrate (runWorkflow), coordinate (runWorkflows: one shared resource pool),
 * plan (planWorkflow), analyze (analyzeWorkflow), optimize (optimizeWorkflow) and
 * monitor (monitorReport), with measured history from `ROOT/.kmflow/metrics` wherever
 * a prediction or a tool choice is made, and every run recorded there. Under the
 * operator's grants (grants.ts): calls bounded (input-limits.ts), runs guarded before
 * anything starts (run-guard.ts), and `env.NAME` reading only granted variables.
 */
import type { History } from '../engine/state/index.js';
import { bindCapabilities } from '../engine/insight/index.js';
import type { RoutingStats, SelectToolFn } from '../engine/insight/index.js';
import { RunSetupError } from '../engine/run/index.js';
import { analyzeOf, monitorOf, optimizeOf, planOf, runPrepared, Workspace } from '../app/index.js';
import { routerFor } from './balanced-target.js';
import { grantedEnv, trustOf, type McpGrants } from './grants.js';
import { LIMITS, workflowLimitProblems } from './input-limits.js';
import { loadDefinitions, type LoadedRun } from './load-definition.js';
import { callerSettings, type OrchestratorArgs } from './orchestrator-args.js';
import type { RootServers } from './root-servers.js';
import { guardRuns } from './run-guard.js';
import type { PathDiagnostic } from './seed-dictionary-definition.js';
import { resolveSettings, type ResolvedSettings } from './settings-precedence.js';

/** What the server process holds across calls. */
export interface OperationContext {
    /** What the operator grants callers; `grants.root` is the workspace. */
    grants: McpGrants;
    /**
     * The servers the root's files declared when the face started (the only ones it starts,
     * with the granted): read once the client is initialized, and waited for by every run.
     */
    rootServers: RootServers | PromiseLike<RootServers>;
    /** Routing figures shared by every call: adaptive selection learns across calls. */
    routing: RoutingStats;
    /** Reports history, one line per message (stderr: stdout is the MCP channel). */
    log(message: string): void;
}

/**
 * An operation's answer: a JSON object (`failed`: a run that did not succeed, answered
 * as an error with its report), or an error made of lines (a dictionary's also by JSON path).
 */
export type OperationResult =
    | { ok: true; value: Record<string, unknown>; failed?: boolean }
    | { ok: false; lines: string[]; diagnostics?: PathDiagnostic[] };

/** A loaded workflow under the call's settings (caller > workflow > seed default), its capability steps bound. */
interface SettledRun extends LoadedRun {
    settings: ResolvedSettings;
    router: SelectToolFn;
}

export async function performOperation(args: OrchestratorArgs, ctx: OperationContext): Promise<OperationResult> {
    const workspace = Workspace.open({ root: ctx.grants.root, trust: trustOf(ctx.grants) });
    if (args.operation === 'monitor') {
        return { ok: true, value: { ...(await monitorOf(workspace)) } };
    }
    if (args.workflow_definition === undefined) {
        return { ok: false, lines: [`operation '${args.operation}' needs workflow_definition (kmflow source text, {file, workflow}, or the seed's dictionary)`] };
    }
    const defs = Array.isArray(args.workflow_definition) ? args.workflow_definition : [args.workflow_definition];
    const coordinate = args.operation === 'coordinate';
    if (defs.length > 1 && !coordinate) {
        return { ok: false, lines: [`operation '${args.operation}' takes one workflow_definition; 'coordinate' takes several`] };
    }
    const loaded = await loadDefinitions(ctx.grants.root, defs, coordinate, ctx.log);
    if (!loaded.ok) {
        return { ok: false, lines: loaded.errors, ...(loaded.diagnostics.length > 0 ? { diagnostics: loaded.diagnostics } : {}) };
    }
    const tooLarge = workflowLimitProblems(loaded.runs.map((r) => r.workflow));
    if (tooLarge.length > 0) {
        return { ok: false, lines: tooLarge };
    }
    const caller = callerSettings(args);
    const runs = loaded.runs.map((r): SettledRun => {
        const settings = resolveSettings(caller, r.stated, r.workflow.settings.maxParallel);
        const router = routerFor(settings.values.optimization_target === 'balanced', ctx.routing);
        return { ...r, settings, router, workflow: { ...r.workflow, settings: settings.engine } };
    });
    // A caller's workflow is bounded like the timeout argument (the root's own workflows keep theirs).
    const unbounded = runs.filter((r) => r.origin === 'caller' && r.settings.values.timeout > LIMITS.timeoutSeconds);
    if (unbounded.length > 0) {
        return { ok: false, lines: unbounded.map((r) => `workflow '${r.workflow.id}': timeout ${r.settings.values.timeout} s is more than the limit of ${LIMITS.timeoutSeconds} s`) };
    }
    const history = await workspace.history();
    const first = runs[0]!;
    const settings = first.settings.report;
    // Capability steps are bound by the call's router (measured figures; the balanced blend) before anything else.
    const workflow = bindCapabilities(first.workflow, first.registry, first.router);
    switch (args.operation) {
        case 'plan':
            return { ok: true, value: { ...(await planOf(workspace, { ...first, workflow }, { history, env: grantedEnv(ctx.grants) })), settings } };
        case 'analyze':
            return { ok: true, value: { ...(await analyzeOf(workspace, { ...first, workflow }, { history })), settings } };
        case 'optimize':
            return { ok: true, value: { ...(await optimizeOf(workspace, { ...first, workflow }, { history })), settings } };
        default:
            return execute(workspace, runs, args, ctx, history, loaded.callerFiles);
    }
}

/** orchestrate and coordinate: run, record, answer with the report(s). */
async function execute(workspace: Workspace, runs: SettledRun[], args: OrchestratorArgs, ctx: OperationContext,
    history: History, callerFiles: ReadonlyMap<string, string>): Promise<OperationResult> {
    // Before anything starts: which servers may (used, and the root's or granted), and no shell unless granted.
    const bound = runs.map((r) => ({ ...r, workflow: bindCapabilities(r.workflow, r.registry, r.router) }));
    const guarded = guardRuns(bound, { grants: ctx.grants, rootServers: await ctx.rootServers, callerFiles });
    if (!guarded.ok) {
        return { ok: false, lines: guarded.lines };
    }
    const refused = runs.filter((r) => r.workflow.settings.enterprise).flatMap((r) => r.security.map((line) => line.replace(' warning ', ' error ')));
    if (refused.length > 0) {
        return { ok: false, lines: ['enterprise mode: security findings are errors', ...refused] };
    }
    try {
        // Capability steps are bound by each call's router; the run lists the started servers' tools first.
        const reports = await runPrepared(workspace, bound.map((r) => ({ prepared: r })), {
            env: grantedEnv(ctx.grants), servers: guarded.servers, routing: ctx.routing, selectTool: runs[0]!.router, history,
            onWarning: (message) => ctx.log(message),
        });
        const workflows = bound.map((r) => r.workflow);
        // strategic_planning: the predicted plan of each workflow that asks for it (null for the others).
        const plans = await Promise.all(workflows.map((w, i) => (runs[i]!.settings.values.strategic_planning
            ? planOf(workspace, { workflow: w, registry: runs[i]!.registry }, { history, env: grantedEnv(ctx.grants) }) : null)));
        // A run that did not succeed (failed, partial, cancelled, rolled back) answers as an error, its report attached.
        const failed = reports.some((r) => r.status !== 'succeeded');
        if (args.operation === 'coordinate') {
            return { ok: true, failed, value: { reports, ...(plans.some((p) => p) ? { plans } : {}), settings: runs.map((r) => r.settings.report) } };
        }
        return { ok: true, failed, value: { ...reports[0]!, ...(plans[0] ? { plan: plans[0] } : {}), settings: runs[0]!.settings.report } };
    } catch (err) {
        if (err instanceof RunSetupError) {
            return { ok: false, lines: [`${err.code}: ${err.message}`] };
        }
        throw err;
    }
}
