/**
 * The webview's state as a pure reducer over host messages: the graph, each node's
 * live status, the timeline bars and the final report. No DOM here, so it is unit
 * tested in Node and the views only draw what it says.
 */
import type { RunReport, StepStatus } from '../engine/run-types.js';
import type { GraphMessage, HostMessage, NodeStatus } from '../shared/messages.js';

/** One bar of the Gantt timeline, in ms since the run started. */
export interface TimelineBar {
    stepId: string;
    startMs: number;
    /** Undefined while the step runs. */
    endMs?: number;
    status: NodeStatus;
    attempts: number;
}

export interface ViewState {
    graph?: GraphMessage;
    runId?: string;
    /** Epoch ms of the run's start. */
    runStart?: number;
    /** Epoch ms of the latest event: the "now" of a live timeline. */
    lastEventAt?: number;
    running: boolean;
    statuses: Record<string, NodeStatus>;
    bars: Record<string, TimelineBar>;
    report?: RunReport;
}

/** A state with nothing to show yet. */
export function initialState(): ViewState {
    return { running: false, statuses: {}, bars: {} };
}

function pending(graph: GraphMessage | undefined): Record<string, NodeStatus> {
    return Object.fromEntries((graph?.nodes ?? []).map((n) => [n.id, 'pending' as NodeStatus]));
}

function sameNodes(a: GraphMessage | undefined, b: GraphMessage): boolean {
    return !!a && a.workflow === b.workflow && a.nodes.length === b.nodes.length && a.nodes.every((n, i) => n.id === b.nodes[i]!.id);
}

/** The state after a report: statuses and bars from measured times. */
export function fromReport(state: ViewState, report: RunReport): ViewState {
    const start = Date.parse(report.startedAt);
    const statuses: Record<string, NodeStatus> = { ...pending(state.graph) };
    const bars: Record<string, TimelineBar> = {};
    for (const step of report.steps) {
        statuses[step.id] = step.status;
        if (step.startedAt !== null) {
            const s = Date.parse(step.startedAt) - start;
            const e = step.endedAt !== null ? Date.parse(step.endedAt) - start : s + step.durationMs;
            bars[step.id] = { stepId: step.id, startMs: Math.max(0, s), endMs: Math.max(s, e), status: step.status, attempts: step.attempts };
        }
    }
    return { ...state, runId: report.runId, runStart: start, running: false, statuses, bars, report, lastEventAt: Date.parse(report.endedAt) };
}

/** Applies one host message. Never mutates `state`. */
export function applyMessage(state: ViewState, message: HostMessage): ViewState {
    switch (message.type) {
        case 'graph':
            if (sameNodes(state.graph, message)) {
                return { ...state, graph: message };
            }
            if (!state.graph && state.report?.workflow === message.workflow) {
                // The report came first (a replay): keep it, coloured on the new graph.
                return fromReport({ ...state, graph: message }, state.report);
            }
            return { ...state, graph: message, statuses: pending(message), bars: {}, report: undefined, runId: undefined, running: false };
        case 'report':
            return fromReport(state, message.report);
        case 'run-event':
            return applyEvent(state, message.event);
    }
}

function applyEvent(state: ViewState, event: Extract<HostMessage, { type: 'run-event' }>['event']): ViewState {
    if (event.type === 'run-started') {
        return { ...state, runId: event.runId, runStart: event.at, lastEventAt: event.at, running: true, statuses: pending(state.graph), bars: {}, report: undefined };
    }
    if (event.runId !== state.runId) {
        return state;
    }
    const start = state.runStart ?? event.at;
    const next: ViewState = { ...state, lastEventAt: event.at };
    const setStep = (id: string, status: NodeStatus, bar?: Partial<TimelineBar>): void => {
        next.statuses = { ...next.statuses, [id]: status };
        const old = next.bars[id];
        const merged: TimelineBar = {
            stepId: id, startMs: old?.startMs ?? event.at - start, endMs: old?.endMs, attempts: old?.attempts ?? 1, status, ...bar,
        };
        next.bars = { ...next.bars, [id]: merged };
    };
    switch (event.type) {
        case 'step-started':
            setStep(event.stepId, 'running', { startMs: event.at - start, endMs: undefined });
            break;
        case 'step-retrying':
            setStep(event.stepId, 'retrying', { attempts: event.attempt + 1 });
            break;
        case 'step-finished': {
            const status: StepStatus = event.status;
            const end = event.at - start;
            const began = next.bars[event.stepId]?.startMs ?? end - event.durationMs;
            if (event.attempts === 0 && !next.bars[event.stepId]) {
                // Never started (skipped or cancelled before its turn): no bar.
                next.statuses = { ...next.statuses, [event.stepId]: status };
            } else {
                setStep(event.stepId, status, { startMs: began, endMs: end, attempts: Math.max(1, event.attempts) });
            }
            break;
        }
        case 'run-finished':
            return fromReport(next, event.report);
        default:
            break;
    }
    return next;
}

/** The timeline's length: the run's duration, or "now" while it runs. */
export function timelineSpan(state: ViewState): number {
    if (state.report) {
        return Math.max(1, state.report.durationMs);
    }
    const ends = Object.values(state.bars).map((b) => b.endMs ?? (state.lastEventAt ?? 0) - (state.runStart ?? 0));
    return Math.max(1, ...ends);
}
