/**
 * The application layer: what every front door (the CLI, the MCP face, the language
 * server's run requests) does with a workspace — open it, load and check, prepare,
 * connect, run, plan, analyze, optimize, monitor — written once, so they cannot disagree.
 * Each front door only turns its arguments into these calls and their results into its
 * presentation.
 */
export { Workspace, checked, type RunRoot, type CheckedFile, type LoadRequest, type LoadResult, type WorkspaceOptions } from './workspace.js';
export {
    RunRequestError, prepareChecked, placeRefusal, declaresWorkflow, requiredInputs, convertInputs,
    type PrepareOptions, type PreparedWorkflowRun, type RunProblem,
} from './prepare.js';
export { openConnectors, serversUsed, listServerTools, type RunConnectors, type OpenOptions } from './connect.js';
export { runPrepared, type RunItem, type RunRequest } from './run.js';
export { openReplay, runSecretValues, workspaceCopy, type ReplaySession, type SecretSources } from './cassettes.js';
export { planOf, analyzeOf, optimizeOf, monitorOf, type InsightOptions } from './insight.js';
export {
    SUGGEST_TARGETS, knownTools, capabilityChoices, checkText, checkedSuggestion, suggestWorkflow, suggestIn,
    type CapabilityChoice, type CheckedSuggestion, type SuggestionProblem,
} from './suggest.js';
export {
    findTestFiles, loadTests, testCaseOf, runTests, junitXml, showValue, snapshotFileOf, relativeTo, TEST_EPOCH,
    type LoadedTests, type TestLoadOptions, type TestRunOptions, type SnapshotOutcome, type TestCase, type TestFailure,
    type TestPlace, type TestResult, type TestRunSummary, type TestStatus,
} from './testing/index.js';
