/**
 * Insight over a workflow: estimates, plan, simulation, analysis, optimization, monitoring, suggestion, routing.
 * The part's public face: code outside src/engine imports it from here (lint enforces it).
 */
export { type Analysis, analyzeWorkflow, type Finding } from './analyze.js';
export { DEFAULT_STEP_MS, type EstimateSource, type StepEstimate } from './estimate.js';
export { monitorReport, type MonitorReport } from './monitor.js';
export { type WorkflowChange } from './optimize-changes.js';
export { type Optimization, optimizeWorkflow, type Recommendation } from './optimize.js';
export { type ExecutionPlan, planWorkflow } from './plan.js';
export { estimateWorkflow, predictWorkflow } from './predicted-path.js';
export { bindCapabilities } from './route-workflow.js';
export { createRouter, recordingCalls, RoutingStats, scoreTool, type SelectToolFn, type ToolFigures } from './routing.js';
export { type Suggestion, suggestTools, usable } from './suggest.js';
