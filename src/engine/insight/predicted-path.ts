/**
 * A workflow's timing before it runs: each step's tool as a run would pick it, each
 * step's estimate (estimate.ts) and the predicted critical path over those estimates.
 * `plan`, `analyze`, the graph, the editor's hints and lenses and the MCP face all ask
 * this, so given the same history they show the same numbers and the same path.
 */
import { buildGraph, type WorkflowGraph } from '../graph/graph.js';
import { criticalPath, type CriticalPath } from '../graph/critical-path.js';
import type { StepSpec, ToolDescriptor, WorkflowSettings, WorkflowSpec } from '../model/model.js';
import { lookupTool, selectTool } from '../run/run-setup.js';
import type { EstimateMs } from '../state/history/estimate.js';
import type { ToolRegistry } from '../tools/registry.js';
import { estimateStep, type StepEstimate } from './estimate.js';

/** The tool a run would call for `step` (a capability step: the one the settings choose); undefined when none is known. */
export function plannedTool(step: StepSpec, registry: ToolRegistry, settings: WorkflowSettings): ToolDescriptor | undefined {
    return step.tool !== undefined ? lookupTool(registry, step.tool) : selectTool(step.capability ?? '', registry, settings);
}

/** Each step's tool and estimate, in file order. */
export interface StepEstimates {
    tools: Array<ToolDescriptor | undefined>;
    estimates: StepEstimate[];
}

/** The estimates of every step; `measured`: history (`estimateFromHistory`), when there is any. */
export function estimateWorkflow(workflow: WorkflowSpec, registry: ToolRegistry, measured?: EstimateMs): StepEstimates {
    const tools = workflow.steps.map((s) => plannedTool(s, registry, workflow.settings));
    return { tools, estimates: workflow.steps.map((s, i) => estimateStep(s, tools[i], measured)) };
}

/** The estimates and the predicted critical path over them. */
export interface Prediction extends StepEstimates {
    criticalPath: CriticalPath;
}

/** Predicts a workflow's timing; throws on a dependency cycle (there is no path then). */
export function predictWorkflow(workflow: WorkflowSpec, registry: ToolRegistry, measured?: EstimateMs,
    graph: WorkflowGraph = buildGraph(workflow)): Prediction {
    const estimated = estimateWorkflow(workflow, registry, measured);
    return { ...estimated, criticalPath: criticalPath(graph, estimated.estimates.map((e) => e.ms), 'predicted') };
}
