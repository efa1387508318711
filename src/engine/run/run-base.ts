/**
 * The state of one run and what it sets up before its first step: clocks, ids,
 * redaction, the ready queue and its limits, step states, streams, cache, journal
 * restore, and the event/journal reporting every part shares. `run.ts` extends it
 * with the scheduling itself (activation, admission, completion, stops).
 */
import { setMaxListeners } from 'node:events';
import { AdaptiveLimit } from './adaptive-limit.js';
import type { RunCache } from '../state/cache/run-cache.js';
import type { SharedCapacity } from './capacity.js';
import type { TimerHandle } from './clock.js';
import { realClock } from './clock.js';
import type { CompensationHost } from './compensation.js';
import type { EvalScope } from '../model/expressions.js';
import type { WorkflowGraph } from '../graph/graph.js';
import { JournalWriter } from '../state/journal/journal-writer.js';
import { JOURNAL_VERSION } from '../state/journal/records.js';
import type { ResumePoint } from '../state/journal/resume.js';
import type { WorkflowHashes } from '../state/journal/spec-hash.js';
import type { ErrorPolicy, WorkflowSpec } from '../model/model.js';
import { doubleFields } from './double-fields.js';
import { DEFAULT_MAX_OUTPUT_BYTES } from './output-limit.js';
import { NO_DEMAND } from './resource-pool.js';
import { ReadyQueue } from './ready-queue.js';
import { seededRandom } from './retry.js';
import type { FanOutHost } from './run-fanout.js';
import { defaultRunId, type BoundTools } from './run-setup.js';
import { StepLookup, type StepState, type Task } from './run-state.js';
import type { RunEvent, RunOptions, StepError, StepStatus } from './run-types.js';
import type { StepGate } from './step-gate.js';
import { linkStreams, runCache, stepRebinder, stepStates } from './run-wiring.js';
import { SecretSink } from '../security/secret-sink.js';
import { scopeValues, secretInputNames, secretValuesOf } from '../security/secret-values.js';
import { markSecretSteps } from '../security/taint.js';
import type { ToolError } from '../tools/tool-error.js';
import { DENIED, type Trust } from '../security/trust.js';

export type StopReason = 'failed' | 'cancelled' | 'timeout';

/** Everything checked and resolved before a run starts (see `scheduler.ts`). */
export interface RunPlan {
    inputs: Record<string, unknown>;
    graph: WorkflowGraph;
    /** A topological order of `graph`. */
    order: number[];
    tools: BoundTools;
    capacity: SharedCapacity;
    hashes?: WorkflowHashes;
    resume?: ResumePoint;
}

export abstract class RunBase implements CompensationHost, FanOutHost {
    readonly clock;
    readonly runId: string;
    readonly root: string;
    readonly trust: Trust;
    readonly policy: ErrorPolicy;
    readonly random: () => number;
    /** The run's one redacting sink (`secret-sink.ts`): every event, report line, journal record and cache write passes it. */
    readonly redactor: SecretSink;
    readonly emitter: ((event: RunEvent) => void) | undefined;
    readonly scope: EvalScope;
    readonly runSignal: AbortSignal;
    readonly maxOutputBytes: number;
    readonly cache: RunCache | undefined;
    readonly callEnded: ((task: Task, ok: boolean, ms: number) => void) | undefined = undefined;
    stopping: StopReason | undefined = undefined;
    stopError: ToolError | undefined = undefined;

    protected readonly steps: StepState[];
    /** Chooses a capability step's tool again as it becomes ready (`selection adaptive`). */
    protected readonly rebind: ((step: StepState) => void) | undefined;
    protected readonly order: number[];
    protected readonly ready: ReadyQueue;
    protected readonly capacity: SharedCapacity;
    /** Steps whose dependencies are all done, to activate (FanOutHost). */
    readonly activations: StepState[] = [];
    protected activationHead = 0;
    /** Running tasks; each knows its slot (`task.slot`), so removal is a swap, no hashing. */
    protected readonly running: Task[] = [];
    /**
     * Dependencies not finished yet, per step. A typed array, not a field of each
     * StepState: releasing dependants walks it in graph order, and 10k scattered objects
     * cost cache misses that a flat array does not.
     */
    readonly remaining: Int32Array;
    /**
     * When each step became ready (-1: not yet): to the end of the dependency that
     * released it, or the run's start. With `priority`, a typed array rather than a field
     * of each StepState, whose double fields are each a number boxed on its own.
     */
    readonly readyAt: Float64Array;
    /** Ready-queue key of each step's tasks (see `taskBefore`); computed only when order can matter. */
    protected readonly priority: Float64Array;
    /** The graph's dependants as rows (`graph-store.ts`): step i's are `dependantList[dependantStart[i] .. dependantStart[i + 1])`. */
    protected readonly dependantStart: Int32Array;
    protected readonly dependantList: Int32Array;
    protected readonly sequential: boolean;
    /** A debug run's step gate (`step-gate.ts`). */
    readonly gate: StepGate | undefined;
    protected readonly streaming: boolean;
    /** Every ready task starts at once: priorities cannot matter and are not computed. */
    protected readonly unconstrained: boolean;
    protected readonly runController = new AbortController();
    protected adaptive: AdaptiveLimit | undefined = undefined;
    protected journal: JournalWriter | undefined = undefined;
    /** Steps in completion order, kept only under `errors recovery`. */
    protected readonly completed: StepState[] | undefined;
    protected tasksCreated = 0;
    protected maxConcurrency = 0;
    protected busyMs = 0;
    protected finished = 0;
    protected startedAt = 0;
    protected workflowTimer: TimerHandle | undefined = undefined;
    protected resolveDone: (() => void) | undefined = undefined;

    constructor(
        protected readonly workflow: WorkflowSpec,
        protected readonly options: RunOptions,
        protected readonly plan: RunPlan,
    ) {
        const settings = workflow.settings;
        const graph = plan.graph;
        this.clock = options.clock ?? realClock;
        this.root = options.root ?? process.cwd();
        this.trust = options.trust ?? DENIED;
        this.policy = settings.errors;
        this.random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
        const { env, secrets } = scopeValues(workflow, { ...options, trust: this.trust });
        const secretInputs = secretInputNames(workflow.inputs);
        this.redactor = new SecretSink(secretValuesOf(secrets, plan.inputs, secretInputs), secretInputs);
        this.emitter = options.onEvent;
        this.runId = options.runId ?? defaultRunId(workflow.id, this.clock.now(), this.random);
        this.runSignal = this.runController.signal;
        this.maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
        // Every running call without its own timeout listens on this one signal.
        setMaxListeners(0, this.runSignal);
        // A debug run (`step-gate.ts`) takes one step at a time, in file order.
        this.gate = options.gate;
        this.sequential = settings.mode === 'sequential' || this.gate !== undefined;
        this.streaming = settings.mode === 'pipeline';
        const maxParallel = options.maxParallel ?? settings.maxParallel;
        const limit = this.gate !== undefined ? 1 : maxParallel !== undefined && maxParallel > 0 ? maxParallel : Infinity;
        this.capacity = plan.capacity;
        doubleFields();
        this.steps = stepStates(workflow, plan.tools);
        if (this.redactor.active) {
            markSecretSteps(this.steps, secretInputs);
        }
        this.rebind = stepRebinder(this.steps, plan.tools, settings);
        // The pool holds back only tasks with a demand: when no step has one (and none
        // can get one by a tool chosen again), it never holds back any.
        const poolIdle = plan.capacity.pool.capacity === Infinity || settings.resources === 'unlimited'
            || (this.rebind === undefined && this.steps.every((s) => s.demand === NO_DEMAND));
        const unconstrained = !this.sequential && settings.mode !== 'adaptive' && limit === Infinity && plan.capacity.limit === Infinity && poolIdle;
        this.ready = new ReadyQueue(limit, this.sequential, plan.capacity, unconstrained);
        this.unconstrained = unconstrained;
        const onCall = options.onCall;
        if (settings.mode === 'adaptive' && this.gate === undefined) {
            const adaptive = (this.adaptive = new AdaptiveLimit(limit, this.clock.now()));
            this.ready.limit = adaptive.limit;
            this.callEnded = (task, ok, ms) => {
                this.ready.limit = adaptive.observe(task.step.stats, ok, ms, this.clock.now(), this.tasksCreated);
                onCall?.(task.step.tool, ms, ok);
            };
        } else if (onCall !== undefined) {
            this.callEnded = (task, ok, ms) => onCall(task.step.tool, ms, ok);
        }
        if (this.streaming) {
            linkStreams(this.steps, workflow, graph);
        }
        this.cache = runCache(this.steps, settings, options, this.root, this.redactor);
        this.remaining = new Int32Array(this.steps.length);
        this.readyAt = new Float64Array(this.steps.length).fill(-1);
        this.priority = new Float64Array(this.steps.length);
        const depStart = graph.depRows.start;
        for (let i = 0; i < this.steps.length; i++) {
            this.remaining[i] = depStart[i + 1]! - depStart[i]!;
        }
        this.dependantStart = graph.dependantRows.start;
        this.dependantList = graph.dependantRows.list;
        this.completed = this.policy === 'recovery' ? [] : undefined;
        this.order = plan.order;
        this.scope = { steps: new StepLookup(graph, this.steps), inputs: plan.inputs, env, secrets };
    }

    /** With `journalDir`: opens the run's journal and writes its header. */
    protected openJournal(): void {
        if (this.options.journalDir === undefined) {
            return;
        }
        this.journal = new JournalWriter(this.options.journalDir, this.runId, this.redactor, () => this.running.map((t) => t.step));
        this.journal.header({
            version: JOURNAL_VERSION,
            runId: this.runId,
            workflow: this.workflow.id,
            specHash: this.plan.hashes!.spec,
            stepHashes: this.plan.hashes!.steps,
            inputs: this.plan.inputs,
            settings: this.workflow.settings,
            startedAt: new Date(this.startedAt).toISOString(),
            ...(this.plan.resume && { resumedFrom: this.plan.resume.runId }),
        });
    }

    /** Marks the steps a resumed run completed as done, with their recorded outputs. */
    protected restore(resume: ResumePoint): void {
        for (const message of resume.warnings) {
            this.emit({ type: 'log', runId: this.runId, at: this.clock.now(), level: 'warn', message: `warning: ${message}` });
        }
        const restored: StepState[] = [];
        for (const s of this.steps) {
            const record = resume.done.get(s.spec.id);
            if (record) {
                s.status = record.status;
                s.skippedByWhen = record.skippedByWhen === true;
                s.output = record.output;
                s.items = record.items ?? -1;
                s.resumed = true;
                s.secret = record.secret === true;
                restored.push(s);
            }
        }
        for (const s of restored) {
            this.finished++;
            this.completed?.push(s);
            this.journal?.stepFinished(s, this.startedAt);
            for (const d of this.plan.graph.dependants[s.index]!) {
                const dep = this.steps[d]!;
                if (dep.status === 'pending') {
                    this.remaining[d]!--;
                }
            }
        }
    }

    /** CompensationHost: one step's compensation is over. */
    compensated(step: StepState, ok: boolean, error: StepError | undefined): void {
        const now = this.clock.now();
        this.journal?.stepCompensated(step, ok, error, now);
        if (!this.emitter) {
            return;
        }
        if (ok) {
            this.emit({ type: 'step-finished', runId: this.runId, at: now, stepId: step.spec.id, status: 'compensated', durationMs: 0, attempts: step.attempts });
        } else {
            this.emit({ type: 'log', runId: this.runId, at: now, stepId: step.spec.id, level: 'error', message: `compensation of step '${step.spec.id}' failed: ${error!.message}` });
        }
    }

    protected emitFinished(step: StepState): void {
        if (!this.journal && !this.emitter) {
            return;
        }
        // A step that ran ended just now (finishStep set it); only one that never ran reads the clock.
        const at = step.startedAt >= 0 ? step.endedAt : this.clock.now();
        if (this.journal) {
            this.journal.stepFinished(step, at);
        }
        if (this.emitter) {
            const durationMs = step.startedAt >= 0 ? step.endedAt - step.startedAt : 0;
            const status = step.status as StepStatus;
            this.emit({ type: 'step-finished', runId: this.runId, at, stepId: step.spec.id, status, durationMs, attempts: step.attempts, error: step.error });
        }
    }

    /** Sends an event through the sink. A throwing listener must not break the run. */
    emit(event: RunEvent): void {
        if (!this.emitter) {
            return;
        }
        try {
            this.emitter(this.redactor.event(event));
        } catch {
            // The listener's problem: the run goes on.
        }
    }

    abstract taskEnded(task: Task): void;
    abstract pushTask(step: StepState, item: number, value: unknown): void;
    abstract finishStep(step: StepState, status: StepStatus): void;
}
