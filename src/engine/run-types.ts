/**
 * The run API's types: what `runWorkflow` takes (RunOptions), what it reports live
 * (RunEvent) and what it returns (RunReport, the `run --json` document of
 * interfaces.md).
 */
import type { Clock } from './clock.js';
import type { StepSpec, ToolDescriptor, WorkflowSettings } from './model.js';
import type { Connector, ToolRegistry } from './registry.js';
import type { Trust } from './trust.js';

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

/** Options of `runWorkflow`. Only `registry` is required. */
export interface RunOptions {
    /** Tools by id. Built-in tools missing from it are found anyway. */
    registry: ToolRegistry;
    /** Connector per `via` server name; `builtin` defaults to the built-in connector. */
    connectors?: ReadonlyMap<string, Connector>;
    /** Input values, already typed (the CLI converts `--input k=v`). */
    inputs?: Readonly<Record<string, unknown>>;
    /**
     * What the run may do: spawn processes, run `shell`, reach the network, point
     * outside the root, read host variables (`trust.ts`). Default `DENIED`: a library
     * caller grants what it means to, the CLI grants all but what its flags hold back.
     */
    trust?: Trust;
    /**
     * What `env.NAME` reads (and `secret.NAME` after `secrets`). Default: the host
     * variables `trust.env` grants, none under `DENIED`.
     */
    env?: Readonly<Record<string, string | undefined>>;
    /**
     * Secret values by name (VS Code's SecretStorage, a vault, a server block's
     * secrets): `secret.NAME` reads them first, then the variable `NAME` of `env`.
     * Every value here is masked in every output, however the workflow reads it.
     */
    secrets?: Readonly<Record<string, string | undefined>>;
    /** Workspace root for file tools and `shell`; default `process.cwd()`. */
    root?: string;
    /** External cancellation (SIGINT, the VS Code Cancel button). */
    signal?: AbortSignal;
    /** Live progress. Called synchronously from the scheduler: keep it cheap. */
    onEvent?: (event: RunEvent) => void;
    /** Time source; default the real clock. Tests pass a FakeClock. */
    clock?: Clock;
    /** Default: `<workflow>-<time>-<random>`. */
    runId?: string;
    /** Seed of the retry jitter (default: random). */
    seed?: number;
    /** Overrides the workflow's `max_parallel` (e.g. the `kmflow.maxParallel` setting). */
    maxParallel?: number;
    /**
     * Router for `uses capability X` (routing.ts `createRouter`: measured history, and
     * live calls under `selection adaptive|ml_optimized`). Default: declared figures.
     * `runWorkflow` asks it once per `uses capability` step, when the run starts (tools
     * are bound, and checked, before anything runs).
     */
    selectTool?: (capability: string, candidates: readonly ToolDescriptor[], settings: WorkflowSettings) => ToolDescriptor | undefined;
    /**
     * Expected duration of a step, for critical-path priorities; return undefined to
     * fall back to the tool's declared `response_time` (or 100 ms). Measured history
     * plugs in here.
     */
    estimateMs?: (step: StepSpec, tool: ToolDescriptor) => number | undefined;
    /**
     * Journal the run to `DIR/RUN_ID.jsonl` (and the report to `DIR/RUN_ID.report.json`).
     * The CLI passes `ROOT/.kmflow/runs`. Undefined: no journal.
     */
    journalDir?: string;
    /**
     * Resume a journaled run (needs `journalDir`): steps it completed are restored with
     * their recorded outputs, the rest runs, under a new run id that records `resumedFrom`.
     * `'last'`: the newest usable journal of this workflow (unusable ones are passed over
     * with a warning). A journal with a damaged record is refused (`journal-damaged`)
     * unless `lenient`: then every intact record is used and the damage is warned about.
     */
    resume?: { runId: string; lenient?: boolean };
    /**
     * The largest output one call may return, in bytes (each item's, in a fan-out):
     * default 16 MB, at most 256 MB (`output-limit.ts`). More fails the step with code
     * `output-too-large`; `file.read` and `http.request` refuse before reading.
     */
    maxOutputBytes?: number;
    /** Where `cache intelligent|predictive` persists results; default `ROOT/.kmflow/cache`. */
    cacheDir?: string;
    /** Size cap of the persistent cache; default 50 MB. Least recently used entries go first. */
    cacheMaxBytes?: number;
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
