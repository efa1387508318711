/**
 * The changes `optimize` can recommend, and how to apply one to a workflow: the same
 * function builds what the simulator predicts and what a user (or test) then runs.
 */
import { referencedSteps } from './expression-refs.js';
import type { StepSpec, WorkflowSettings, WorkflowSpec } from './model.js';

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
    const deps = new Set<string>();
    referencedSteps(step.with, deps);
    referencedSteps(step.when, deps);
    referencedSteps(step.each?.items, deps);
    for (const id of referencedSteps(step.compensate?.with)) {
        if (id !== step.id) {
            deps.add(id);
        }
    }
    for (const fact of step.requires) {
        for (const other of workflow.steps) {
            if (other.id !== step.id && other.ensures.includes(fact)) {
                deps.add(other.id);
            }
        }
    }
    return deps;
}

/** Steps whose `output` or `result` another step reads (not just its `status` or `ok`). */
export function outputsRead(workflow: WorkflowSpec): Set<string> {
    const read = new Set<string>();
    const visit = (e: StepSpec['with'] | undefined): void => {
        if (!e) {
            return;
        }
        switch (e.kind) {
            case 'ref': {
                const first = e.path[0];
                if (e.root === 'step' && (first === undefined || ('field' in first && (first.field === 'output' || first.field === 'result')))) {
                    read.add(e.name);
                }
                e.path.forEach((a) => 'index' in a && visit(a.index));
                return;
            }
            case 'list':
                e.items.forEach(visit);
                return;
            case 'object':
                e.entries.forEach((x) => visit(x.value));
                return;
            case 'template':
                e.parts.forEach((p) => typeof p !== 'string' && visit(p));
                return;
            case 'binary':
                visit(e.left);
                visit(e.right);
                return;
            case 'unary':
                visit(e.operand);
                return;
            default:
                return;
        }
    };
    for (const s of workflow.steps) {
        visit(s.with);
        visit(s.when);
        visit(s.each?.items);
    }
    return read;
}

/** Whether a step's parameters are the same in every run: no step, input, env or secret reference. */
export function staticParams(step: StepSpec): boolean {
    let fixed = true;
    const visit = (e: StepSpec['with'] | undefined): void => {
        if (!e || !fixed) {
            return;
        }
        switch (e.kind) {
            case 'ref':
                fixed = false;
                return;
            case 'list':
                e.items.forEach(visit);
                return;
            case 'object':
                e.entries.forEach((x) => visit(x.value));
                return;
            case 'template':
                e.parts.forEach((p) => typeof p !== 'string' && visit(p));
                return;
            case 'binary':
                visit(e.left);
                visit(e.right);
                return;
            case 'unary':
                visit(e.operand);
                return;
            default:
                return;
        }
    };
    visit(step.with);
    return fixed && step.each === undefined;
}
