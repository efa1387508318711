/**
 * What the workflow checks share: the engine model of the workflow (built once per
 * validation), its steps by id, and each step's resolved tool.
 */
import type { ToolDescriptor, WorkflowSpec } from '../../engine/model.js';
import type { Step, Workflow } from '../generated/ast.js';
import type { KmflowServices } from '../kmflow-module.js';
import { toWorkflowSpec } from '../to-engine-model.js';

export interface WorkflowContext {
    services: KmflowServices;
    workflow: Workflow;
    spec: WorkflowSpec;
    steps: Map<string, Step>;
    toolOf(step: Step): ToolDescriptor | undefined;
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
        spec: toWorkflowSpec(services, workflow),
        steps,
        toolOf(step) {
            if (!tools.has(step)) {
                tools.set(step, services.tools.ToolIndex.toolOf(step));
            }
            return tools.get(step);
        },
    };
}
