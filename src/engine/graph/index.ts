/**
 * The dependency graph: levels, cycles, the critical path, sub-workflows and renderings.
 * The part's public face: code outside src/engine imports it from here (lint enforces it).
 */
export { criticalPath, type CriticalPath } from './critical-path.js';
export { toDot, toMermaid } from './graph-render.js';
export { buildGraph, findCycle, isCompletionRef, topologicalLevels, topologicalOrder, type WorkflowGraph } from './graph.js';
export { subWorkflowTo } from './sub-workflow.js';
export { toSvg } from './svg-on-demand.js';
