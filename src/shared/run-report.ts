/**
 * The run report and live events: what the engine reports (`run --json`, RunEvent) and
 * what crosses to the webview, the extension and the MCP face. Only data, no behaviour:
 * the one declaration, which `src/engine/run/run-types.ts` re-exports, so the browser bundle
 * reads the very types the engine writes without importing the engine.
 */

/**
 * Final status of a run. `rolled_back`: under `errors recovery`, a step failed and
 * every compensation that ran succeeded.
 */
export type RunStatus = 'succeeded' | 'failed' | 'partial' | 'rolled_back' | 'cancelled';

/** Final status of a step. `compensated`: succeeded, then undone by `errors recovery`. */
export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'compensated';

/** How a step failed (or why it was skipped, for steps skipped because of another). */
export interface StepError {
    message: string;
    code: string;
    retryable: boolean;
    /** What the tool advises (a server's `recovery_suggestion`), when it gave advice. */
    advice?: string;
    /** The tool's own description of the error (e.g. a FastMCP server's `error` object). */
    details?: Record<string, unknown>;
}

/** One step of the report, in the workflow's step order. */
export interface StepReport {
    id: string;
    tool: string;
    status: StepStatus;
    /** Tool calls made (all items of a fan-out together); 0 when none was made. */
    attempts: number;
    cached: boolean;
    /** ISO 8601; null when the step never started. */
    startedAt: string | null;
    endedAt: string | null;
    durationMs: number;
    /** Fan-out item count (`each`), absent otherwise. */
    items?: number;
    output: unknown;
    /**
     * The parameters of its last call as evaluated (secrets masked; strings over 2,000
     * characters and lists over 100 items shortened, saying so). Absent for a fan-out
     * (each item has its own) and for a step that called nothing or took none.
     */
    params?: Record<string, unknown>;
    error?: StepError;
    /** Restored from the journal of the resumed run, not run again (attempts 0). */
    resumed?: true;
    /**
     * `errors recovery`: the step's compensation failed (the step stays `succeeded`:
     * its effect is still there). A successful compensation shows as status `compensated`.
     */
    compensationError?: StepError;
}

/** Per-tool call statistics of the run (every attempt and item counts as a call). */
export interface ToolMetrics {
    calls: number;
    errors: number;
    p50Ms: number;
    p95Ms: number;
}

/** Run-level measurements; see `report.ts` for the formulas. */
export interface RunMetrics {
    stepsPerSecond: number;
    utilization: number;
    maxConcurrency: number;
    healthScore: number;
    tools: Record<string, ToolMetrics>;
    /** `mode adaptive`: the concurrency limit's course (ms since the run started). */
    concurrencyLimit?: Array<{ at: number; limit: number }>;
}

/** Something that slowed the run down, with the measurements that show it. */
export interface Bottleneck {
    kind: 'critical-path' | 'slow-tool' | 'errors' | 'queue-wait';
    step?: string;
    tool?: string;
    message: string;
    /** Rough wall-clock cost, for ordering. */
    impactMs: number;
    evidence: Record<string, number | string>;
}

/** The run report (interfaces.md, `run --json`). */
export interface RunReport {
    runId: string;
    workflow: string;
    status: RunStatus;
    startedAt: string;
    endedAt: string;
    durationMs: number;
    /** Longest chain of dependent steps, weighed by their measured durations. */
    criticalPathMs: number;
    /** That chain's step ids, first to last (the measured critical path; absent in reports of older versions). */
    criticalPath?: string[];
    steps: StepReport[];
    metrics: RunMetrics;
    bottlenecks: Bottleneck[];
    /** The run this one resumed (`--resume`). */
    resumedFrom?: string;
}

interface EventBase {
    runId: string;
    /** Clock time, ms since the epoch. */
    at: number;
}

/** Live progress of a run. Secret values are already masked. */
export type RunEvent =
    | (EventBase & { type: 'run-started'; workflow: string; steps: number })
    /** The step's first tool call starts (first item, for a fan-out). */
    | (EventBase & { type: 'step-started'; stepId: string; tool: string; items?: number })
    /** `attempt` (1-based) failed and another follows after `delayMs`. */
    | (EventBase & { type: 'step-retrying'; stepId: string; attempt: number; delayMs: number; error: StepError; item?: number })
    /** A tool's own progress, or a fan-out's items done so far (`progress` of `total`). */
    | (EventBase & { type: 'step-progress'; stepId: string; progress: number; total?: number; message?: string; item?: number })
    | (EventBase & { type: 'step-finished'; stepId: string; status: StepStatus; durationMs: number; attempts: number; error?: StepError })
    | (EventBase & { type: 'log'; stepId?: string; level: 'info' | 'warn' | 'error'; message: string })
    | (EventBase & { type: 'run-finished'; status: RunStatus; durationMs: number; report: RunReport });
