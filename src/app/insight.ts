/**
 * plan, analyze, optimize and monitor, the one way for every front door: on a prepared
 * workflow with the workspace's measured history (`.kmflow/metrics`) wherever a
 * duration is predicted, so the CLI, the MCP face and the editor show the same numbers.
 */
import { analyzeWorkflow, type Analysis, type Finding } from '../engine/insight/index.js';
import { monitorReport, type MonitorReport } from '../engine/insight/index.js';
import { optimizeWorkflow, type Optimization } from '../engine/insight/index.js';
import { planWorkflow, type ExecutionPlan } from '../engine/insight/index.js';
import { estimateFromHistory, type History } from '../engine/state/index.js';
import { BUILTIN_DESCRIPTORS } from '../engine/tools/index.js';
import type { PreparedRun } from '../language/prepare-run.js';
import type { CheckedFile, Workspace } from './workspace.js';

type Prepared = Pick<PreparedRun, 'workflow' | 'registry'>;

export interface InsightOptions {
    /** History already read; default read from the workspace. */
    history?: History;
    /** What cache predictions read as `env` (the MCP face: only the granted variables). */
    env?: Readonly<Record<string, string | undefined>>;
}

/** The predicted plan: the simulator over measured durations where history has them. */
export async function planOf(workspace: Workspace, prepared: Prepared, options: InsightOptions = {}): Promise<ExecutionPlan> {
    const history = options.history ?? (await workspace.history());
    return planWorkflow(prepared.workflow, {
        registry: prepared.registry, estimateMs: estimateFromHistory(history, prepared.workflow.id), root: workspace.root, env: options.env,
    });
}

const SECURITY_CODES = new Set(['security-escalation', 'sensitive-data']);

/** Static analysis, with the checker's security findings of `file` when given. */
export async function analyzeOf(workspace: Workspace, prepared: Prepared, options: InsightOptions & { file?: CheckedFile } = {}): Promise<Analysis> {
    const history = options.history ?? (await workspace.history());
    const checkerFindings: Finding[] = (options.file?.diagnostics ?? [])
        .filter((d) => SECURITY_CODES.has(d.code))
        .map((d) => ({ kind: d.code, severity: d.severity === 'error' ? 'error' : 'warning', message: `${d.file}:${d.line}:${d.column} ${d.message}` }));
    return analyzeWorkflow(prepared.workflow, {
        registry: prepared.registry, checkerFindings, estimateMs: estimateFromHistory(history, prepared.workflow.id),
    });
}

/** Recommendations from measured history, each with its simulated effect. */
export async function optimizeOf(workspace: Workspace, prepared: Prepared, options: InsightOptions = {}): Promise<Optimization> {
    return optimizeWorkflow(prepared.workflow, prepared.registry, options.history ?? (await workspace.history()));
}

/** Declared response times of the built-in tools: the latency score's yardstick. */
const DECLARED_MS = new Map(BUILTIN_DESCRIPTORS.map((d) => [d.id, d.performance.responseTimeMs]));

/** Tool metrics, health and bottlenecks of the workspace's recorded runs. */
export async function monitorOf(workspace: Workspace, options: InsightOptions = {}): Promise<MonitorReport> {
    return monitorReport(options.history ?? (await workspace.history()), { declaredMs: (tool) => DECLARED_MS.get(tool) });
}
