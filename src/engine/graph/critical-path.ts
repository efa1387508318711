/**
 * The one critical-path computation: the longest chain of dependent steps over a
 * duration per step. Before a run the durations are the steps' estimates (`predicted`,
 * see insight/predicted-path.ts); after a run they are what the run measured
 * (`measured`, see run/report.ts). Every view (editor hints and lenses, graph, Gantt,
 * `plan`, `analyze`, the MCP face, the run report and its history) takes its path from
 * here, and says which kind it shows.
 */
import { topologicalOrder, type WorkflowGraph } from './graph.js';

/** Whether a path is predicted from estimates (before a run) or measured (by a run). */
export type CriticalPathKind = 'predicted' | 'measured';

/** The critical path: its steps, first to last, its length and which kind it is. */
export interface CriticalPath {
    steps: string[];
    lengthMs: number;
    kind: CriticalPathKind;
}

/**
 * A fan-out streamed item by item from another (`mode pipeline`) overlaps its source:
 * only the `pastSourceMs` it runs past the source's end lengthens a path through the
 * source, so a pipeline's time is not counted twice.
 */
export interface StreamOverlap {
    /** Index of the step it streams from (one of its dependencies). */
    source: number;
    pastSourceMs: number;
}

export interface CriticalPathOptions {
    /** A topological order of the graph, when the caller has one (else it is computed; throws on a cycle). */
    order?: readonly number[];
    /** Per step index, its overlap with the step it streams from (measured runs only). */
    streamed?: ReadonlyArray<StreamOverlap | undefined>;
}

/** The longest path over `durations` (by step index); ties go to the earlier step in file order. */
export function criticalPath(graph: WorkflowGraph, durations: ArrayLike<number>, kind: CriticalPathKind,
    options: CriticalPathOptions = {}): CriticalPath {
    const { path, lengthMs } = criticalPathIndices(graph, durations, options);
    return { steps: path.map((i) => graph.ids[i]!), lengthMs, kind };
}

/** `criticalPath` as step indices, first to last (the run report marks its steps by index). */
export function criticalPathIndices(graph: WorkflowGraph, durations: ArrayLike<number>,
    options: CriticalPathOptions = {}): { path: number[]; lengthMs: number } {
    const n = graph.ids.length;
    if (n === 0) {
        return { path: [], lengthMs: 0 };
    }
    const order = options.order ?? topologicalOrder(graph);
    const streamed = options.streamed;
    const length = new Float64Array(n);
    const previous = new Int32Array(n).fill(-1);
    // Indexed loops over the graph's rows: this runs at the end of every run, over every
    // step and dependency, often before V8 optimizes it, where `for...of` allocates per
    // element.
    const { start, list } = graph.depRows;
    for (let k = 0; k < order.length; k++) {
        const i = order[k]!;
        const own = durations[i]!;
        const overlap = streamed?.[i];
        let best = own;
        for (let e = start[i]!; e < start[i + 1]!; e++) {
            const d = list[e]!;
            const through = length[d]! + (overlap?.source === d ? overlap.pastSourceMs : own);
            if (through > best || (through === best && previous[i]! >= 0 && d < previous[i]!)) {
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
    const path: number[] = [];
    for (let i = end; i >= 0; i = previous[i]!) {
        path.push(i);
    }
    return { path: path.reverse(), lengthMs: length[end]! };
}
