/**
 * Mutable per-run state of steps and of the tasks (tool calls, one per fan-out item)
 * the scheduler runs. Classes with every field set in the constructor, so V8 keeps
 * one shape for 10k instances and the hot path stays monomorphic.
 */
import type { Clock, TimerHandle } from './clock.js';
import type { StepView } from '../model/expressions.js';
import type { StepSpec, ToolDescriptor } from '../model/model.js';
import type { Connector, ToolContext, ToolProgress } from '../tools/registry.js';
import type { Demand } from './resource-pool.js';
import type { BoundTool } from './run-setup.js';
import type { RunEvent, StepError, StepStatus } from './run-types.js';
import type { Trust } from '../security/trust.js';

/** A step's status during a run: the final ones plus where it stands before. */
export type LiveStatus = 'pending' | 'ready' | 'running' | StepStatus;

/** Call statistics of one tool, gathered during the run. */
export class ToolStats {
    calls = 0;
    errors = 0;
    readonly durations: number[] = [];
    constructor(readonly tool: ToolDescriptor) {}
}

/**
 * A fan-out's items during the run: an object of their own, made only for a step with
 * `each`, rather than fields every step carries.
 */
export class FanOutItems {
    /** Items not finished. */
    left: number;
    /** Their outputs, by item (null until one ends). */
    readonly outputs: unknown[];
    /**
     * Item outcomes, 0 pending, 1 succeeded, 2 failed: only on a fan-out others stream
     * from (pipeline streaming reads them), whose dependants in `streamTo` it released
     * item-wise.
     */
    readonly status: Uint8Array | undefined;

    constructor(n: number, streamed: boolean) {
        this.left = n;
        this.outputs = new Array<unknown>(n).fill(null);
        this.status = streamed ? new Uint8Array(n) : undefined;
    }
}

/** One step during a run. Doubles as the StepView expressions read. */
export class StepState implements StepView {
    status: LiveStatus = 'pending';
    /**
     * Skipped because its `when` was false. Such a skip satisfies dependants (they still
     * run); a skip caused by a failure propagates instead.
     */
    skippedByWhen = false;
    attempts = 0;
    // When it became ready and its ready-queue key are the run's (`RunBase.readyAt`,
    // `RunBase.priority`): typed arrays, not two more double fields (each a boxed number
    // of its own) on every step.
    startedAt = -1;
    endedAt = -1;
    output: unknown = null;
    result: unknown = undefined;
    /** The parameters of its last call, as evaluated (not a fan-out's: each item has its own). */
    params: Record<string, unknown> | undefined = undefined;
    error: StepError | undefined = undefined;
    /** Fan-out: item count (-1: none). */
    items = -1;
    /** Fan-out: its items as they run, made when they are known (`run-fanout.ts`). */
    fan: FanOutItems | undefined = undefined;
    /** Pipeline: the fan-out whose items feed this step's items one by one. */
    streamFrom: StepState | undefined = undefined;
    /** Pipeline: the fan-outs fed item by item by this one. */
    streamTo: StepState[] | undefined = undefined;
    /** Results may come from / go to the cache (decided once, before the run). */
    cacheable = false;
    /** Tasks answered from the cache instead of a call. */
    cacheHits = 0;
    /** Restored from a journal by a resumed run. */
    resumed = false;
    /** Set when `errors recovery` tried and failed to compensate this step. */
    compensationError: StepError | undefined = undefined;
    /** Computed from a secret: its output is shown as `***` and never cached (`taint.ts`). */
    secret = false;
    /** Steps whose data this step's parameters read; set only in runs that hold secrets. */
    reads: StepState[] | undefined = undefined;

    constructor(
        readonly index: number,
        readonly spec: StepSpec,
        public tool: ToolDescriptor,
        public connector: Connector,
        public demand: Demand,
        public stats: ToolStats,
    ) {}
}

/** What a task reads from its run (the scheduler's Run implements it). */
export interface TaskRun {
    readonly root: string;
    readonly trust: Trust;
    readonly clock: Clock;
    readonly runId: string;
    readonly runSignal: AbortSignal;
    /** The largest output one call may return (`output-limit.ts`). */
    readonly maxOutputBytes: number;
    /** Non-null when events are wanted. */
    readonly emitter: unknown;
    emit(event: RunEvent): void;
}

/**
 * A task's timed wait: a call with a step timeout (its own AbortController and timer) or
 * a backoff between attempts. Made only for such a wait, so the tasks of the usual calls
 * (no timeout, no retry: most of a big run's) do not carry its five fields.
 */
export class TimedWait {
    /** The outcome of the first settle (a call's result or error, or a stop's reason). */
    ok = false;
    value: unknown = undefined;
    settled = false;
    controller: AbortController | undefined = undefined;
    timer: TimerHandle | undefined = undefined;

    constructor(private readonly resolve: () => void) {}

    /** Ends the wait; the first settle wins, and its outcome stays in `ok` / `value`. */
    settle(ok: boolean, value: unknown): void {
        if (!this.settled) {
            this.settled = true;
            this.ok = ok;
            this.value = value;
            this.resolve();
        }
    }
}

/**
 * One schedulable unit: a whole step, or one item of a fan-out (or, after a failure
 * under `errors recovery`, the compensation of one of them). It is also the
 * ToolContext its calls get: one object per task instead of two keeps the GC quiet on
 * 10k-step runs.
 */
export class Task implements ToolContext {
    /** Ready-queue keys, compared in order (see `taskBefore`). */
    readonly key1: number;
    /** The signal of the current call: the run's, or the task's own when it has a timeout. */
    signal: AbortSignal;
    /** Index in the run's list of running tasks. */
    slot = -1;
    /** The current timed wait (a call with a step timeout, or a backoff), while there is one. */
    wait: TimedWait | undefined = undefined;
    startedAt = -1;
    endedAt = -1;
    /** Set once the task is over: by its runner, or earlier by a run stop. */
    done = false;
    ok = false;
    output: unknown = null;
    raw: unknown = undefined;
    error: StepError | undefined = undefined;
    cancelled = false;
    /** Answered from the cache. */
    cached = false;
    /**
     * Set on a task that runs the step's `compensate` call (`errors recovery`) instead
     * of the step's own: its tool and connector.
     */
    compensation: BoundTool | undefined = undefined;

    constructor(
        private readonly run: TaskRun,
        readonly step: StepState,
        /** Item index, or -1 for a step without `each`. */
        readonly item: number,
        readonly itemValue: unknown,
        key1: number,
    ) {
        this.key1 = key1;
        this.signal = run.runSignal;
    }

    // ToolContext fields the run already holds: getters on the prototype, not copies
    // in each of 10k tasks.
    get root(): string {
        return this.run.root;
    }

    get trust(): Trust {
        return this.run.trust;
    }

    get clock(): Clock {
        return this.run.clock;
    }

    get runId(): string {
        return this.run.runId;
    }

    get stepId(): string {
        return this.step.spec.id;
    }

    get timeoutMs(): number | undefined {
        return this.step.spec.timeoutMs;
    }

    get compensating(): boolean {
        return this.compensation !== undefined;
    }

    get maxOutputBytes(): number {
        return this.run.maxOutputBytes;
    }

    log(message: string): void {
        const run = this.run;
        if (run.emitter) {
            run.emit({ type: 'log', runId: run.runId, at: run.clock.now(), stepId: this.stepId, level: 'info', message: String(message) });
        }
    }

    progress(p: ToolProgress): void {
        const run = this.run;
        if (run.emitter) {
            const item = this.item >= 0 ? this.item : undefined;
            run.emit({ type: 'step-progress', runId: run.runId, at: run.clock.now(), stepId: this.stepId, ...p, item });
        }
    }
}

/** Ready-queue order: smaller key1, then file order, then item order. */
export function taskBefore(a: Task, b: Task): boolean {
    if (a.key1 !== b.key1) {
        return a.key1 < b.key1;
    }
    if (a.step.index !== b.step.index) {
        return a.step.index < b.step.index;
    }
    return a.item < b.item;
}

/**
 * The run's steps by id, for expressions (`STEP.output`), over the graph's own id
 * index: no second 10k-entry Map built per run. The index is asked for on the first
 * lookup, not before (the graph builds it on demand).
 */
export class StepLookup implements ReadonlyMap<string, StepState> {
    constructor(
        private readonly graph: { readonly index: ReadonlyMap<string, number> },
        private readonly steps: readonly StepState[],
    ) {}

    private get index(): ReadonlyMap<string, number> {
        return this.graph.index;
    }

    get size(): number {
        return this.steps.length;
    }

    get(id: string): StepState | undefined {
        const i = this.index.get(id);
        return i === undefined ? undefined : this.steps[i];
    }

    has(id: string): boolean {
        return this.index.has(id);
    }

    forEach(callback: (value: StepState, key: string, map: ReadonlyMap<string, StepState>) => void): void {
        for (const s of this.steps) {
            callback(s, s.spec.id, this);
        }
    }

    *entries(): MapIterator<[string, StepState]> {
        for (const s of this.steps) {
            yield [s.spec.id, s];
        }
    }

    *keys(): MapIterator<string> {
        for (const s of this.steps) {
            yield s.spec.id;
        }
    }

    *values(): MapIterator<StepState> {
        yield* this.steps;
    }

    [Symbol.iterator](): MapIterator<[string, StepState]> {
        return this.entries();
    }
}
