/**
 * The execution plan of a workflow: dependency levels, parallel groups, resource use and
 * a predicted makespan from a simulation of the real scheduler; each step's estimate and
 * the predicted critical path are `predictWorkflow`'s, the same the editor and the graph
 * show (the simulation runs on those estimates too).
 */
import { buildGraph, topologicalLevels } from '../graph/graph.js';
import type { CriticalPath } from '../graph/critical-path.js';
import type { StepSpec, WorkflowSpec } from '../model/model.js';
import { POOL_CAPACITY } from '../run/resource-pool.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { StepEstimate } from './estimate.js';
import { predictWorkflow } from './predicted-path.js';
import { simulateRun, type SimulationOptions } from './simulate.js';
import { predictCacheHit, type CachePrediction } from '../state/cache/predict.js';

export interface PlannedStep {
    id: string;
    tool: string;
    level: number;
    group?: string;
    dependsOn: string[];
    predictedStartMs: number;
    /** In the simulation: the step's estimate times its items, as the schedule allowed them to overlap. */
    predictedDurationMs: number;
    /** One call's estimate, and where it comes from (measured, declared, default). */
    estimate: StepEstimate;
    items: number;
    resources: Record<string, number>;
    onCriticalPath: boolean;
    /** With `PlanOptions.root`: would the persistent cache answer this step now, and why (not)? */
    cache?: CachePrediction;
}

export interface ExecutionPlan {
    workflow: string;
    mode: string;
    /** The workflow's `cache` strategy. */
    cache: string;
    levels: string[][];
    groups: Record<string, string[]>;
    /** The predicted critical path over the steps' estimates (kind `predicted`). */
    criticalPath: CriticalPath;
    predictedMakespanMs: number;
    /** Sum of predicted step durations: what a one-at-a-time run would take. */
    totalWorkMs: number;
    resources: { strategy: string; capacity: number | null; peak: Record<string, number> };
    maxParallel: number | null;
    steps: PlannedStep[];
}

export interface PlanOptions extends SimulationOptions {
    registry: ToolRegistry;
    /** Workspace root: when given, each step says whether its result is cached (`predictCacheHit`). */
    root?: string;
    env?: Readonly<Record<string, string | undefined>>;
}

export async function planWorkflow(workflow: WorkflowSpec, options: PlanOptions): Promise<ExecutionPlan> {
    const sim = await simulateRun(workflow, options);
    const graph = buildGraph(workflow);
    const levels = topologicalLevels(graph);
    const levelOf = new Map<string, number>();
    levels.forEach((ids, l) => ids.forEach((id) => levelOf.set(id, l)));
    const durations = sim.steps.map((s) => s.endMs - s.startMs);
    const predicted = predictWorkflow(workflow, options.registry, options.estimateMs, graph);
    const onPath = new Set(predicted.criticalPath.steps);
    const groups: Record<string, string[]> = {};
    for (const step of workflow.steps) {
        if (step.parallelGroup) {
            (groups[step.parallelGroup] ??= []).push(step.id);
        }
    }
    const steps: PlannedStep[] = workflow.steps.map((step: StepSpec, i) => ({
        id: step.id,
        tool: sim.steps[i]!.tool,
        level: levelOf.get(step.id) ?? 0,
        group: step.parallelGroup,
        dependsOn: graph.deps[i]!.map((d) => graph.ids[d]!),
        predictedStartMs: sim.steps[i]!.startMs,
        predictedDurationMs: durations[i]!,
        estimate: predicted.estimates[i]!,
        items: sim.steps[i]!.items,
        resources: { ...(predicted.tools[i]?.resources ?? {}) },
        onCriticalPath: onPath.has(step.id),
        ...(options.root !== undefined && { cache: predictCacheHit(workflow, step, { registry: options.registry, root: options.root, inputs: options.inputs, env: options.env }) }),
    }));
    return {
        workflow: workflow.id,
        mode: options.settings?.mode ?? workflow.settings.mode,
        cache: options.settings?.cache ?? workflow.settings.cache,
        levels,
        groups,
        criticalPath: predicted.criticalPath,
        predictedMakespanMs: sim.makespanMs,
        totalWorkMs: durations.reduce((a, b) => a + b, 0),
        resources: { strategy: workflow.settings.resources, capacity: capacityOf(workflow), peak: peakUse(steps) },
        maxParallel: workflow.settings.maxParallel ?? null,
        steps,
    };
}

function capacityOf(workflow: WorkflowSpec): number | null {
    const c = POOL_CAPACITY[workflow.settings.resources];
    return Number.isFinite(c) ? c : null;
}

/** The most of each resource held at once in the predicted schedule. */
function peakUse(steps: PlannedStep[]): Record<string, number> {
    const events: Array<{ at: number; delta: Record<string, number> }> = [];
    for (const s of steps) {
        events.push({ at: s.predictedStartMs, delta: s.resources });
        events.push({ at: s.predictedStartMs + s.predictedDurationMs, delta: Object.fromEntries(Object.entries(s.resources).map(([k, v]) => [k, -v])) });
    }
    // Releases before acquisitions at the same instant.
    events.sort((a, b) => a.at - b.at || sum(a.delta) - sum(b.delta));
    const current: Record<string, number> = {};
    const peak: Record<string, number> = {};
    for (const e of events) {
        for (const [k, v] of Object.entries(e.delta)) {
            current[k] = (current[k] ?? 0) + v;
            peak[k] = Math.max(peak[k] ?? 0, Math.round(current[k]! * 1000) / 1000);
        }
    }
    return peak;
}

function sum(delta: Record<string, number>): number {
    return Object.values(delta).reduce((a, b) => a + b, 0);
}
