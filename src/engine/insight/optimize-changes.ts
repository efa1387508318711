/**
 * The changes `optimize` can recommend, and how to apply one to a workflow: the same
 * function builds what the simulator predicts and what a user (or test) then runs.
 */
import { forEachRef } from '../model/expression-refs.js';
import { stepDependencies } from '../graph/graph.js';
import type { Expr, StepSpec, WorkflowSettings, WorkflowSpec } from '../model/model.js';

/** One concrete edit of a workflow. */
export type WorkflowChange =
    /** Drop `after AFTER` from step STEP (only the `after`; data references stay). */
    | { kind: 'remove-after'; step: string; after: string }
    /** New workflow settings (mode, max_parallel, resources, cache). */
    | { kind: 'settings'; settings: Partial<WorkflowSettings> }
    /** `cache on` for one step, with the workflow's `cache` strategy set. */
    | { kind: 'cache-step'; step: string; strategy: WorkflowSettings['cache'] };

/** The workflow with `change` applied (a new object; the original is untouched). */
export function applyChange(workflow: WorkflowSpec, change: WorkflowChange): WorkflowSpec {
    switch (change.kind) {
        case 'remove-after':
            return {
                ...workflow,
                steps: workflow.steps.map((s) => (s.id === change.step ? { ...s, after: s.after.filter((a) => a !== change.after) } : s)),
            };
        case 'settings':
            return { ...workflow, settings: { ...workflow.settings, ...change.settings } };
        case 'cache-step':
            return {
                ...workflow,
                settings: { ...workflow.settings, cache: change.strategy },
                steps: workflow.steps.map((s) => (s.id === change.step ? { ...s, cache: true } : s)),
            };
    }
}

/** The steps `step` reads data from (expressions) or needs facts from (`requires`): not `after`. */
export function dataDependencies(step: StepSpec, workflow: WorkflowSpec): Set<string> {
    const ensuredBy = new Map<string, string[]>();
    for (const other of workflow.steps) {
        for (const fact of other.ensures) {
            ensuredBy.set(fact, [...(ensuredBy.get(fact) ?? []), other.id]);
        }
    }
    return stepDependencies({ ...step, after: [] }, ensuredBy);
}

/** Steps whose `output` or `result` another step reads (not just its `status` or `ok`). */
export function outputsRead(workflow: WorkflowSpec): Set<string> {
    const read = new Set<string>();
    const visit = (ref: Extract<Expr, { kind: 'ref' }>): void => {
        const first = ref.path[0];
        if (ref.root === 'step' && (first === undefined || ('field' in first && (first.field === 'output' || first.field === 'result')))) {
            read.add(ref.name);
        }
    };
    for (const s of workflow.steps) {
        forEachRef(s.with, visit);
        forEachRef(s.when, visit);
        forEachRef(s.each?.items, visit);
    }
    return read;
}

/** Whether a step's parameters are the same in every run: no step, input, env or secret reference. */
export function staticParams(step: StepSpec): boolean {
    let fixed = true;
    forEachRef(step.with, () => {
        fixed = false;
    });
    return fixed && step.each === undefined;
}
