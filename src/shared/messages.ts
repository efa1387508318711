/**
 * The one message protocol between the extension host and the graph webview. Both sides
 * import these types; the host checks what arrives with `isWebviewMessage`, the webview
 * with `isHostMessage`, so a malformed message is dropped, never half-handled.
 */
import type { RunEvent, RunReport, StepStatus } from '../engine/run-types.js';

/** A step of the workflow's DAG as the webview draws it. */
export interface GraphNode {
    id: string;
    /** The tool id, or `capability X` for a routed step. */
    tool: string;
    /** Topological level (0: no dependencies). */
    level: number;
    /** 1-based source line of the step, when known. */
    line?: number;
    /** Expected duration used for the critical path (declared or default). */
    estimateMs: number;
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
    /** Step ids of the (predicted) critical path, first to last. */
    criticalPath: string[];
    criticalPathMs: number;
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

/** Everything the extension host sends to the webview. */
export type HostMessage = GraphMessage | RunEventMessage | ReportMessage;

/** The webview script loaded and listens: the host (re)sends its state. */
export interface ReadyMessage {
    type: 'ready';
}

/** A node was clicked: reveal the step's source line. */
export interface RevealStepMessage {
    type: 'reveal-step';
    stepId: string;
}

/** Everything the webview sends to the extension host. */
export type WebviewMessage = ReadyMessage | RevealStepMessage;

/** What a node shows before the run reaches it, while it runs, and after. */
export type NodeStatus = 'pending' | 'running' | 'retrying' | StepStatus;

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
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
            return typeof value.stepId === 'string' && value.stepId.length > 0;
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
                && Array.isArray(value.criticalPath);
        case 'run-event':
            return isRecord(value.event) && typeof value.event.type === 'string' && typeof value.event.runId === 'string';
        case 'report':
            return isRecord(value.report) && Array.isArray(value.report.steps);
        default:
            return false;
    }
}
