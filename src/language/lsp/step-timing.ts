/**
 * Predicted timing of each step of a workflow: earliest start, duration, and whether it is
 * on the critical path, from the engine's graph code. A pure function of the workflow and
 * a duration per step, so measured history can replace declared estimates later.
 */
import { buildGraph, longestPath, topologicalOrder } from '../../engine/graph/graph.js';
import type { StepSpec, WorkflowSpec } from '../../engine/model/model.js';

/** When a step would start and how long it would take, unconstrained by resources. */
export interface StepTiming {
    startMs: number;
    durationMs: number;
    critical: boolean;
}

/** Timings by step id; undefined when the graph has a cycle (there is no plan then). */
export function predictTimings(workflow: WorkflowSpec, durationOf: (step: StepSpec) => number): Map<string, StepTiming> | undefined {
    const graph = buildGraph(workflow);
    let order: number[];
    try {
        order = topologicalOrder(graph);
    } catch {
        return undefined;
    }
    const durations = workflow.steps.map(durationOf);
    const start = new Float64Array(durations.length);
    for (const i of order) {
        let earliest = 0;
        for (const d of graph.deps[i]!) {
            earliest = Math.max(earliest, start[d]! + durations[d]!);
        }
        start[i] = earliest;
    }
    const critical = new Set(longestPath(graph, durations).steps);
    const result = new Map<string, StepTiming>();
    workflow.steps.forEach((s, i) => {
        if (!result.has(s.id)) {
            result.set(s.id, { startMs: start[i]!, durationMs: durations[i]!, critical: critical.has(s.id) });
        }
    });
    return result;
}
