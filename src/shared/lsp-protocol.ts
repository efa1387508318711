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
import type { RunEvent, RunReport } from './run-report.js';

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

/** A declared input of a workflow. */
export interface InputInfo {
    name: string;
    type: string;
    hasDefault: boolean;
    secret?: boolean;
}

/** Where a run came from: its file (workspace-relative) and workflow, and step lines. */
export interface RunSource {
    /** Path relative to the workspace root, `/`-separated. */
    file: string;
    workflow: string;
    /** 1-based line of each step when the run started (the editor finds moved steps itself). */
    lines?: Record<string, number>;
    /** Set for "Run to here". */
    toStep?: string;
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
    /** The steps that run, in order: id, tool (or `capability X`), 1-based line. */
    steps: Array<{ id: string; tool: string; line?: number }>;
    /** Inputs to ask for: those without a default (resuming: those declared secret). */
    ask: InputInfo[];
    /** Resuming: what is asked again because secrets are never journaled. */
    secretNote?: string;
    /** The graph message of the webview (the measured critical path of `report`, if given). */
    graph: GraphMessage;
}

// ---------------------------------------------------------------- kmflow/checkInput

/** Whether `text` is a valid value of `input`: undefined `problem` when it is. */
export interface CheckInputParams {
    input: InputInfo;
    text: string;
}

// ---------------------------------------------------------------- kmflow/run, kmflow/runEvent, kmflow/cancelRun

export interface RunParams extends TargetParams {
    /** Chosen by the client, so it can follow the run's events (and cancel it) before the answer. */
    runId: string;
    /** Inputs as typed text (`NAME` → value), converted by the server to their declared types. */
    inputs?: Record<string, string>;
    /** Stored secrets by name: `secret.NAME` reads them; never logged. A client with a session key seals them instead. */
    secrets?: Record<string, string>;
    /**
     * The secrets sealed (AES-256-GCM, base64 of IV ‖ tag ‖ ciphertext of their JSON) under the
     * session key the client gave the server process in `KMFLOW_SESSION_KEY` (base64, 32
     * bytes) when it started it, so that not even a verbose LSP trace shows them. VS Code's
     * client does this; others may send `secrets` as they are.
     */
    sealedSecrets?: string;
    /** Resume this journaled run (`last`: the newest of the workflow). */
    resume?: string;
    /** A `max_parallel` over the workflow's own (0 or less: the workflow's). */
    maxParallel?: number;
    /** The `kmflow.servers` setting as written; a file's own declaration of a name wins. */
    servers?: unknown;
}

export interface RunDone {
    kind: 'report';
    report: RunReport;
    /** Where the report is, relative to the workspace root. */
    reportFile: string;
    /** The graph again, with the run's measured critical path. */
    graph: GraphMessage;
}

export type RunResult = RunDone | Refusal;

/** A live event of run `runId`, sent while the kmflow/run request goes (before its answer). */
export interface RunEventParams {
    runId: string;
    event: RunEvent;
}

/** A problem of run `runId` worth a line (a server that did not answer, history not recorded). */
export interface RunWarningParams {
    runId: string;
    message: string;
}

/** Cancels run `runId` (as cancelling its kmflow/run request does). */
export interface CancelRunParams {
    runId: string;
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

// ---------------------------------------------------------------- kmflow/resumable

export interface ResumableParams {
    /** A document or folder URI: that folder only; default every workspace folder. */
    uri?: string;
    /** This run (`last`: the newest of `workflow`), whatever its status; default every run that did not succeed. */
    runId?: string;
    workflow?: string;
}

/** A journaled run: what a resume restores and where it came from. */
export interface ResumeCandidate {
    runId: string;
    workflow: string;
    /** ISO 8601. */
    startedAt: string;
    /** The run's end status, or `interrupted` when the journal has no end (the process died). */
    status: string;
    /** Steps a resume restores from the journal (succeeded, or skipped by a false `when`). */
    done: string[];
    /** Steps that failed, or were running when the run died. */
    failed: string[];
    resumedFrom?: string;
    source?: RunSource;
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
}

/** Each notification: its params. Server to client: runEvent, runWarning; client to server: cancelRun. */
export interface KmflowNotifications {
    'kmflow/runEvent': RunEventParams;
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
