/**
 * The metrics history's shapes: the JSONL records under `.kmflow/metrics/` and the
 * in-memory summary `loadHistory` builds from them.
 */

/** One run: when, how long, and which steps made up its measured critical path. */
export interface RunRecord {
    type: 'run';
    v: 1;
    runId: string;
    workflow: string;
    /** ISO time the run ended. */
    at: string;
    status: string;
    durationMs: number;
    criticalPathMs: number;
    /** Step ids of the measured critical path, first to last. */
    criticalPath: string[];
    maxConcurrency: number;
    utilization: number;
    healthScore: number;
}

/** One step of one run. */
export interface StepRecord {
    type: 'step';
    runId: string;
    workflow: string;
    at: string;
    step: string;
    tool: string;
    status: string;
    attempts: number;
    /** Fan-out item count, when the step had `each`. */
    items?: number;
    durationMs: number;
    /**
     * True when `durationMs` is exactly one tool call: one attempt, no fan-out, not
     * served from the cache. Only those feed per-tool latency percentiles.
     */
    call: boolean;
    cached: boolean;
    errorCode?: string;
    timeout: boolean;
    /** Ready-to-start wait, when the report named it (its `queue-wait` bottlenecks). */
    queueWaitMs?: number;
    onCriticalPath: boolean;
}

/** One tool's call counts in one run, from the report's `metrics.tools`. */
export interface ToolRecord {
    type: 'tool';
    runId: string;
    workflow: string;
    at: string;
    tool: string;
    calls: number;
    errors: number;
    p50Ms: number;
    p95Ms: number;
}

export type HistoryRecord = RunRecord | StepRecord | ToolRecord;

/** Measured figures of one tool over the retained samples. */
export interface ToolHistory {
    tool: string;
    calls: number;
    errors: number;
    /** Steps of this tool that failed with a timeout. */
    timeouts: number;
    p50Ms: number;
    p95Ms: number;
    /** (calls - errors) / calls; 1 when no call was recorded. */
    successRate: number;
    lastSeen: string;
    /** Runs the tool was called in. */
    runs: number;
    /**
     * Where the percentiles come from: `calls` = exact single-call step durations
     * (nearest rank); `runs` = the tool was only seen in fan-outs or retries, so they are
     * nearest-rank percentiles of each run's own p50/p95 for the tool.
     */
    latencySource: 'calls' | 'runs';
    samples: number;
}

/** Measured figures of one step of one workflow. */
export interface StepHistory {
    workflow: string;
    step: string;
    /** The tool of the latest run (capability steps may change tool). */
    tool: string;
    /** Runs in which the step made at least one call. */
    runs: number;
    p50Ms: number;
    p95Ms: number;
    failures: number;
    timeouts: number;
    /** Fan-out item count of the latest run, if the step fans out. */
    items?: number;
    /** Attempts beyond the first (per item) over the retained runs: each followed a failed attempt. */
    retries: number;
    /** Runs in which the step was on the measured critical path. */
    criticalRuns: number;
    /** Its time on the critical path over the runs' total duration (0..1). */
    criticalShare: number;
    /** Largest ready-to-start wait the reports named, if any. */
    maxQueueWaitMs?: number;
}

/** Measured figures of one workflow. */
export interface WorkflowHistory {
    workflow: string;
    runs: number;
    succeeded: number;
    p50Ms: number;
    p95Ms: number;
    lastSeen: string;
}

/** What `loadHistory` returns. */
export interface History {
    tools: Record<string, ToolHistory>;
    /** Keyed `workflow/step`. */
    steps: Record<string, StepHistory>;
    workflows: Record<string, WorkflowHistory>;
    /** Run records retained, oldest first. */
    runs: RunRecord[];
}
