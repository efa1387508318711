/**
 * The engine's public API: what the CLI, the extension and the MCP face import.
 * Plain Node: no `vscode`, no `langium` anywhere under `src/engine`.
 */
export * from './model/model.js';
export { validateParams, paramSchema, type ParamError } from './model/param-schema.js';
export { evaluate, referencedSteps, referencedSecrets, referencesSecret, describeExpr, EvalError, type EvalScope, type StepView } from './model/expressions.js';
export {
    buildGraph,
    stepDependencies,
    findCycle,
    topologicalLevels,
    type WorkflowGraph,
} from './graph/graph.js';
export { criticalPath, type CriticalPath, type CriticalPathKind } from './graph/critical-path.js';
export { DEFAULT_STEP_MS, estimateStep, type EstimateSource, type StepEstimate } from './insight/estimate.js';
export { predictWorkflow, estimateWorkflow, plannedTool, type Prediction, type StepEstimates } from './insight/predicted-path.js';
export { ToolRegistry, type Connector, type ToolContext, type ToolResult, type ToolProgress } from './tools/registry.js';
export { ToolError, toToolError, type ToolErrorCode } from './tools/tool-error.js';
export { DENIED, TRUSTED, makeTrust, allows, requireCapability, deniedError, grantedEnv, type Trust, type Capability } from './security/trust.js';
export { envView, pickSecrets, resumeSecretNote } from './security/secret-values.js';
export { MASK, Redactor } from './security/redaction.js';
export { realClock, FakeClock, sleep, type Clock } from './run/clock.js';
export { POOL_CAPACITY } from './run/resource-pool.js';
export { RunSetupError, resolveInputs, selectTool, type RunSetupCode } from './run/run-setup.js';
export { runWorkflow, runWorkflows, type CoordinatedWorkflow, type CoordinateOptions } from './run/scheduler.js';
export { predictCacheHit, cacheDecision, cacheKey, DiskStore, DEFAULT_CACHE_BYTES, type CachePrediction, type PredictOptions, type CacheDecision } from './state/cache/index.js';
export { readJournal, findJournal, workflowHashes, type ReadJournal, type JournalRecord } from './state/journal/index.js';
export type * from './run/run-types.js';
export { recordRun, loadHistory, estimateFromHistory, compactHistory, historyFile, type History, type ToolHistory, type StepHistory, type HistoryOptions } from './state/history/index.js';
export { RoutingStats, chooseTool, scoreTool, createRouter, measuringConnectors, type SelectToolFn, type ToolFigures } from './insight/routing.js';
export { bindCapabilities } from './insight/route-workflow.js';
export { monitorReport, type MonitorReport, type MonitorBottleneck } from './insight/monitor.js';
export { optimizeWorkflow, type Optimization, type Recommendation } from './insight/optimize.js';
export { applyChange, type WorkflowChange } from './insight/optimize-changes.js';
export {
    BUILTIN_TOOLS,
    BUILTIN_DESCRIPTORS,
    BUILTIN_SERVER,
    builtinDescriptor,
    registerBuiltins,
    createBuiltinConnector,
    renderTemplate,
    type BuiltinTool,
} from './tools/builtins/index.js';
export * from './tools/connectors/index.js';
export * from './state/schema-lock.js';
