/**
 * `monitor`: tool metrics, a health score and bottlenecks from the measured history
 * (`.kmflow/metrics`), never from declarations alone.
 *
 * Health score (0..100), over the retained samples:
 *   100 × (0.6 × successRate + 0.25 × latencyScore + 0.15 × (1 − timeoutRate))
 * - successRate = succeeded runs / finished runs (a failed, partial, rolled back or
 *   cancelled run counts against it; a run that succeeded after retries does not):
 *   1 when no run is recorded. Retries are counted apart (`retries`: attempts beyond
 *   the first), and the raw call figure too (`callSuccessRate` = Σ(calls − errors) /
 *   Σ calls, where every attempt and item is a call, as in the run report);
 * - latencyScore = call-weighted mean over tools of min(1, expected / p95), where
 *   expected is the tool's declared `response_time`, else 1000 ms (the run report's
 *   convention): 1 when tools answer within what they promise;
 * - timeoutRate = Σ steps that failed on a timeout / Σ calls.
 * No runs recorded: 100. The run report's own score (`health.ts`) weighs one run's
 * calls, latency and completed steps; this one adds timeouts because across runs they
 * are the signal.
 *
 * Bottlenecks, each with its evidence, ordered by estimated wall-clock cost per run:
 * - critical-path: a step whose time on the measured critical path is ≥ 20% of its
 *   workflow's run time, summed over the retained runs (criticalShare);
 * - queue-wait: a step the run reports showed waiting for a free slot;
 * - errors: a tool with failed calls (errorRate);
 * - timeouts: a tool whose steps failed on a timeout;
 * - slow-tool: a tool whose measured p95 is over twice its declared response time.
 */
import type { History, ToolHistory } from '../state/history/types.js';

/** One tool's line of the monitor. */
export interface MonitoredTool
    extends Pick<ToolHistory, 'tool' | 'calls' | 'errors' | 'timeouts' | 'p50Ms' | 'p95Ms' | 'successRate' | 'lastSeen'> {
    /** The response time the tool declares, the yardstick of its latency score. */
    declaredMs?: number;
}

export interface MonitorBottleneck {
    kind: 'critical-path' | 'queue-wait' | 'errors' | 'timeouts' | 'slow-tool';
    workflow?: string;
    step?: string;
    tool?: string;
    message: string;
    /** Estimated cost per run, for ordering. */
    impactMs: number;
    evidence: Record<string, number | string>;
}

export interface MonitorReport {
    /** Finished runs retained. */
    runs: number;
    /** Those runs by final status (`succeeded`, `failed`, `partial`, `cancelled`, `rolled_back`). */
    outcomes: Record<string, number>;
    /** Attempts beyond the first over the retained runs (each after a failed attempt; not failures). */
    retries: number;
    workflows: Array<{ workflow: string; runs: number; succeeded: number; p50Ms: number; p95Ms: number; lastSeen: string }>;
    tools: MonitoredTool[];
    healthScore: number;
    health: { successRate: number; callSuccessRate: number; latencyScore: number; timeoutRate: number; formula: string };
    bottlenecks: MonitorBottleneck[];
}

export interface MonitorOptions {
    /** A tool's declared response time (from the registry), if it has one. */
    declaredMs?: (tool: string) => number | undefined;
}

const DEFAULT_EXPECTED_MS = 1000;
const CRITICAL_SHARE = 0.2;
const FORMULA = '100 × (0.6 × successRate + 0.25 × latencyScore + 0.15 × (1 − timeoutRate)), successRate = succeeded runs / finished runs';

function round(x: number, digits = 3): number {
    const f = 10 ** digits;
    return Math.round(x * f) / f;
}

/** The monitor's view of a loaded history; see the module comment for the formulas. */
export function monitorReport(history: History, options: MonitorOptions = {}): MonitorReport {
    const tools = Object.values(history.tools).sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool));
    let calls = 0;
    let errors = 0;
    let timeouts = 0;
    let latency = 0;
    for (const t of tools) {
        calls += t.calls;
        errors += t.errors;
        timeouts += t.timeouts;
        const expected = options.declaredMs?.(t.tool) ?? DEFAULT_EXPECTED_MS;
        latency += t.calls * (t.p95Ms > 0 ? Math.min(1, expected / t.p95Ms) : 1);
    }
    const outcomes: Record<string, number> = {};
    for (const r of history.runs) {
        outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
    }
    const successRate = history.runs.length > 0 ? (outcomes.succeeded ?? 0) / history.runs.length : 1;
    const callSuccessRate = calls > 0 ? (calls - errors) / calls : 1;
    const latencyScore = calls > 0 ? latency / calls : 1;
    const timeoutRate = calls > 0 ? Math.min(1, timeouts / calls) : 0;
    return {
        runs: history.runs.length,
        outcomes,
        retries: Object.values(history.steps).reduce((n, st) => n + st.retries, 0),
        workflows: Object.values(history.workflows).map((w) => ({ ...w })),
        tools: tools.map((t) => monitored(t, options.declaredMs?.(t.tool))),
        healthScore: round(100 * (0.6 * successRate + 0.25 * latencyScore + 0.15 * (1 - timeoutRate)), 1),
        health: {
            successRate: round(successRate), callSuccessRate: round(callSuccessRate), latencyScore: round(latencyScore),
            timeoutRate: round(timeoutRate), formula: FORMULA,
        },
        bottlenecks: bottlenecks(history, options),
    };
}

function monitored(t: ToolHistory, declaredMs: number | undefined): MonitoredTool {
    const out: MonitoredTool = {
        tool: t.tool, calls: t.calls, errors: t.errors, timeouts: t.timeouts,
        p50Ms: t.p50Ms, p95Ms: t.p95Ms, successRate: t.successRate, lastSeen: t.lastSeen,
    };
    if (declaredMs !== undefined) {
        out.declaredMs = declaredMs;
    }
    return out;
}

function bottlenecks(history: History, options: MonitorOptions): MonitorBottleneck[] {
    const out: MonitorBottleneck[] = [];
    for (const s of Object.values(history.steps)) {
        const wf = history.workflows[s.workflow];
        if (s.criticalShare >= CRITICAL_SHARE && wf) {
            out.push({
                kind: 'critical-path', workflow: s.workflow, step: s.step, tool: s.tool,
                message: `step '${s.step}' of '${s.workflow}' is on the critical path in ${s.criticalRuns} of ${wf.runs} runs and takes ${Math.round(s.criticalShare * 100)}% of the run time`,
                impactMs: round(s.criticalShare * wf.p50Ms),
                evidence: { criticalShare: s.criticalShare, criticalRuns: s.criticalRuns, runs: wf.runs, p50Ms: s.p50Ms, p95Ms: s.p95Ms, workflowP50Ms: wf.p50Ms },
            });
        }
        if (s.maxQueueWaitMs !== undefined) {
            out.push({
                kind: 'queue-wait', workflow: s.workflow, step: s.step, tool: s.tool,
                message: `step '${s.step}' of '${s.workflow}' waited up to ${Math.round(s.maxQueueWaitMs)} ms for a free slot (max_parallel or resources)`,
                impactMs: s.maxQueueWaitMs,
                evidence: { maxQueueWaitMs: s.maxQueueWaitMs, p50Ms: s.p50Ms, runs: s.runs },
            });
        }
    }
    for (const t of Object.values(history.tools)) {
        const perRun = t.runs > 0 ? 1 / t.runs : 0;
        if (t.errors > 0) {
            out.push({
                kind: 'errors', tool: t.tool,
                message: `tool '${t.tool}' failed ${t.errors} of ${t.calls} calls (${Math.round((1 - t.successRate) * 100)}%)`,
                impactMs: round(t.errors * t.p50Ms * perRun),
                evidence: { errors: t.errors, calls: t.calls, errorRate: round(1 - t.successRate), runs: t.runs },
            });
        }
        if (t.timeouts > 0) {
            out.push({
                kind: 'timeouts', tool: t.tool,
                message: `tool '${t.tool}' timed out in ${t.timeouts} step(s) over ${t.runs} run(s)`,
                impactMs: round(t.timeouts * t.p95Ms * perRun),
                evidence: { timeouts: t.timeouts, calls: t.calls, p95Ms: t.p95Ms, runs: t.runs },
            });
        }
        const declared = options.declaredMs?.(t.tool);
        if (declared !== undefined && t.p95Ms > 2 * declared) {
            out.push({
                kind: 'slow-tool', tool: t.tool,
                message: `tool '${t.tool}' answers in ${t.p95Ms} ms (p95), over twice its declared ${declared} ms`,
                impactMs: round(t.p95Ms - declared),
                evidence: { p50Ms: t.p50Ms, p95Ms: t.p95Ms, declaredMs: declared, calls: t.calls },
            });
        }
    }
    return out.sort((a, b) => b.impactMs - a.impactMs);
}
