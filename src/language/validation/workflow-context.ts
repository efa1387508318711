/**
 * What the workflow checks share: the engine model of the workflow (built once per
 * validation), its steps by id, and each step's resolved tool.
 */
import type { ToolDescriptor, WorkflowSpec } from '../../engine/model/index.js';
import type { Step, Workflow } from '../generated/ast.js';
import type { KmflowServices } from '../kmflow-module.js';
import { toWorkflowSpec } from '../to-engine-model.js';
import { ParseCache } from '../parse-cache.js';

export interface WorkflowContext {
    services: KmflowServices;
    workflow: Workflow;
    spec: WorkflowSpec;
    steps: Map<string, Step>;
    toolOf(step: Step): ToolDescriptor | undefined;
}

/**
 * The engine model of a workflow, once per parse: it depends on the workflow's own text
 * only (steps are not exported, so relinking cannot change it) and its place (locations),
 * and a new parse gives the document a new parse result (parse-cache.ts). Re-validations
 * of an unchanged document (relinking after an import changed, live server tools) reuse
 * it. Read-only.
 */
const specs = new ParseCache<Workflow, WorkflowSpec>();

export function workflowSpecOf(services: KmflowServices, workflow: Workflow): WorkflowSpec {
    return specs.get(workflow, () => toWorkflowSpec(services, workflow));
}

export function workflowContext(services: KmflowServices, workflow: Workflow): WorkflowContext {
    const steps = new Map<string, Step>();
    for (const step of workflow.steps) {
        if (!steps.has(step.name)) {
            steps.set(step.name, step);
        }
    }
    const tools = new Map<Step, ToolDescriptor | undefined>();
    return {
        services,
        workflow,
        spec: workflowSpecOf(services, workflow),
        steps,
        toolOf(step) {
            // One look-up of the memo when the step's tool is known (the usual case), two when not.
            let tool = tools.get(step);
            if (tool === undefined && !tools.has(step)) {
                tool = services.tools.ToolIndex.toolOf(step);
                tools.set(step, tool);
            }
            return tool;
        },
    };
}
