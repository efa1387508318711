/**
 * The webview's state as a pure reducer over host messages: the graph, each node's
 * live status, the timeline bars and the final report. No DOM here, so it is unit
 * tested in Node and the views only draw what it says.
 */
import type { GraphMessage, HostMessage, NodeStatus, RunReport, StepError, StepReport, StepStatus, ToolVia } from '../shared/messages.js';

/** One bar of the Gantt timeline, in ms since the run started. */
export interface TimelineBar {
    stepId: string;
    startMs: number;
    /** Undefined while the step runs. */
    endMs?: number;
    status: NodeStatus;
    attempts: number;
}

/** A failed attempt the run retried (live events only: a report keeps the last error). */
export interface FailedAttempt {
    /** 1-based. */
    attempt: number;
    /** The fan-out item, if any. */
    item?: number;
    error: StepError;
    /** Host clock, ms since the epoch. */
    at: number;
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
    /** Retried attempts' errors per step, in order. */
    retries: Record<string, FailedAttempt[]>;
    /** The final error per step, as soon as the step finished (the report has it too). */
    errors: Record<string, StepError>;
    report?: RunReport;
}

/** The critical path on screen: the finished run's measured one, else the graph's (predicted before a run). */
export interface ShownCriticalPath {
    steps: string[];
    ms: number;
    kind: 'predicted' | 'measured';
}

/** One path for the header, the graph and the timeline, so they never show two. */
export function shownCriticalPath(state: ViewState): ShownCriticalPath | undefined {
    const report = state.report;
    if (!state.running && report?.criticalPath && report.criticalPath.length > 0) {
        return { steps: report.criticalPath, ms: report.criticalPathMs, kind: 'measured' };
    }
    return state.graph && { steps: state.graph.criticalPath, ms: state.graph.criticalPathMs, kind: state.graph.criticalPathKind };
}

/** A state with nothing to show yet. */
export function initialState(): ViewState {
    return { running: false, statuses: {}, bars: {}, retries: {}, errors: {} };
}

function pending(graph: GraphMessage | undefined): Record<string, NodeStatus> {
    return Object.fromEntries((graph?.nodes ?? []).map((n) => [n.id, 'pending' as NodeStatus]));
}

function sameNodes(a: GraphMessage | undefined, b: GraphMessage): boolean {
    return !!a && a.workflow === b.workflow && a.uri === b.uri && a.nodes.length === b.nodes.length && a.nodes.every((n, i) => n.id === b.nodes[i]!.id);
}

/** The state after a report: statuses and bars from measured times. */
export function fromReport(state: ViewState, report: RunReport): ViewState {
    const start = Date.parse(report.startedAt);
    const statuses: Record<string, NodeStatus> = { ...pending(state.graph) };
    const bars: Record<string, TimelineBar> = {};
    const errors: Record<string, StepError> = {};
    for (const step of report.steps) {
        statuses[step.id] = step.status;
        if (step.error) {
            errors[step.id] = step.error;
        }
        if (step.startedAt !== null) {
            const s = Date.parse(step.startedAt) - start;
            const e = step.endedAt !== null ? Date.parse(step.endedAt) - start : s + step.durationMs;
            bars[step.id] = { stepId: step.id, startMs: Math.max(0, s), endMs: Math.max(s, e), status: step.status, attempts: step.attempts };
        }
    }
    // The retries seen live belong to this run only.
    const retries = state.runId === report.runId ? state.retries : {};
    return { ...state, runId: report.runId, runStart: start, running: false, statuses, bars, errors, retries, report, lastEventAt: Date.parse(report.endedAt) };
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
            return { ...initialState(), graph: message, statuses: pending(message) };
        case 'report':
            if (state.graph && state.graph.workflow !== message.report.workflow) {
                return state; // another workflow's run
            }
            return fromReport(state, message.report);
        case 'run-event':
            return applyEvent(state, message.event);
        default:
            return state;
    }
}

function applyEvent(state: ViewState, event: Extract<HostMessage, { type: 'run-event' }>['event']): ViewState {
    if (event.type === 'run-started') {
        return {
            ...state, runId: event.runId, runStart: event.at, lastEventAt: event.at, running: true, statuses: pending(state.graph),
            bars: {}, retries: {}, errors: {}, report: undefined,
        };
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
        case 'step-retrying': {
            setStep(event.stepId, 'retrying', { attempts: event.attempt + 1 });
            const failed: FailedAttempt = { attempt: event.attempt, error: event.error, at: event.at, ...(event.item !== undefined ? { item: event.item } : {}) };
            next.retries = { ...next.retries, [event.stepId]: [...(next.retries[event.stepId] ?? []), failed] };
            break;
        }
        case 'step-finished': {
            const status: StepStatus = event.status;
            const end = event.at - start;
            const began = next.bars[event.stepId]?.startMs ?? end - event.durationMs;
            if (event.error) {
                next.errors = { ...next.errors, [event.stepId]: event.error };
            }
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

/**
 * The timeline's length: the run's duration, or "now" while it runs. `nowMs`: the live
 * "now" in ms since the run started (default: the latest event's time).
 */
export function timelineSpan(state: ViewState, nowMs?: number): number {
    if (state.report) {
        return Math.max(1, state.report.durationMs);
    }
    const now = Math.max(nowMs ?? 0, (state.lastEventAt ?? 0) - (state.runStart ?? 0));
    const ends = Object.values(state.bars).map((b) => b.endMs ?? now);
    return Math.max(1, state.running ? now : 0, ...ends);
}

/** Everything known of one step: what its node and its details pane show. */
export interface StepInfo {
    id: string;
    status: NodeStatus;
    tool?: string;
    /** The tool's server (`builtin` for a built-in) and its name there; undefined when unknown. */
    via?: ToolVia;
    /** 1-based source line. */
    line?: number;
    estimateMs?: number;
    /** Where the estimate comes from: measured history, the tool's declaration, or the default. */
    estimateSource?: 'measured' | 'declared' | 'default';
    /** Tool calls so far (the report's count once finished). */
    attempts: number;
    retries: FailedAttempt[];
    /** The final error (or why it was skipped). */
    error?: StepError;
    /** ms since the run started. */
    startMs?: number;
    endMs?: number;
    durationMs?: number;
    cached?: boolean;
    /** The report's entry, once the run finished. */
    report?: StepReport;
}

/** What `state` knows of step `id`; undefined for a step of no graph and no report. */
export function stepInfo(state: ViewState, id: string): StepInfo | undefined {
    const node = state.graph?.nodes.find((n) => n.id === id);
    const report = state.report?.steps.find((s) => s.id === id);
    if (!node && !report) {
        return undefined;
    }
    const bar = state.bars[id];
    const retries = state.retries[id] ?? [];
    const tool = report?.tool ?? node?.tool;
    const via = tool !== undefined ? state.graph?.tools?.[tool] : undefined;
    return {
        id,
        status: state.statuses[id] ?? report?.status ?? 'pending',
        tool,
        via: via && typeof via.server === 'string' && typeof via.name === 'string' ? via : undefined,
        line: node?.line,
        estimateMs: node?.estimateMs,
        estimateSource: node?.estimateSource,
        attempts: report?.attempts ?? bar?.attempts ?? retries.length,
        retries,
        error: report?.error ?? state.errors[id],
        startMs: bar?.startMs,
        endMs: bar?.endMs,
        durationMs: report?.durationMs ?? (bar?.endMs !== undefined ? bar.endMs - bar.startMs : undefined),
        cached: report?.cached,
        report,
    };
}
