/**
 * Binds a workflow's `uses capability X` steps to tools before a run, with a router
 * (`createRouter`): the run then calls exactly the tools chosen, and its report names
 * them. Used where a router with history or live figures is wanted (the MCP face,
 * `optimize`) while `runWorkflow` itself binds with declared figures only.
 */
import type { WorkflowSpec } from '../model/model.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { SelectToolFn } from './routing.js';
import { selectTool } from '../run/run-setup.js';

/** The workflow with each capability step's `tool` set by `select` (unchanged when none provides it). */
export function bindCapabilities(workflow: WorkflowSpec, registry: ToolRegistry, select: SelectToolFn): WorkflowSpec {
    if (!workflow.steps.some((s) => s.tool === undefined && s.capability !== undefined)) {
        return workflow;
    }
    return {
        ...workflow,
        steps: workflow.steps.map((step) => {
            if (step.tool !== undefined || step.capability === undefined) {
                return step;
            }
            const tool = selectTool(step.capability, registry, workflow.settings, select);
            // Left unbound, the run reports the unknown capability as it always does.
            return tool ? { ...step, tool: tool.id } : step;
        }),
    };
}
