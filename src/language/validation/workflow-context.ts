/**
 * What the workflow checks share: the engine model of the workflow (built once per
 * validation), its steps by id, and each step's resolved tool.
 */
import type { AstNode } from 'langium';
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
    for (let i = 0; i < workflow.steps.length; i++) {
        const step = workflow.steps[i]!;
        if (!steps.has(step.name)) {
            steps.set(step.name, step);
        }
    }
    // A step naming a declared tool has that declaration's descriptor (ToolIndex.toolOf reads
    // nothing else of the step), so steps of one tool share one look-up; other steps are
    // looked up on their own. For one validation of the workflow only.
    const tools = new Map<AstNode, ToolDescriptor | undefined>();
    const index = services.tools.ToolIndex;
    return {
        services,
        workflow,
        spec: workflowSpecOf(services, workflow),
        steps,
        toolOf(step) {
            const key = step.tool?.ref ?? step;
            let tool = tools.get(key);
            if (tool === undefined && !tools.has(key)) {
                tool = index.toolOf(step);
                tools.set(key, tool);
            }
            return tool;
        },
    };
}
