/**
 * Mutable per-run state of steps and of the tasks (tool calls, one per fan-out item)
 * the scheduler runs. Classes with every field set in the constructor, so V8 keeps
 * one shape for 10k instances and the hot path stays monomorphic.
 */
import type { TimerHandle } from './clock.js';
import type { StepView } from './expressions.js';
import type { StepSpec, ToolDescriptor } from './model.js';
import type { Connector, ToolResult } from './registry.js';
import type { Demand } from './resource-pool.js';
import type { StepError, StepStatus } from './run-types.js';

/** A step's status during a run: the final ones plus where it stands before. */
export type LiveStatus = 'pending' | 'ready' | 'running' | StepStatus;

/** Call statistics of one tool, gathered during the run. */
export class ToolStats {
    calls = 0;
    errors = 0;
    readonly durations: number[] = [];
    constructor(readonly tool: ToolDescriptor) {}
}

/** One step during a run. Doubles as the StepView expressions read. */
export class StepState implements StepView {
    status: LiveStatus = 'pending';
    /** Ready-queue key of the step's tasks (see `taskBefore`). */
    priority = 0;
    /** Dependencies not finished yet. */
    remaining: number;
    /**
     * Skipped because its `when` was false. Such a skip satisfies dependants (they still
     * run); a skip caused by a failure propagates instead.
     */
    skippedByWhen = false;
    attempts = 0;
    readyAt = -1;
    startedAt = -1;
    endedAt = -1;
    output: unknown = null;
    result: unknown = undefined;
    error: StepError | undefined = undefined;
    /** Fan-out: item count, items not finished, their outputs. */
    items = -1;
    itemsLeft = 0;
    itemOutputs: unknown[] | undefined = undefined;

    constructor(
        readonly index: number,
        readonly spec: StepSpec,
        readonly tool: ToolDescriptor,
        readonly connector: Connector,
        readonly demand: Demand,
        readonly stats: ToolStats,
        deps: number,
    ) {
        this.remaining = deps;
    }
}

/** Result of one tool call attempt. */
export type CallOutcome = { ok: true; result: ToolResult } | { ok: false; error: unknown };

/** One schedulable unit: a whole step, or one item of a fan-out. */
export class Task {
    /** Ready-queue keys, compared in order (see `scheduler.ts`). */
    readonly key1: number;
    /** Ends the current wait (call or backoff) early: timeouts and run stops use it. */
    settle: ((outcome: CallOutcome) => void) | undefined = undefined;
    controller: AbortController | undefined = undefined;
    timer: TimerHandle | undefined = undefined;
    startedAt = -1;
    /** Filled when the task ends. */
    ok = false;
    output: unknown = null;
    raw: unknown = undefined;
    error: StepError | undefined = undefined;
    cancelled = false;

    constructor(
        readonly step: StepState,
        /** Item index, or -1 for a step without `each`. */
        readonly item: number,
        readonly itemValue: unknown,
        key1: number,
    ) {
        this.key1 = key1;
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
