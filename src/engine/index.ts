/**
 * The engine's public API: what the CLI, the extension and the MCP face import.
 * Plain Node: no `vscode`, no `langium` anywhere under `src/engine`.
 */
export * from './model.js';
export { validateParams, paramSchema, type ParamError } from './param-schema.js';
export { evaluate, referencedSteps, referencedSecrets, referencesSecret, describeExpr, EvalError, type EvalScope, type StepView } from './expressions.js';
export {
    buildGraph,
    stepDependencies,
    findCycle,
    topologicalLevels,
    criticalPath,
    longestPath,
    declaredDuration,
    DEFAULT_STEP_MS,
    type WorkflowGraph,
    type CriticalPath,
} from './graph.js';
export { ToolRegistry, type Connector, type ToolContext, type ToolResult, type ToolProgress } from './registry.js';
export { ToolError, toToolError, type ToolErrorCode } from './tool-error.js';
export { DENIED, TRUSTED, makeTrust, allows, requireCapability, deniedError, grantedEnv, type Trust, type Capability } from './trust.js';
export { envView, pickSecrets, resumeSecretNote } from './secret-values.js';
export { MASK, Redactor } from './redaction.js';
export { realClock, FakeClock, sleep, type Clock } from './clock.js';
export { POOL_CAPACITY } from './resource-pool.js';
export { RunSetupError, resolveInputs, selectTool, type RunSetupCode } from './run-setup.js';
export { runWorkflow, runWorkflows, type CoordinatedWorkflow, type CoordinateOptions } from './scheduler.js';
export { predictCacheHit, cacheDecision, cacheKey, DiskStore, DEFAULT_CACHE_BYTES, type CachePrediction, type PredictOptions, type CacheDecision } from './cache/index.js';
export { readJournal, findJournal, workflowHashes, type ReadJournal, type JournalRecord } from './journal/index.js';
export type * from './run-types.js';
export { recordRun, loadHistory, estimateFromHistory, compactHistory, historyFile, type History, type ToolHistory, type StepHistory, type HistoryOptions } from './history/index.js';
export { RoutingStats, chooseTool, scoreTool, createRouter, measuringConnectors, type SelectToolFn, type ToolFigures } from './routing.js';
export { bindCapabilities } from './route-workflow.js';
export { monitorReport, type MonitorReport, type MonitorBottleneck } from './monitor.js';
export { optimizeWorkflow, type Optimization, type Recommendation } from './optimize.js';
export { applyChange, type WorkflowChange } from './optimize-changes.js';
export {
    BUILTIN_TOOLS,
    BUILTIN_DESCRIPTORS,
    BUILTIN_SERVER,
    builtinDescriptor,
    registerBuiltins,
    createBuiltinConnector,
    renderTemplate,
    type BuiltinTool,
} from './builtins/index.js';
export * from './connectors/index.js';
export * from './schema-lock.js';
