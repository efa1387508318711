/**
 * "Run to here": the sub-workflow of one step and everything it transitively depends on,
 * steps kept in file order and settings unchanged, so it runs exactly as those steps
 * would in the whole workflow.
 */
import { buildGraph } from './graph.js';
import type { WorkflowSpec } from '../model/model.js';

/** The ids of `stepId` and its transitive dependencies, in file order. */
export function stepClosure(workflow: WorkflowSpec, stepId: string): string[] {
    const graph = buildGraph(workflow);
    const start = graph.index.get(stepId);
    if (start === undefined) {
        throw new Error(`no step '${stepId}' in workflow '${workflow.id}'`);
    }
    const keep = new Uint8Array(graph.ids.length);
    const stack = [start];
    keep[start] = 1;
    while (stack.length > 0) {
        for (const dep of graph.deps[stack.pop()!]!) {
            if (!keep[dep]) {
                keep[dep] = 1;
                stack.push(dep);
            }
        }
    }
    return graph.ids.filter((_, i) => keep[i]);
}

/** The workflow cut down to `stepId` and its transitive dependencies. */
export function subWorkflowTo(workflow: WorkflowSpec, stepId: string): WorkflowSpec {
    const keep = new Set(stepClosure(workflow, stepId));
    return { ...workflow, steps: workflow.steps.filter((s) => keep.has(s.id)) };
}
