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
import type { RunMetrics, RunReport, RunStatus, StepReport, StepStatus, ToolMetrics } from './run-types.js';
import { compactValue } from './compact-value.js';
import { isoTimeCache } from './iso-time.js';
import { bottlenecks, round } from './bottlenecks.js';

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
    /** When each step became ready (by step index; -1: never). */
    readyAt: ArrayLike<number>;
    /** The run's sink: outputs, errors and bottleneck texts pass it. */
    redactor: SecretSink;
    /** `errors recovery`: the compensations' outcome, when any ran. */
    rollback?: 'rolled_back' | 'failed';
    /** `mode adaptive`: the limit's course. */
    concurrencyLimit?: Array<{ at: number; limit: number }>;
    resumedFrom?: string;
}

const DEFAULT_EXPECTED_MS = 1000;

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
