/**
 * The host compensation tasks run under (`compensation.ts`), through the same
 * executor as steps (`task-runner.ts`): the run's clock, error policy, retry jitter,
 * secret sink, scope and events, but
 * - a signal of their own: the run's is already aborted after a workflow timeout, the
 *   very case compensations are for; it aborts when the run is cancelled;
 * - a cancellation (the run's external signal) stops the running compensation as a run
 *   stop stops a step (`markStopped`, `stopTask`) and lets no other one start;
 * - a task's end wakes the saga, one compensation at a time, instead of the scheduler.
 */
import type { Clock } from './clock.js';
import type { EvalScope } from '../model/expressions.js';
import type { ErrorPolicy } from '../model/model.js';
import type { Redactor } from '../security/redaction.js';
import type { Trust } from '../security/trust.js';
import { ToolError } from '../tools/tool-error.js';
import type { BoundTool } from './run-setup.js';
import { Task, type StepState } from './run-state.js';
import type { RunEvent } from './run-types.js';
import { stepError } from './step-error.js';
import { executeTask, markStopped, stopTask, type TaskHost } from './task-runner.js';

export class CompensationRun implements TaskHost {
    readonly root: string;
    readonly trust: Trust;
    readonly clock: Clock;
    readonly runId: string;
    readonly runSignal: AbortSignal;
    readonly maxOutputBytes: number;
    readonly emitter: unknown;
    readonly policy: ErrorPolicy;
    readonly random: () => number;
    readonly redactor: Redactor;
    readonly scope: EvalScope;
    /** Compensations are never cached, nor do they feed the adaptive limit. */
    readonly cache = undefined;
    readonly callEnded = undefined;
    /** Set once the run was cancelled: nothing more is compensated. */
    cancelled = false;
    private readonly controller = new AbortController();
    private current: Task | undefined = undefined;
    private wake: ((task: Task) => void) | undefined = undefined;

    constructor(
        private readonly run: TaskHost,
        private readonly signal: AbortSignal | undefined,
    ) {
        this.root = run.root;
        this.trust = run.trust;
        this.clock = run.clock;
        this.runId = run.runId;
        this.maxOutputBytes = run.maxOutputBytes;
        this.emitter = run.emitter;
        this.policy = run.policy;
        this.random = run.random;
        this.redactor = run.redactor;
        this.scope = run.scope;
        this.runSignal = this.controller.signal;
        if (signal?.aborted) {
            this.cancelled = true;
        } else {
            signal?.addEventListener('abort', this.onAbort, { once: true });
        }
    }

    emit(event: RunEvent): void {
        this.run.emit(event);
    }

    /**
     * Runs `bound`, the compensation of `step` (of its item `item` in a fan-out, -1
     * otherwise), to its end; the task holds the outcome (`ok`, `error`).
     */
    compensate(step: StepState, bound: BoundTool, item: number, value: unknown): Promise<Task> {
        const task = new Task(this, step, item, value, 0);
        task.compensation = bound;
        task.startedAt = this.clock.now();
        return new Promise<Task>((resolve) => {
            this.wake = resolve;
            this.current = task;
            if (this.cancelled) {
                markStopped(task, stepError(this.reason(), this.redactor), task.startedAt);
                this.taskEnded(task);
                return;
            }
            executeTask(this, task);
        });
    }

    /** TaskHost: the running compensation is over. */
    taskEnded(task: Task): void {
        if (task !== this.current) {
            return;
        }
        const wake = this.wake!;
        this.current = undefined;
        this.wake = undefined;
        wake(task);
    }

    /** Stops listening to the run's signal. */
    close(): void {
        this.signal?.removeEventListener('abort', this.onAbort);
    }

    private reason(): ToolError {
        return new ToolError('cancelled', 'the run was cancelled', { retryable: false });
    }

    private readonly onAbort = (): void => {
        this.cancelled = true;
        const error = this.reason();
        this.controller.abort(error);
        const task = this.current;
        if (task === undefined || task.done) {
            return;
        }
        markStopped(task, stepError(error, this.redactor), this.clock.now());
        stopTask(this.clock, task, error);
        // Reported from a microtask, as a run stop does: the abort may come from inside the executor.
        queueMicrotask(() => this.taskEnded(task));
    };
}
