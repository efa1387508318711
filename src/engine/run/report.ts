/**
 * Builds the run report from the measured run: step results, the measured critical
 * path, metrics and bottlenecks. Everything here is measured, nothing estimated,
 * and every string passes the redactor.
 *
 * Formulas:
 * - stepsPerSecond = steps that ran (made at least one call) / run duration in seconds.
 * - utilization = busy time of all calls / (run duration × maxConcurrency): how full
 *   the peak number of slots was on average (1 = every slot busy all the time).
 * - healthScore (0..100): see `health.ts` (calls that succeeded, latency against the
 *   declared response times, and the share of steps that ended as the workflow meant).
 */
import type { WorkflowGraph } from '../graph/graph.js';
import { percentiles } from '../../shared/stats.js';
import { healthScore } from './health.js';
import { streamOverlaps } from './pipeline.js';
import { criticalPathIndices } from '../graph/critical-path.js';
import type { WorkflowSpec } from '../model/model.js';
import type { SecretSink } from '../security/secret-sink.js';
import type { StepState, ToolStats } from './run-state.js';
import type { Bottleneck, RunMetrics, RunReport, RunStatus, StepReport, StepStatus, ToolMetrics } from './run-types.js';
import { compactValue } from './compact-value.js';
import { isoTimeCache } from './iso-time.js';

/** What the scheduler hands over at the end of a run. */
export interface ReportInput {
    runId: string;
    workflow: WorkflowSpec;
    graph: WorkflowGraph;
    /** A topological order of the graph (the scheduler has one already). */
    order: number[];
    steps: readonly StepState[];
    startedAt: number;
    endedAt: number;
    /** Why the run stopped early, if it did. */
    stopped: 'failed' | 'cancelled' | 'timeout' | undefined;
    maxConcurrency: number;
    busyMs: number;
    /** The run's sink: outputs, errors and bottleneck texts pass it. */
    redactor: SecretSink;
    /** `errors recovery`: the compensations' outcome, when any ran. */
    rollback?: 'rolled_back' | 'failed';
    /** `mode adaptive`: the limit's course. */
    concurrencyLimit?: Array<{ at: number; limit: number }>;
    resumedFrom?: string;
}

const DEFAULT_EXPECTED_MS = 1000;
/** A step is a critical-path bottleneck when it takes at least this share of the run. */
const CRITICAL_SHARE = 0.2;
const MAX_BOTTLENECKS = 10;

function round(ms: number): number {
    return Math.round(ms * 1000) / 1000;
}

/** What the one pass over the steps gathers besides their reports. */
interface StepTally {
    /** Steps that made at least one call. */
    ran: number;
    /** Some step failed or was cancelled. */
    failed: boolean;
    succeeded: boolean;
    /** Steps that ended as the workflow meant: succeeded, or skipped by their own `when`. */
    completed: number;
    /** Some step streamed from another (`mode pipeline`). */
    streamed: boolean;
}

function runStatus(input: ReportInput, tally: StepTally): RunStatus {
    if (input.stopped === 'cancelled') {
        return 'cancelled';
    }
    if (input.rollback) {
        return input.rollback;
    }
    if (!tally.failed && !input.stopped) {
        return 'succeeded';
    }
    // `resilient` (and recovery with nothing to compensate, and adaptive) carry on past failures: `partial`
    // when something still succeeded. fail_fast and a workflow timeout fail the run.
    return input.stopped || input.workflow.settings.errors === 'fail_fast' || !tally.succeeded ? 'failed' : 'partial';
}

/** Whether an object has an own key (without building the key list). */
function hasKeys(o: object): boolean {
    for (const _ in o) {
        return true;
    }
    return false;
}

/**
 * Builds the report; see the module comment for the metric formulas.
 *
 * One indexed pass over the steps gathers what the status, metrics and bottlenecks
 * need, instead of a pass (and an iterator) for each: this runs over every step of
 * 10k-step runs, mostly before V8 optimizes it.
 */
export function buildReport(input: ReportInput): RunReport {
    const { redactor } = input;
    const durationMs = round(input.endedAt - input.startedAt);
    const n = input.steps.length;
    const durations = new Float64Array(n);
    const iso = isoTimeCache();
    const redact = redactor.active;
    const tally: StepTally = { ran: 0, failed: false, succeeded: false, completed: 0, streamed: false };
    // Consecutive steps mostly share their tool's stats: the Set sees each run of them once.
    const statSet = new Set<ToolStats>();
    let lastStats: ToolStats | undefined;
    const steps = new Array<StepReport>(n);
    for (let i = 0; i < n; i++) {
        const s = input.steps[i]!;
        const d = s.startedAt >= 0 && s.endedAt >= 0 ? s.endedAt - s.startedAt : 0;
        durations[i] = d;
        const status = s.status as StepStatus;
        if (s.attempts > 0) {
            tally.ran++;
        }
        if (status === 'succeeded' || (status === 'skipped' && s.skippedByWhen)) {
            tally.completed++;
            tally.succeeded ||= status === 'succeeded';
        } else if (status === 'failed' || status === 'cancelled') {
            tally.failed = true;
        }
        if (s.streamFrom !== undefined) {
            tally.streamed = true;
        }
        if (s.stats !== lastStats) {
            lastStats = s.stats;
            statSet.add(s.stats);
        }
        const step: StepReport = {
            id: s.spec.id,
            tool: s.tool.id,
            status,
            attempts: s.attempts,
            cached: s.cacheHits > 0 && s.attempts === 0,
            // A time is null when the step never started or ended (-1).
            startedAt: s.startedAt < 0 ? null : iso(s.startedAt),
            endedAt: s.endedAt < 0 ? null : iso(s.endedAt),
            durationMs: round(d),
            output: redact ? redactor.output(s) : (s.output ?? null),
        };
        if (s.items >= 0) {
            step.items = s.items;
        }
        if (s.params !== undefined && hasKeys(s.params)) {
            step.params = compactValue(redact ? redactor.value(s.params) : s.params);
        }
        if (s.error) {
            step.error = redact ? redactor.value(s.error) : s.error;
        }
        if (s.resumed) {
            step.resumed = true;
        }
        if (s.compensationError) {
            step.compensationError = redact ? redactor.value(s.compensationError) : s.compensationError;
        }
        steps[i] = step;
    }
    const stats = [...statSet];
    const metrics = runMetrics(input, stats, durationMs, tally);
    const streamed = tally.streamed ? streamOverlaps(input.steps) : undefined;
    const critical = criticalPathIndices(input.graph, durations, { order: input.order, streamed });
    const criticalSteps = critical.path.map((i) => input.graph.ids[i]!);
    if (input.concurrencyLimit) {
        metrics.concurrencyLimit = input.concurrencyLimit;
    }
    return {
        runId: input.runId,
        workflow: input.workflow.id,
        status: runStatus(input, tally),
        startedAt: new Date(input.startedAt).toISOString(),
        endedAt: new Date(input.endedAt).toISOString(),
        durationMs,
        criticalPathMs: round(critical.lengthMs),
        criticalPath: criticalSteps,
        steps,
        metrics,
        bottlenecks: bottlenecks(input, stats, durations, critical.path, durationMs, metrics.tools),
        ...(input.resumedFrom !== undefined && { resumedFrom: input.resumedFrom }),
    };
}

function runMetrics(input: ReportInput, stats: readonly ToolStats[], durationMs: number, tally: StepTally): RunMetrics {
    const tools: Record<string, ToolMetrics> = {};
    let calls = 0;
    let errors = 0;
    let latency = 0;
    for (const s of stats) {
        if (s.calls === 0) {
            continue;
        }
        const [p50 = 0, p95 = 0] = percentiles(s.durations, [0.5, 0.95]);
        tools[s.tool.id] = { calls: s.calls, errors: s.errors, p50Ms: round(p50), p95Ms: round(p95) };
        calls += s.calls;
        errors += s.errors;
        const expected = s.tool.performance.responseTimeMs ?? DEFAULT_EXPECTED_MS;
        latency += s.calls * (p95 > 0 ? Math.min(1, expected / p95) : 1);
    }
    const seconds = durationMs / 1000;
    return {
        stepsPerSecond: seconds > 0 ? round(tally.ran / seconds) : 0,
        utilization: durationMs > 0 && input.maxConcurrency > 0 ? round(Math.min(1, input.busyMs / (durationMs * input.maxConcurrency))) : 0,
        maxConcurrency: input.maxConcurrency,
        healthScore: healthScore({ calls, errors, weightedLatency: latency, completedSteps: tally.completed, steps: input.steps.length }),
        tools,
    };
}

/** 1 at each of `indices`, among `n` steps. */
function markSteps(n: number, indices: readonly number[]): Uint8Array {
    const marks = new Uint8Array(n);
    for (let k = 0; k < indices.length; k++) {
        marks[indices[k]!] = 1;
    }
    return marks;
}

function bottlenecks(
    input: ReportInput,
    stats: readonly ToolStats[],
    durations: Float64Array,
    /** Indices of the steps on the critical path. */
    criticalPath: readonly number[],
    durationMs: number,
    tools: Record<string, ToolMetrics>,
): Bottleneck[] {
    const out: Bottleneck[] = [];
    // Only a step taking CRITICAL_SHARE of the run can qualify: find those first (few),
    // then check they are on the path, instead of looking up every step of a long path.
    const threshold = CRITICAL_SHARE * durationMs;
    let onPath: Uint8Array | undefined;
    // The (up to) 3 steps that waited longest for a slot, longest first, earlier steps
    // first among equals. In sequential mode waiting is the point, not a bottleneck.
    // One indexed pass for both, keeping only those 3: when thousands of a flat run's
    // steps waited, collecting and sorting them all was a third of the report.
    const waits: Array<{ s: StepState; waited: number }> = [];
    const queued = input.workflow.settings.mode !== 'sequential';
    const all = input.steps;
    for (let i = 0; i < all.length; i++) {
        const s = all[i]!;
        const d = durations[s.index]!;
        if (queued) {
            const waited = s.startedAt - s.readyAt;
            if (s.startedAt >= 0 && s.readyAt >= 0 && waited > 10 && waited > d
                && (waits.length < 3 || waited > waits[2]!.waited)) {
                let at = waits.length;
                while (at > 0 && waits[at - 1]!.waited < waited) {
                    at--;
                }
                waits.splice(at, 0, { s, waited });
                waits.length = Math.min(waits.length, 3);
            }
        }
        if (durationMs > 0 && d >= threshold) {
            // By index: on a flat run every step may take that share, and a string Set
            // lookup each cost more than the rest of this loop.
            onPath ??= markSteps(all.length, criticalPath);
            if (onPath[s.index] !== 1) {
                continue;
            }
            const share = d / durationMs;
            const id = s.spec.id;
            out.push({
                kind: 'critical-path',
                step: id,
                tool: s.tool.id,
                message: `step '${id}' is on the critical path and takes ${Math.round(share * 100)}% of the run`,
                impactMs: round(d),
                evidence: { durationMs: round(d), runDurationMs: durationMs, share: round(share) },
            });
        }
    }
    for (const s of stats) {
        const m = tools[s.tool.id];
        if (!m) {
            continue;
        }
        const declared = s.tool.performance.responseTimeMs;
        if (declared !== undefined && m.p95Ms > 2 * declared) {
            out.push({
                kind: 'slow-tool',
                tool: s.tool.id,
                message: `tool '${s.tool.id}' answers in ${m.p95Ms} ms (p95), over twice its declared ${declared} ms`,
                impactMs: round(m.p95Ms - declared),
                evidence: { p50Ms: m.p50Ms, p95Ms: m.p95Ms, declaredMs: declared, calls: m.calls },
            });
        }
        if (m.errors > 0) {
            out.push({
                kind: 'errors',
                tool: s.tool.id,
                message: `tool '${s.tool.id}' failed ${m.errors} of ${m.calls} calls`,
                impactMs: round(m.errors * m.p50Ms),
                evidence: { errors: m.errors, calls: m.calls, errorRate: round(m.errors / m.calls) },
            });
        }
    }
    const settings = input.workflow.settings;
    for (const { s, waited } of waits) {
        out.push({
            kind: 'queue-wait',
            step: s.spec.id,
            tool: s.tool.id,
            message: `step '${s.spec.id}' was ready but waited ${Math.round(waited)} ms for a free slot (max_parallel ${settings.maxParallel ?? 'unbounded'}, resources ${settings.resources})`,
            impactMs: round(waited),
            evidence: { waitedMs: round(waited), durationMs: round(durations[s.index]!), maxConcurrency: input.maxConcurrency },
        });
    }
    return out.sort((a, b) => b.impactMs - a.impactMs).slice(0, MAX_BOTTLENECKS).map((b) => input.redactor.value(b));
}
