/**
 * The critical path of a finished run, weighed by measured durations. A fan-out streamed
 * item by item from another (`mode pipeline`) overlaps its source: only the time it runs
 * past the source's end lengthens the path, so a pipeline's path is not counted twice.
 */
import { longestPath, type CriticalPath, type WorkflowGraph } from '../graph/graph.js';
import type { StepState } from '../run/run-state.js';

export function measuredCriticalPath(graph: WorkflowGraph, steps: readonly StepState[], durations: ArrayLike<number>,
    order: readonly number[]): CriticalPath {
    if (!steps.some((s) => s.streamFrom !== undefined)) {
        return longestPath(graph, durations, order as number[]);
    }
    const n = graph.ids.length;
    const length = new Float64Array(n);
    const previous = new Int32Array(n).fill(-1);
    for (const i of order) {
        const step = steps[i]!;
        let best = durations[i]!;
        for (const d of graph.deps[i]!) {
            const source = steps[d]!;
            const through = step.streamFrom === source
                ? length[d]! + Math.max(0, step.endedAt - source.endedAt)
                : length[d]! + durations[i]!;
            if (through > best) {
                best = through;
                previous[i] = d;
            }
        }
        length[i] = best;
    }
    let end = 0;
    for (let i = 1; i < n; i++) {
        if (length[i]! > length[end]!) {
            end = i;
        }
    }
    const path: string[] = [];
    for (let i = n > 0 ? end : -1; i >= 0; i = previous[i]!) {
        path.push(graph.ids[i]!);
    }
    return { lengthMs: n > 0 ? length[end]! : 0, steps: path.reverse() };
}
