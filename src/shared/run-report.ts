/**
 * The run report and live events as they cross to the webview: the wire shape of the
 * engine's `run-types.ts` (RunReport, RunEvent, StepError), re-declared here so the
 * browser bundle never imports the engine. Only data, no behaviour. The engine's types
 * must stay assignable to these: the host posts them as they are, so `tsc` checks it
 * wherever a report or an event is posted (and test/webview/protocol.test.ts once more).
 */

/** Final status of a run. */
export type RunStatus = 'succeeded' | 'failed' | 'partial' | 'rolled_back' | 'cancelled';

/** Final status of a step. */
export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'compensated';

/** How a step failed (or why it was skipped). */
export interface StepError {
    message: string;
    code: string;
    retryable: boolean;
    /** What the tool advises (a server's `recovery_suggestion`), when it gave advice. */
    advice?: string;
    /** The tool's own description of the error. */
    details?: Record<string, unknown>;
}

/** One step of the report. */
export interface StepReport {
    id: string;
    tool: string;
    status: StepStatus;
    /** Tool calls made; 0 when none was made. */
    attempts: number;
    cached: boolean;
    /** ISO 8601; null when the step never started. */
    startedAt: string | null;
    endedAt: string | null;
    durationMs: number;
    items?: number;
    /** Already masked: a secret's value never reaches the webview. */
    output: unknown;
    error?: StepError;
    resumed?: true;
    compensationError?: StepError;
}

/** Per-tool call statistics. */
export interface ToolMetrics {
    calls: number;
    errors: number;
    p50Ms: number;
    p95Ms: number;
}

/** Run-level measurements. */
export interface RunMetrics {
    stepsPerSecond: number;
    utilization: number;
    maxConcurrency: number;
    healthScore: number;
    tools: Record<string, ToolMetrics>;
    concurrencyLimit?: Array<{ at: number; limit: number }>;
}

/** Something that slowed the run down. */
export interface Bottleneck {
    kind: 'critical-path' | 'slow-tool' | 'errors' | 'queue-wait';
    step?: string;
    tool?: string;
    message: string;
    impactMs: number;
    evidence: Record<string, number | string>;
}

/** The run report. */
export interface RunReport {
    runId: string;
    workflow: string;
    status: RunStatus;
    startedAt: string;
    endedAt: string;
    durationMs: number;
    criticalPathMs: number;
    steps: StepReport[];
    metrics: RunMetrics;
    bottlenecks: Bottleneck[];
    resumedFrom?: string;
}

interface EventBase {
    runId: string;
    /** Clock time of the extension host, ms since the epoch. */
    at: number;
}

/** Live progress of a run. Secret values are already masked. */
export type RunEvent =
    | (EventBase & { type: 'run-started'; workflow: string; steps: number })
    | (EventBase & { type: 'step-started'; stepId: string; tool: string; items?: number })
    /** `attempt` (1-based) failed and another follows after `delayMs`. */
    | (EventBase & { type: 'step-retrying'; stepId: string; attempt: number; delayMs: number; error: StepError; item?: number })
    | (EventBase & { type: 'step-progress'; stepId: string; progress: number; total?: number; message?: string; item?: number })
    | (EventBase & { type: 'step-finished'; stepId: string; status: StepStatus; durationMs: number; attempts: number; error?: StepError })
    | (EventBase & { type: 'log'; stepId?: string; level: 'info' | 'warn' | 'error'; message: string })
    | (EventBase & { type: 'run-finished'; status: RunStatus; durationMs: number; report: RunReport });
