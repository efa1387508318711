/**
 * The one message protocol between the extension host and the graph webview. Both sides
 * import these types; the host checks what arrives with `isWebviewMessage`, the webview
 * with `isHostMessage`, so a malformed message is dropped, never half-handled.
 */
import type { RunEvent, RunReport, StepStatus } from './run-report.js';

export type { RunEvent, RunReport, StepError, StepReport, StepStatus, RunStatus } from './run-report.js';

/** A step of the workflow's DAG as the webview draws it. */
export interface GraphNode {
    id: string;
    /** The tool id, or `capability X` for a routed step. */
    tool: string;
    /** Topological level (0: no dependencies). */
    level: number;
    /** 1-based source line of the step, when known. */
    line?: number;
    /** The step's estimate (one call), which the predicted critical path weighs it by. */
    estimateMs: number;
    /** Where the estimate comes from: measured history, the tool's declared response time, or the default. */
    estimateSource: 'measured' | 'declared' | 'default';
}

/** Where a tool is implemented: its `via` server (`builtin` for the built-ins) and the tool's name there. */
export interface ToolVia {
    server: string;
    name: string;
}

/** `from` must finish before `to` starts. */
export interface GraphEdge {
    from: string;
    to: string;
}

/** The workflow's graph: sent when the panel opens and before every run. */
export interface GraphMessage {
    type: 'graph';
    workflow: string;
    title?: string;
    /** The source document's URI, so a reveal can find it. */
    uri?: string;
    nodes: GraphNode[];
    edges: GraphEdge[];
    /** Step ids of the critical path, first to last. */
    criticalPath: string[];
    criticalPathMs: number;
    /** `predicted` from the estimates (before a run), or `measured` by the run the panel shows. */
    criticalPathKind: 'predicted' | 'measured';
    /**
     * The server of each tool the steps may call (their `uses` tool, and for a routed
     * step every tool providing its capability), by tool id; a tool absent has no
     * implementation (it can be planned, not run).
     */
    tools?: Record<string, ToolVia>;
}

/** One live event of a run (secrets already masked by the engine). */
export interface RunEventMessage {
    type: 'run-event';
    event: RunEvent;
}

/** A finished run's report: statuses, the Gantt timeline and the metrics. */
export interface ReportMessage {
    type: 'report';
    report: RunReport;
}

/** Open the details pane of a step (from a runs tree row or a lens). */
export interface ShowStepMessage {
    type: 'show-step';
    stepId: string;
}

/**
 * Whether the panel is pinned to its workflow or follows the active `.kmflow` editor:
 * the host says it when the page (re)loads, the page when the user toggles the pin.
 */
export interface PinMessage {
    type: 'pin';
    pinned: boolean;
}

/** A line the page shows above the graph (`''` clears it): e.g. why it did not follow an editor. */
export interface NoticeMessage {
    type: 'notice';
    text: string;
}

/** Everything the extension host sends to the webview. */
export type HostMessage = GraphMessage | RunEventMessage | ReportMessage | ShowStepMessage | PinMessage | NoticeMessage;

/** The webview script loaded and listens: the host (re)sends its state. */
export interface ReadyMessage {
    type: 'ready';
}

/** Open in editor: reveal the step's source line. */
export interface RevealStepMessage {
    type: 'reveal-step';
    stepId: string;
}

/**
 * A run action of the details pane: `resume` picks run `runId` up where it stopped;
 * `rerun-from` runs step `stepId` and everything after it again (the host resumes the
 * run when the step did not complete, so the journal keeps what came before; else it
 * reruns the whole run).
 */
export interface StepActionMessage {
    type: 'step-action';
    action: 'rerun-from' | 'resume';
    runId: string;
    stepId?: string;
}

/** Copy text (a step's output as JSON) to the clipboard, through the host. */
export interface CopyMessage {
    type: 'copy';
    text: string;
}

/** Everything the webview sends to the extension host. */
export type WebviewMessage = ReadyMessage | RevealStepMessage | StepActionMessage | PinMessage | CopyMessage;

/** The longest text the page may ask the host to copy (16 MB, the engine's default output cap). */
export const MAX_COPY_CHARS = 16 * 1024 * 1024;

/** What a node shows before the run reaches it, while it runs, and after. */
export type NodeStatus = 'pending' | 'running' | 'retrying' | StepStatus;

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
    return typeof value === 'string' && value.length > 0 && value.length <= 512;
}

/** Whether `value` is a well-formed message from the webview. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
    if (!isRecord(value)) {
        return false;
    }
    switch (value.type) {
        case 'ready':
            return true;
        case 'reveal-step':
            return isId(value.stepId);
        case 'step-action':
            return (value.action === 'rerun-from' || value.action === 'resume') && isId(value.runId)
                && (value.stepId === undefined || isId(value.stepId));
        case 'pin':
            return typeof value.pinned === 'boolean';
        case 'copy':
            return typeof value.text === 'string' && value.text.length <= MAX_COPY_CHARS;
        default:
            return false;
    }
}

/** Whether `value` is a well-formed message from the extension host. */
export function isHostMessage(value: unknown): value is HostMessage {
    if (!isRecord(value)) {
        return false;
    }
    switch (value.type) {
        case 'graph':
            return typeof value.workflow === 'string' && Array.isArray(value.nodes) && Array.isArray(value.edges)
                && Array.isArray(value.criticalPath) && (value.criticalPathKind === 'predicted' || value.criticalPathKind === 'measured')
                && (value.tools === undefined || isRecord(value.tools));
        case 'run-event':
            return isRecord(value.event) && typeof value.event.type === 'string' && typeof value.event.runId === 'string';
        case 'report':
            return isRecord(value.report) && Array.isArray(value.report.steps);
        case 'show-step':
            return isId(value.stepId);
        case 'pin':
            return typeof value.pinned === 'boolean';
        case 'notice':
            return typeof value.text === 'string';
        default:
            return false;
    }
}
