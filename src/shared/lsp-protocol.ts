/**
 * The language server's own requests and notifications (`kmflow/…`), as rust-analyzer's
 * `lsp_ext` has them: the editor asks the server for what it already knows (the
 * prepared workflow, its graph, the plan) and has it run workflows, instead of loading
 * a second Langium. Only names and plain data types: no `vscode`, no
 * `vscode-languageserver`, so both the extension (src/extension/kmflow-client.ts) and
 * the server (src/server/requests/) import it. Every URI is a document URI as the
 * client synchronises it; the workspace root is the workspace folder holding it.
 *
 * Secrets (`RunParams.secrets`) travel over the client↔server pipe: same machine, same
 * user, the process the client started. Neither side logs them (VS Code's client seals
 * them, so a verbose trace of the messages does not show them either); the engine masks
 * them in every event and report.
 */
import type { GraphMessage } from './messages.js';
import type { RunReport } from './run-report.js';
import type {
    CancelRunParams, CheckInputParams, DebugAck, DebugBreakpointsParams, DebugPausedParams, DebugResumeParams, InputInfo,
    ResumableParams, ResumeCandidate, RunEventParams, RunParams, RunResult, RunWarningParams,
} from './lsp-run-protocol.js';
import type { RunTestsParams, TestResultParams, TestRunResult, TestsParams, TestsResult } from './lsp-test-protocol.js';

export type * from './lsp-run-protocol.js';
export type * from './lsp-test-protocol.js';

/** Why a request cannot do what it was asked; the message is meant for the user. */
export interface Refusal {
    kind: 'refused';
    message: string;
    /** `untrusted`, `check-errors`, `unknown-workflow`, `bad-input`, `missing-secret`, `no-journal`, `resume-mismatch`… */
    code?: string;
    /** Where in the file (1-based), first first. */
    problems: RunProblem[];
}

/** A problem that keeps a workflow from running, 1-based like the Problems panel. */
export interface RunProblem {
    line: number;
    column?: number;
    code: string;
    message: string;
}

/** A workflow of a document: which (its only one by default), and "Run to here". */
export interface TargetParams {
    uri: string;
    workflow?: string;
    toStep?: string;
}

// ---------------------------------------------------------------- kmflow/prepare

export interface PrepareParams extends TargetParams {
    /** A resume is asked for: only the secret inputs are asked again, and the secret note says so. */
    resume?: boolean;
    /** A finished run of the workflow: the graph's critical path is then the one it measured. */
    report?: RunReport;
}

export interface Prepared {
    kind: 'prepared';
    workflow: string;
    title?: string;
    /** The document's path relative to its workspace root, `/`-separated. */
    file: string;
    /** The workspace root (the workspace folder holding the document). */
    root: string;
    /** The steps that run, in order: id, tool (or `capability X`), 1-based line, and the line its block ends on. */
    steps: Array<{ id: string; tool: string; line?: number; lastLine?: number }>;
    /** Inputs to ask for: those without a default (resuming: those declared secret). */
    ask: InputInfo[];
    /** Resuming: what is asked again because secrets are never journaled. */
    secretNote?: string;
    /** The graph message of the webview (the measured critical path of `report`, if given). */
    graph: GraphMessage;
}

// ---------------------------------------------------------------- kmflow/plan, kmflow/analyze, kmflow/metrics

/** A view the server rendered as markdown. */
export interface Markdown {
    kind: 'markdown';
    workflow: string;
    file: string;
    markdown: string;
}

export interface MetricsParams {
    /** A document or workspace folder URI: its folder's history; default the first folder's. */
    uri?: string;
}

export interface Metrics {
    /** The workspace root whose `.kmflow/metrics` was read; undefined without a workspace folder. */
    root?: string;
    markdown?: string;
}

// ---------------------------------------------------------------- kmflow/optimize

/** Replace `range` (0-based line and UTF-16 character) by `newText`. */
export interface TextEditInfo {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
}

/** A recommendation predicted to save more than the noise, and the edit that makes it. */
export interface OfferedChange {
    kind: string;
    /** The change in the language's words, e.g. ``remove `after fetch` from step `merge` ``. */
    change: string;
    /** The predicted effect, e.g. `−80 ms (−40%), utilization +12 pts`. */
    effect: string;
    message: string;
    caution?: string;
    /** The edits of the document (at `version`); absent when the change cannot be made an edit. */
    edits?: TextEditInfo[];
    /** Why it cannot be made an edit. */
    editProblem?: string;
}

export interface Optimized {
    kind: 'optimization';
    workflow: string;
    file: string;
    /** The document version the edits are for. */
    version: number;
    /** False: no measured history yet (`message` says so). */
    measured: boolean;
    /** No history, or nothing offered: what to say. */
    message?: string;
    /** One line on the predicted baseline. */
    baseline: string;
    offered: OfferedChange[];
    /** How many recommendations fell below the noise (listed in the markdown). */
    belowNoise: number;
    markdown: string;
}

// ---------------------------------------------------------------- kmflow/capabilities, kmflow/suggest, kmflow/tools

export interface ToolsParams {
    /** The active document: its visible tools; default those of the bundled catalogs. */
    uri?: string;
}

/** A tool as the registry describes it: its whole descriptor, as JSON, of which these fields. */
export interface ToolInfo {
    id: string;
    title?: string;
    description?: string;
    capabilities: string[];
    security: string;
    status?: string;
    via?: { server: string; tool: string };
}

export interface CapabilityInfo {
    capability: string;
    tools: number;
    usable: number;
}

export interface Capabilities {
    capabilities: CapabilityInfo[];
    /** The optimisation targets, in the order to offer them. */
    targets: string[];
}

export interface SuggestParams extends ToolsParams {
    capabilities: string[];
    target: string;
}

export interface Suggested {
    /** The suggested workflow's source, checked. */
    text: string;
    /** Capabilities no usable tool provides. */
    uncovered: string[];
    /** Tools left out because their step did not check clean. */
    dropped: Array<{ tool: string; problem: string }>;
    problems: Array<{ line: number; severity: 'error' | 'warning'; message: string }>;
}

// ---------------------------------------------------------------- kmflow/catalog

/** The URI scheme of bundled catalog documents (`kmflow-catalog:/km.kmflow`); the VS Code client serves it read-only. */
export const CATALOG_SCHEME = 'kmflow-catalog';

export interface CatalogParams {
    /** `kmflow-catalog:/km.kmflow`. */
    uri: string;
}

/** Each request: its params and result. */
export interface KmflowRequests {
    'kmflow/prepare': [PrepareParams, Prepared | Refusal];
    'kmflow/checkInput': [CheckInputParams, { problem?: string }];
    'kmflow/run': [RunParams, RunResult];
    'kmflow/plan': [TargetParams, Markdown | Refusal];
    'kmflow/analyze': [TargetParams, Markdown | Refusal];
    'kmflow/metrics': [MetricsParams, Metrics];
    'kmflow/optimize': [TargetParams, Optimized | Refusal];
    'kmflow/capabilities': [ToolsParams, Capabilities];
    'kmflow/suggest': [SuggestParams, Suggested];
    'kmflow/tools': [ToolsParams, { tools: ToolInfo[] }];
    'kmflow/resumable': [ResumableParams, { candidates: ResumeCandidate[] }];
    'kmflow/catalog': [CatalogParams, { text?: string }];
    'kmflow/tests': [TestsParams, TestsResult];
    'kmflow/runTests': [RunTestsParams, TestRunResult | Refusal];
    'kmflow/debugResume': [DebugResumeParams, DebugAck];
    'kmflow/debugBreakpoints': [DebugBreakpointsParams, DebugAck];
}

/** Each notification: its params. Server to client: runEvent, runWarning, testResult; client to server: cancelRun. */
export interface KmflowNotifications {
    /** A live event, or a debug run's stop. */
    'kmflow/runEvent': RunEventParams | DebugPausedParams;
    'kmflow/testResult': TestResultParams;
    'kmflow/runWarning': RunWarningParams;
    'kmflow/cancelRun': CancelRunParams;
}

export type KmflowRequest = keyof KmflowRequests;
export type ParamsOf<M extends KmflowRequest> = KmflowRequests[M][0];
export type ResultOf<M extends KmflowRequest> = KmflowRequests[M][1];

/** Whether a result is a refusal. */
export function isRefusal(value: unknown): value is Refusal {
    return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'refused';
}
