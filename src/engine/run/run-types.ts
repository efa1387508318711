/**
 * The run API's types: what `runWorkflow` takes (RunOptions), what it reports live
 * (RunEvent) and what it returns (RunReport, the `run --json` document of
 * interfaces.md).
 */
import type { Clock } from './clock.js';
import type { StepSpec, ToolDescriptor, WorkflowSettings } from '../model/model.js';
import type { Connector, ToolRegistry } from '../tools/registry.js';
import type { Trust } from '../security/trust.js';
import type { RunEvent } from '../../shared/run-report.js';
import type { StepGate } from './step-gate.js';

export type { GateDecision, GateStep, StepGate } from './step-gate.js';

export type {
    Bottleneck, RunEvent, RunMetrics, RunReport, RunStatus, StepError, StepReport, StepStatus, ToolMetrics,
} from '../../shared/run-report.js';

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
     * Told of every call of a step's tool as it ends: the tool, how long the call took
     * (from its task's start on the run's clock), whether it succeeded (a call past
     * `timeout`, or whose output is over the limit, did not). What routing measures
     * (`RoutingStats.record`), from the run's own figures: no wrapper around each call.
     * Calls a stop ended are not told.
     */
    onCall?: (tool: ToolDescriptor, ms: number, ok: boolean) => void;
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
     * `rerunFrom`: this step and every step that depends on it run again even if they
     * completed ("Rerun from here"); the steps before it keep their journaled outputs.
     */
    resume?: { runId: string; lenient?: boolean; rerunFrom?: string };
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
    /**
     * Debug: awaited before each step's call (its dependencies done, its parameters
     * evaluated, masked), `'cancel'` stops the run; steps then run one at a time in file
     * order (`step-gate.ts`).
     */
    gate?: StepGate;
}
