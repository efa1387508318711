/**
 * The scheduler: runs a workflow's steps in dependency order, as parallel as its mode,
 * `max_parallel` and resource pool allow, and returns the run report. The run itself
 * lives in `run.ts`; this file sets it up and documents the semantics.
 *
 * Hot-path design (10k no-op steps in a few µs each): dependencies resolve by counters
 * (no graph walks), ready work sits in a binary heap, step state lives in
 * fixed-shape objects, and nothing optional (events, journal, cache, redaction,
 * per-call abort controllers) costs anything unless it is used.
 *
 * Modes. `sequential` and `parallel` as language.md says. `adaptive` is `parallel`
 * under an AIMD concurrency limit (`adaptive-limit.ts`), whose course the report's
 * `metrics.concurrencyLimit` shows. `pipeline` is `parallel` plus item-wise streaming
 * between fan-outs (`each x in A.output` where A is a fan-out: see `pipeline.ts` for
 * exactly which shapes stream).
 *
 * Skips. A step whose `when` is false is `skipped`, and its dependants still run when
 * their other dependencies succeeded: like a skipped step inside a GitHub Actions job
 * (or a skipped task in Argo), a `when` is a decision, not a failure, and a dependant
 * can test `STEP.ok`/`STEP.status` itself. (GitHub Actions *jobs* differ: they skip
 * the dependants of a skipped job.) A step depending on a failed, cancelled, or
 * failure-skipped step is skipped, transitively.
 *
 * Errors. `fail_fast` stops the run at the first failure; `resilient` and `adaptive`
 * go on (`adaptive` retries only transient errors, see `retry.ts`); `recovery` goes
 * on, then compensates (`compensation.ts`).
 *
 * Cache. `basic` reuses identical calls within the run, `intelligent` also across runs
 * (`cache/`); `predictive` is `intelligent` and gives cacheable read-only steps the
 * highest priority: when slots are scarce they run first, so their (often cached)
 * results are there early. Dependencies, `after` included, are always honoured: an
 * `after` on a read-only step usually means "read after that write".
 *
 * Durability. With `journalDir`, every step event is appended to the run's journal
 * before the run goes on, and `resume` restarts from one (`journal/resume.ts`).
 */
import { SharedCapacity } from './capacity.js';
import { loadResumePoint, type ResumePoint } from '../state/journal/resume.js';
import { workflowHashes, type WorkflowHashes } from '../state/journal/spec-hash.js';
import type { ResourceStrategy, WorkflowSpec } from '../model/model.js';
import { POOL_CAPACITY } from './resource-pool.js';
import { Run } from './run.js';
import { checkedGraph, resolveInputs, resolveTools, RunSetupError } from './run-setup.js';
import type { RunEvent, RunOptions, RunReport } from './run-types.js';
import { missingSecrets } from '../security/secret-values.js';

/**
 * Runs `workflow` and resolves with its report; never rejects for a step's failure.
 * Throws RunSetupError, before anything runs, on a missing input, an unknown step or
 * tool, a cycle, a tool without `via`, a `via` server without a connector, or a
 * `resume` that cannot be honoured (no journal, or a workflow changed since).
 */
export async function runWorkflow(workflow: WorkflowSpec, options: RunOptions): Promise<RunReport> {
    const settings = workflow.settings;
    return createRun(workflow, options, new SharedCapacity(Infinity, POOL_CAPACITY[settings.resources])).start();
}

function createRun(workflow: WorkflowSpec, options: RunOptions, capacity: SharedCapacity): Run {
    let hashes: WorkflowHashes | undefined;
    let resume: ResumePoint | undefined;
    if (options.journalDir !== undefined || options.resume) {
        hashes = workflowHashes(workflow);
    }
    if (options.resume) {
        if (options.journalDir === undefined) {
            throw new RunSetupError('no-journal', 'resuming needs the journal folder (RunOptions.journalDir)');
        }
        resume = loadResumePoint(options.journalDir, options.resume.runId, workflow, hashes!, options.inputs, options.resume.lenient, options.resume.rerunFrom);
    }
    const inputs = resolveInputs(workflow, resume ? resume.inputs : options.inputs);
    const unset = missingSecrets(workflow, options);
    if (unset.length > 0) {
        const { name, step } = unset[0]!;
        const more = unset.length > 1 ? ` (also unset: ${unset.slice(1).map((u) => u.name).join(', ')})` : '';
        throw new RunSetupError('missing-secret', `step '${step}' reads secret.${name}, which is not set${more}: ` +
            `set the environment variable ${name} for kmflow run, use 'KM Flow: Set Secret' in VS Code, ` +
            `or grant it to kmflow mcp with --allow-env ${name}`);
    }
    const { graph, order } = checkedGraph(workflow);
    const tools = resolveTools(workflow, options.registry, options.connectors, options.selectTool);
    return new Run(workflow, options, { inputs, graph, order, tools, capacity, hashes, resume });
}

/** One workflow of `runWorkflows`, with what differs from the shared options. */
export interface CoordinatedWorkflow {
    workflow: WorkflowSpec;
    inputs?: Readonly<Record<string, unknown>>;
    runId?: string;
    onEvent?: (event: RunEvent) => void;
}

/** Options of `runWorkflows`: those of a run, shared, plus the shared pool's strategy. */
export interface CoordinateOptions extends RunOptions {
    /**
     * Capacity of the shared resource pool; default the most conservative `resources`
     * of the workflows (so none gets more than it asked for). Workflows that say
     * `resources unlimited` declare no demands and do not draw on the pool.
     */
    resources?: ResourceStrategy;
}

/**
 * Runs several workflows at once on one shared resource pool and one total
 * concurrency limit (`options.maxParallel`; each workflow's own `max_parallel` still
 * bounds its own steps). Ready tasks are admitted round-robin across the runs. Every
 * workflow is set up (and any RunSetupError thrown) before any step starts. Resolves
 * with one report per workflow, in the order given.
 */
export async function runWorkflows(entries: ReadonlyArray<WorkflowSpec | CoordinatedWorkflow>, options: CoordinateOptions): Promise<RunReport[]> {
    const list = entries.map((e) => ('workflow' in e ? e : { workflow: e }));
    const strategies = list.map((e) => e.workflow.settings.resources).filter((r) => r !== 'unlimited');
    const capacity = options.resources !== undefined
        ? POOL_CAPACITY[options.resources]
        : strategies.length > 0 ? Math.min(...strategies.map((r) => POOL_CAPACITY[r])) : Infinity;
    const total = options.maxParallel !== undefined && options.maxParallel > 0 ? options.maxParallel : Infinity;
    const shared = new SharedCapacity(total, capacity);
    const runs = list.map((e) =>
        createRun(e.workflow, {
            ...options,
            maxParallel: undefined,
            resume: undefined,
            inputs: e.inputs ?? options.inputs,
            runId: e.runId,
            onEvent: e.onEvent ?? options.onEvent,
        }, shared),
    );
    // Everyone joins before anyone is served, so the first run cannot take every slot.
    shared.hold();
    const done = Promise.all(runs.map((r) => r.start()));
    shared.release();
    return done;
}
