/**
 * One run of one workflow: activation, the hand-off of ready tasks to the (possibly
 * shared) capacity, and step completion. `scheduler.ts` documents the semantics; this
 * file is their hot path, so nothing optional (events, journal, cache, adaptive limit,
 * streaming) costs more than a field test unless it is on. The run's state and setup
 * are in `run-base.ts`; stops, skips and the end of the run in `run-end.ts`.
 */
import type { CapacityMember } from './capacity.js';
import { evaluate, truthy } from '../model/expressions.js';
import { RunEnd } from './run-end.js';
import { expand, itemEnded } from './run-fanout.js';
import { priorityKeys } from './run-setup.js';
import { type StepState, Task } from './run-state.js';
import type { RunReport, StepStatus } from './run-types.js';
import { stepError } from './step-error.js';
import { executeTask } from './task-runner.js';
import { ToolError, toToolError } from '../tools/tool-error.js';

export type { RunPlan } from './run-base.js';

export class Run extends RunEnd implements CapacityMember {
    start(): Promise<RunReport> {
        const n = this.steps.length;
        const settings = this.workflow.settings;
        this.startedAt = this.clock.now();
        this.capacity.join(this);
        this.openJournal();
        this.emit({ type: 'run-started', runId: this.runId, at: this.startedAt, workflow: this.workflow.id, steps: n });
        if (!this.unconstrained) {
            const keys = priorityKeys(this.plan.graph, this.order, this.steps, this.sequential, this.options.estimateMs);
            const predictive = settings.cache === 'predictive';
            const priority = this.priority;
            for (let i = 0; i < n; i++) {
                const s = this.steps[i]!;
                // `cache predictive`: cacheable read-only steps go first among the ready ones.
                priority[i] = predictive && s.cacheable && s.tool.readOnly ? -Infinity : keys[s.index]!;
            }
        }
        const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
        const signal = this.options.signal;
        if (signal?.aborted) {
            this.stop('cancelled', 'the run was cancelled before it started');
        } else {
            signal?.addEventListener('abort', this.onExternalAbort, { once: true });
        }
        const timeoutMs = settings.timeoutMs;
        if (timeoutMs !== undefined && !this.stopping) {
            this.workflowTimer = this.clock.setTimer(() => {
                this.stop('timeout', `workflow '${this.workflow.id}' timed out after ${timeoutMs} ms`);
                this.advance();
            }, timeoutMs);
        }
        if (this.plan.resume) {
            this.restore(this.plan.resume);
        }
        const remaining = this.remaining;
        const now = this.clock.now();
        for (let i = 0; i < n; i++) {
            const s = this.steps[i]!;
            if (remaining[i] === 0 && s.status === 'pending') {
                this.readyAt[i] = now;
                this.activations.push(s);
            }
        }
        this.advance();
        return done.then(() => this.complete());
    }

    /** Processes newly ready steps, starts what fits, and ends the run when all is done. */
    protected advance(): void {
        const activations = this.activations;
        if (this.activationHead < activations.length) {
            while (this.activationHead < activations.length) {
                this.activate(activations[this.activationHead++]!);
            }
            // Emptied only now and then: `length = 0` is a slow builtin and drops the
            // backing store, which the next push allocates again (once per step on a chain).
            if (activations.length >= 1024) {
                activations.length = 0;
                this.activationHead = 0;
            }
        }
        if (this.stopping) {
            // Slots this run freed may serve the others, and after a fail_fast stop this
            // run's failure handlers (steps holding a completion dependency) may start.
            this.capacity.pump();
            if (this.running.length === 0) {
                this.skipRemaining();
                this.resolveDone?.();
            }
            return;
        }
        // Unconstrained, a task's end frees nothing anyone waits for (no limit, no
        // demand): only newly queued tasks need admitting. Saves the pump's calls on
        // most step ends of a flat run.
        if (!this.unconstrained || this.ready.size > 0) {
            this.capacity.pump();
        }
        if (this.finished === this.steps.length) {
            this.resolveDone?.();
        }
    }

    /** CapacityMember: start up to `max` of this run's ready tasks. */
    admit(max: number): number {
        if (!this.stopping) {
            return this.ready.admit(this.startTask, max);
        }
        return this.handlersRun() ? this.ready.admit(this.startHandlerTask, max) : 0;
    }

    /**
     * After a `fail_fast` stop, steps holding a completion dependency (failure handlers,
     * `when not risky.ok`) still run, as GitHub Actions runs `if: failure()` steps; a
     * cancelled or timed-out run starts nothing more.
     */
    private handlersRun(): boolean {
        return this.stopping === 'failed' && this.hasHandlers;
    }

    private readonly hasHandlers = this.plan.graph.completion.some((c) => c !== undefined);

    /** Starts a handler's task; an ordinary step's task queued before the stop is dropped (skipped at the end). */
    private readonly startHandlerTask = (task: Task): void => {
        if (this.plan.graph.completion[task.step.index] !== undefined) {
            this.startTask(task);
        } else {
            this.ready.release(task);
        }
    };

    private activate(step: StepState): void {
        if (step.status !== 'pending' || (this.stopping && !(this.handlersRun() && this.plan.graph.completion[step.index]))) {
            return;
        }
        const spec = step.spec;
        if (this.readyAt[step.index]! < 0) {
            // Usually set already: to the end of the dependency that released it (see
            // finishStep), or to the run's start. A clock read costs ~50 ns, per step.
            this.readyAt[step.index] = this.clock.now();
        }
        if (this.rebind !== undefined && spec.capability !== undefined) {
            this.rebind(step);
        }
        try {
            if (spec.when && !truthy(evaluate(spec.when, this.scope))) {
                step.skippedByWhen = true;
                this.finishStep(step, 'skipped');
                return;
            }
            if (spec.each) {
                const from = step.streamFrom;
                if (from !== undefined && from.status !== 'succeeded') {
                    expand(this, step, from.items, from);
                    return;
                }
                const items = evaluate(spec.each.items, this.scope);
                if (!Array.isArray(items)) {
                    throw new ToolError('expression', `step '${spec.id}': 'each ${spec.each.name} in ...' needs a list, got ${items === null || items === undefined ? 'nothing' : typeof items}`);
                }
                if (items.length === 0) {
                    step.items = 0;
                    step.output = [];
                    this.finishStep(step, 'succeeded');
                    return;
                }
                expand(this, step, items.length, undefined, items);
                return;
            }
        } catch (err) {
            step.error = stepError(toToolError(err), this.redactor);
            this.finishStep(step, 'failed');
            return;
        }
        step.status = 'ready';
        this.pushTask(step, -1, undefined);
    }

    /** Queues one task of `step` (FanOutHost). */
    pushTask(step: StepState, item: number, value: unknown): void {
        this.tasksCreated++;
        // Pipeline stages go item by item (item 0 through every stage first), so results
        // flow out early even when max_parallel is small.
        const key = item >= 0 && (step.streamFrom || step.streamTo) ? item : this.priority[step.index]!;
        this.ready.push(new Task(this, step, item, value, key));
    }

    private readonly startTask = (task: Task): void => {
        const step = task.step;
        const running = this.running;
        task.slot = running.length;
        running.push(task);
        if (running.length > this.maxConcurrency) {
            this.maxConcurrency = running.length;
        }
        let now = this.releasedAt;
        if (now >= 0) {
            // Only the first: a connector may work synchronously in its call, which the
            // next start must not be dated before.
            this.releasedAt = -1;
        } else {
            now = this.clock.now();
        }
        task.startedAt = now;
        if (step.startedAt < 0) {
            step.startedAt = now;
            step.status = 'running';
            this.journal?.stepStarted(step, now);
            if (this.emitter) {
                const items = step.items >= 0 ? step.items : undefined;
                this.emit({ type: 'step-started', runId: this.runId, at: now, stepId: step.spec.id, tool: step.tool.id, items });
            }
        }
        void executeTask(this, task);
    };

    /** Called by `executeTask` when the task is over. */
    taskEnded(task: Task): void {
        const step = task.step;
        const running = this.running;
        const last = running.pop()!;
        if (last !== task) {
            running[task.slot] = last;
            last.slot = task.slot;
        }
        this.ready.release(task);
        this.busyMs += task.endedAt - task.startedAt;
        if (task.cached) {
            step.cacheHits++;
        }
        const stopped = task.cancelled ? (this.stopping === 'timeout' ? 'failed' : 'cancelled') : undefined;
        if (task.item < 0) {
            step.output = task.output;
            step.result = task.raw;
            step.error = task.error;
            this.finishStep(step, stopped ?? (task.ok ? 'succeeded' : 'failed'), task.endedAt);
        } else {
            itemEnded(this, step, task.item, task.ok, task.output, task.error, stopped);
        }
        // What this end releases starts in this same synchronous turn, microseconds
        // later, with only the scheduler's work (and event listeners) between: the first
        // task started starts at this end's time, as it became ready then, instead of
        // reading the clock again (~60 ns here; one read a step instead of two on a chain).
        const outer = this.releasedAt;
        this.releasedAt = task.endedAt;
        this.advance();
        this.releasedAt = outer;
    }

    /** While a task's end is being processed: its end time, when what it releases starts (-1 otherwise). */
    private releasedAt = -1;

    /**
     * A step is over: record it, release or skip its dependants (FanOutHost). `at`: when
     * it ended, if known already (its task's end), which saves a clock read.
     */
    finishStep(step: StepState, status: StepStatus, at = this.clock.now()): void {
        step.status = status;
        if (step.startedAt >= 0) {
            step.endedAt = at;
        }
        this.finished++;
        this.emitFinished(step);
        if (status === 'succeeded' || (status === 'skipped' && step.skippedByWhen)) {
            if (status === 'succeeded') {
                this.completed?.push(step);
            }
            const remaining = this.remaining;
            // Its dependants in `streamTo` were released item-wise (`expand`) when it streamed.
            const streamed = step.fan !== undefined && step.fan.status !== undefined;
            const list = this.dependantList;
            const end = this.dependantStart[step.index + 1]!;
            for (let e = this.dependantStart[step.index]!; e < end; e++) {
                const d = list[e]!;
                // A streaming stage was released when this step's items were known.
                if (streamed && this.steps[d]!.streamFrom === step) {
                    continue;
                }
                // Counters of steps no longer pending (skipped, restored) may run down
                // too: activation only takes pending steps.
                if (--remaining[d]! === 0) {
                    const dep = this.steps[d]!;
                    if (dep.status === 'pending') {
                        this.readyAt[d] = at;
                        this.activations.push(dep);
                    }
                }
            }
            return;
        }
        if (status === 'failed' && this.policy === 'fail_fast') {
            this.stop('failed', `cancelled because step '${step.spec.id}' failed`);
        }
        this.skipDependants(step);
    }
}
