/**
 * Static analysis of a workflow: graph statistics, tool synergies (shared capabilities,
 * declared integration points), security findings and bottleneck candidates. Durations
 * and the critical path are `predictWorkflow`'s: measured history where given, else the
 * tools' declarations, else the default, as `plan` and the editor show them.
 */
import type { CriticalPath } from '../graph/critical-path.js';
import { buildGraph, topologicalLevels } from '../graph/graph.js';
import { referencedSecrets } from '../model/expressions.js';
import type { ToolDescriptor, WorkflowSpec } from '../model/model.js';
import { POOL_CAPACITY } from '../run/resource-pool.js';
import type { EstimateMs } from '../state/history/estimate.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { StepEstimate } from './estimate.js';
import { predictWorkflow } from './predicted-path.js';

export interface Finding {
    kind: string;
    severity: 'info' | 'warning' | 'error';
    step?: string;
    message: string;
}

export interface Synergy {
    kind: 'integration' | 'shared-capability';
    tools: [string, string];
    detail: string;
}

export interface Analysis {
    workflow: string;
    graph: {
        steps: number; edges: number; depth: number; width: number; roots: string[]; leaves: string[];
        density: number;
        /** The predicted critical path over the steps' estimates (kind `predicted`). */
        criticalPath: CriticalPath;
        /** Each step's estimate of one call, and where it comes from. */
        estimates: Record<string, StepEstimate>;
        totalWorkMs: number;
        /** Total work over critical path: how many steps could usefully run at once. */
        parallelism: number;
    };
    tools: Array<{ id: string; steps: string[]; security: string; readOnly: boolean; source: string }>;
    synergies: Synergy[];
    security: Finding[];
    bottlenecks: Finding[];
}

export interface AnalyzeOptions {
    registry: ToolRegistry;
    /** Measured duration of a step's call (history, `estimateFromHistory`), for its estimate. */
    estimateMs?: EstimateMs;
    /** Findings the language checker already made (security-escalation, sensitive-data). */
    checkerFindings?: Finding[];
}

export function analyzeWorkflow(workflow: WorkflowSpec, options: AnalyzeOptions): Analysis {
    const graph = buildGraph(workflow);
    const levels = topologicalLevels(graph);
    const { tools, estimates, criticalPath: critical } = predictWorkflow(workflow, options.registry, options.estimateMs, graph);
    const durations = estimates.map((e) => e.ms);
    const totalWork = durations.reduce((a, b) => a + b, 0);
    const edges = graph.deps.reduce((n, d) => n + d.length, 0);
    const n = workflow.steps.length;
    const byTool = new Map<string, { tool: ToolDescriptor; steps: string[] }>();
    tools.forEach((t, i) => {
        if (t) {
            const entry = byTool.get(t.id) ?? { tool: t, steps: [] };
            entry.steps.push(workflow.steps[i]!.id);
            byTool.set(t.id, entry);
        }
    });
    return {
        workflow: workflow.id,
        graph: {
            steps: n, edges, depth: levels.length, width: Math.max(0, ...levels.map((l) => l.length)),
            roots: graph.ids.filter((_, i) => graph.deps[i]!.length === 0),
            leaves: graph.ids.filter((_, i) => graph.dependants[i]!.length === 0),
            density: n > 1 ? round(edges / (n * (n - 1) / 2)) : 0,
            criticalPath: critical,
            estimates: Object.fromEntries(workflow.steps.map((s, i) => [s.id, estimates[i]!])),
            totalWorkMs: totalWork,
            parallelism: critical.lengthMs > 0 ? round(totalWork / critical.lengthMs) : 0,
        },
        tools: [...byTool.values()].map(({ tool, steps }) => ({ id: tool.id, steps, security: tool.security, readOnly: tool.readOnly, source: tool.source })),
        synergies: synergies([...byTool.values()].map((e) => e.tool)),
        security: [...(options.checkerFindings ?? []), ...securityFindings(workflow, tools)],
        bottlenecks: bottlenecks(workflow, graph.dependants, tools, durations, critical.steps, critical.lengthMs),
    };
}

function round(x: number): number {
    return Math.round(x * 100) / 100;
}

function synergies(tools: ToolDescriptor[]): Synergy[] {
    const result: Synergy[] = [];
    for (let i = 0; i < tools.length; i++) {
        for (let j = i + 1; j < tools.length; j++) {
            const [a, b] = [tools[i]!, tools[j]!];
            if (a.integrates.includes(b.id) || b.integrates.includes(a.id)) {
                result.push({ kind: 'integration', tools: [a.id, b.id], detail: `${a.id} and ${b.id} declare an integration point` });
            }
            const shared = a.capabilities.filter((c) => b.capabilities.includes(c));
            if (shared.length > 0) {
                result.push({ kind: 'shared-capability', tools: [a.id, b.id], detail: `both provide ${shared.join(', ')}: alternatives for routing or fallback` });
            }
        }
    }
    return result;
}

function securityFindings(workflow: WorkflowSpec, tools: Array<ToolDescriptor | undefined>): Finding[] {
    const findings: Finding[] = [];
    workflow.steps.forEach((step, i) => {
        const tool = tools[i];
        if (tool?.security === 'high' || tool?.security === 'enterprise') {
            findings.push({ kind: 'privileged-tool', severity: 'info', step: step.id, message: `step '${step.id}' calls '${tool.id}' (security ${tool.security})` });
        }
        if (tool?.destructive && !step.compensate) {
            findings.push({ kind: 'no-compensation', severity: 'warning', step: step.id, message: `step '${step.id}' calls destructive '${tool.id}' without a compensate action` });
        }
        const secrets = new Set<string>();
        referencedSecrets(step.with, secrets);
        for (const s of secrets) {
            findings.push({ kind: 'secret-use', severity: 'info', step: step.id, message: `step '${step.id}' reads secret '${s}' (masked in logs and reports)` });
        }
    });
    return findings;
}

function bottlenecks(workflow: WorkflowSpec, dependants: readonly number[][], tools: Array<ToolDescriptor | undefined>,
    durations: number[], criticalSteps: string[], criticalMs: number): Finding[] {
    const result: Finding[] = [];
    const capacity = POOL_CAPACITY[workflow.settings.resources];
    workflow.steps.forEach((step, i) => {
        const share = criticalMs > 0 && criticalSteps.includes(step.id) ? durations[i]! / criticalMs : 0;
        if (share >= 0.3) {
            result.push({ kind: 'critical-path', severity: 'info', step: step.id, message: `step '${step.id}' is ${Math.round(share * 100)}% of the critical path` });
        }
        if (dependants[i]!.length >= Math.max(3, workflow.steps.length / 4)) {
            result.push({ kind: 'fan-in-hub', severity: 'info', step: step.id, message: `${dependants[i]!.length} steps wait for '${step.id}'` });
        }
        const heavy = Object.entries(tools[i]?.resources ?? {}).find(([, v]) => v > capacity / 2);
        if (heavy) {
            result.push({ kind: 'resource-heavy', severity: 'info', step: step.id, message: `step '${step.id}' holds ${heavy[0]} ${heavy[1]} of a pool of ${capacity}: little runs beside it` });
        }
        if (step.timeoutMs === undefined && workflow.settings.timeoutMs === undefined && tools[i]?.via?.server !== 'builtin' && tools[i]) {
            result.push({ kind: 'no-timeout', severity: 'warning', step: step.id, message: `step '${step.id}' calls a server tool with no timeout: a hung server would hold the run` });
        }
    });
    return result;
}
