/**
 * The run side of the language server's `kmflow/…` protocol (lsp-protocol.ts has the
 * method map and the rest): the inputs a run asks for, the run request and its answer,
 * the notifications of a live run, and the journaled runs a resume can pick up.
 */
import type { GraphMessage } from './messages.js';
import type { Refusal, TargetParams } from './lsp-protocol.js';
import type { RunEvent, RunReport } from './run-report.js';

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
    /** With `resume`: this step and every step after it run again even if they completed ("Rerun from here"). */
    rerunFrom?: string;
    /** A `max_parallel` over the workflow's own (0 or less: the workflow's). */
    maxParallel?: number;
    /** The `kmflow.servers` setting as written; a file's own declaration of a name wins. */
    servers?: unknown;
    /**
     * Record every MCP call to this cassette (`kmflow run --record NAME`): a name
     * (`ROOT/.kmflow/recordings/NAME.json`) or a path relative to the root.
     */
    record?: string;
    /** A debug run (`kmflow/debugResume`, docs/vscode-extension.md, *Debugging*): steps run one at a time and stop where asked. */
    debug?: DebugOptions;
}

export interface RunDone {
    kind: 'report';
    report: RunReport;
    /** Where the report is, relative to the workspace root. */
    reportFile: string;
    /** The graph again, with the run's measured critical path. */
    graph: GraphMessage;
    /** With `record`: the cassette written, relative to the workspace root. */
    recorded?: string;
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

// ---------------------------------------------------------------- debugging: kmflow/debugResume, kmflow/debugBreakpoints

/** How a debug run stops: before the steps named, before its first step with `stopOnEntry`. */
export interface DebugOptions {
    /** Step names. */
    breakpoints: string[];
    stopOnEntry: boolean;
}

/** Why a debug run stopped. */
export type PauseReason = 'entry' | 'breakpoint' | 'step';

/**
 * Sent as a `kmflow/runEvent` when a debug run stops before a step's call (its
 * dependencies done, its parameters evaluated): it waits for `kmflow/debugResume`.
 */
export interface DebugPausedParams {
    kind: 'paused';
    runId: string;
    step: string;
    /** 1-based line of the step, when known. */
    line?: number;
    reason: PauseReason;
    /** The step's parameters as evaluated, secrets masked. */
    params: Record<string, unknown>;
    /** Outputs of the steps finished so far, by step, secrets masked. */
    outputs: Record<string, unknown>;
}

/** Resumes paused debug run `runId`: to the next breakpoint, or to the next step. */
export interface DebugResumeParams {
    runId: string;
    action: 'continue' | 'step';
}

/** Replaces the breakpoints (step names) of debug run `runId`. */
export interface DebugBreakpointsParams {
    runId: string;
    breakpoints: string[];
}

/** Whether the debug run was found (and, for a resume, paused). */
export interface DebugAck {
    ok: boolean;
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
