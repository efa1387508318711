/**
 * The `graph` message of a workflow: nodes with their level and source line, the
 * dependency edges, and the critical path predicted from declared durations.
 */
import { buildGraph, criticalPath, declaredDuration, topologicalLevels } from '../../engine/graph/graph.js';
import type { StepSpec, WorkflowSpec } from '../../engine/model/model.js';
import type { ToolRegistry } from '../../engine/tools/registry.js';
import type { RunReport } from '../../engine/run/run-types.js';
import type { GraphEdge, GraphMessage, GraphNode } from '../../shared/messages.js';

/** Expected duration of each step: the tool's declared response time, else 100 ms. */
export function estimateOf(registry: ToolRegistry): (step: StepSpec) => number {
    return declaredDuration((step) => (step.tool ? registry.get(step.tool) : undefined));
}

/**
 * Builds the graph message; a cyclic workflow (not runnable) gets every node on level 0.
 * With `measured` (step id to measured duration, from a report) the critical path is the
 * run's real one; otherwise it is predicted from declared durations.
 */
export function graphMessage(workflow: WorkflowSpec, registry: ToolRegistry, uri?: string, measured?: ReadonlyMap<string, number>): GraphMessage {
    const graph = buildGraph(workflow);
    const estimate = estimateOf(registry);
    const weight = measured ? (s: StepSpec): number => measured.get(s.id) ?? 0 : estimate;
    const levelOf = new Map<string, number>();
    let critical = { lengthMs: 0, steps: [] as string[] };
    try {
        topologicalLevels(graph).forEach((ids, level) => ids.forEach((id) => levelOf.set(id, level)));
        critical = criticalPath(workflow, weight, graph);
    } catch {
        // A cycle: the checker reports it; draw the nodes anyway.
    }
    const nodes: GraphNode[] = workflow.steps.map((s) => ({
        id: s.id,
        tool: s.tool ?? `capability ${s.capability ?? '?'}`,
        level: levelOf.get(s.id) ?? 0,
        line: s.location?.line,
        estimateMs: estimate(s),
    }));
    const edges: GraphEdge[] = [];
    graph.deps.forEach((deps, i) => {
        for (const d of deps) {
            edges.push({ from: graph.ids[d]!, to: graph.ids[i]! });
        }
    });
    return {
        type: 'graph',
        workflow: workflow.id,
        title: workflow.title,
        uri,
        nodes,
        edges,
        criticalPath: critical.steps,
        criticalPathMs: critical.lengthMs,
    };
}

/** Measured durations of a run's steps, for `graphMessage`. */
export function measuredDurations(report: RunReport): Map<string, number> {
    return new Map(report.steps.map((s) => [s.id, s.durationMs]));
}
