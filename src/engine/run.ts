/**
 * One run of one workflow: step states, activation, the hand-off of ready tasks to the
 * (possibly shared) capacity, step completion and stops. `scheduler.ts` documents the
 * semantics; this file is their hot path, so nothing optional (events, journal,
 * cache, adaptive limit, streaming) costs more than a field test unless it is on.
 */
import { setMaxListeners } from 'node:events';
import { AdaptiveLimit } from './adaptive-limit.js';
import { cacheDecision } from './cache/policy.js';
import { DiskStore } from './cache/disk-store.js';
import { RunCache } from './cache/run-cache.js';
import type { CapacityMember, SharedCapacity } from './capacity.js';
import type { TimerHandle } from './clock.js';
import { realClock } from './clock.js';
import { compensate, type CompensationHost } from './compensation.js';
import { evaluate, truthy, type EvalScope } from './expressions.js';
import type { WorkflowGraph } from './graph.js';
import { JournalWriter } from './journal/journal-writer.js';
import type { ResumePoint } from './journal/resume.js';
import type { WorkflowHashes } from './journal/spec-hash.js';
import type { ErrorPolicy, WorkflowSpec } from './model.js';
import * as path from 'node:path';
import { streamSources } from './pipeline.js';
import { Redactor } from './redaction.js';
import { buildReport } from './report.js';
import { ReadyQueue } from './ready-queue.js';
import { NO_DEMAND, toDemand, type Demand } from './resource-pool.js';
import { seededRandom } from './retry.js';
import { defaultRunId, priorityKeys, secretValues, type BoundTool } from './run-setup.js';
import { StepLookup, StepState, Task, ToolStats } from './run-state.js';
import type { RunEvent, RunOptions, RunReport, StepError, StepStatus } from './run-types.js';
import { executeTask, stepError } from './task-runner.js';
import { ToolError, toToolError } from './tool-error.js';

type StopReason = 'failed' | 'cancelled' | 'timeout';

/** Everything checked and resolved before a run starts (see `scheduler.ts`). */
export interface RunPlan {
    inputs: Record<string, unknown>;
    graph: WorkflowGraph;
    /** A topological order of `graph`. */
    order: number[];
    tools: BoundTool[] & { compensations?: Array<BoundTool | undefined> };
    capacity: SharedCapacity;
    hashes?: WorkflowHashes;
    resume?: ResumePoint;
}

export class Run implements CompensationHost, CapacityMember {
    readonly clock;
    readonly runId: string;
    readonly root: string;
    readonly allowExec: boolean;
    readonly policy: ErrorPolicy;
    readonly random: () => number;
    readonly redactor: Redactor;
    readonly emitter: ((event: RunEvent) => void) | undefined;
    readonly scope: EvalScope;
    readonly runSignal: AbortSignal;
    readonly cache: RunCache | undefined = undefined;
    readonly callEnded: ((task: Task, ok: boolean, ms: number) => void) | undefined = undefined;
    stopping: StopReason | undefined = undefined;
    stopError: ToolError | undefined = undefined;

    private readonly steps: StepState[];
    private readonly order: number[];
    private readonly ready: ReadyQueue;
    private readonly capacity: SharedCapacity;
    private readonly activations: StepState[] = [];
    private activationHead = 0;
    /** Running tasks; each knows its slot (`task.slot`), so removal is a swap, no hashing. */
    private readonly running: Task[] = [];
    /**
     * Dependencies not finished yet, per step. A typed array, not a field of each
     * StepState: releasing dependants walks it in graph order, and 10k scattered objects
     * cost cache misses that a flat array does not.
     */
    private readonly remaining: Int32Array;
    private readonly sequential: boolean;
    private readonly streaming: boolean;
    /** Every ready task starts at once: priorities cannot matter and are not computed. */
    private readonly unconstrained: boolean;
    private readonly runController = new AbortController();
    private adaptive: AdaptiveLimit | undefined = undefined;
    private journal: JournalWriter | undefined = undefined;
    /** Steps in completion order, kept only under `errors recovery`. */
    private readonly completed: StepState[] | undefined;
    private tasksCreated = 0;
    private maxConcurrency = 0;
    private busyMs = 0;
    private finished = 0;
    private startedAt = 0;
    private workflowTimer: TimerHandle | undefined = undefined;
    private resolveDone: (() => void) | undefined = undefined;
    private readonly onExternalAbort = (): void => {
        this.stop('cancelled', 'the run was cancelled');
        this.advance();
    };

    constructor(
        private readonly workflow: WorkflowSpec,
        private readonly options: RunOptions,
        private readonly plan: RunPlan,
    ) {
        const settings = workflow.settings;
        const graph = plan.graph;
        this.clock = options.clock ?? realClock;
        this.root = options.root ?? process.cwd();
        this.allowExec = options.allowExec ?? false;
        this.policy = settings.errors;
        this.random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
        const env = options.env ?? process.env;
        this.redactor = new Redactor(secretValues(workflow, env));
        this.emitter = options.onEvent;
        this.runId = options.runId ?? defaultRunId(workflow.id, this.clock.now(), this.random);
        this.runSignal = this.runController.signal;
        // Every running call without its own timeout listens on this one signal.
        setMaxListeners(0, this.runSignal);
        this.sequential = settings.mode === 'sequential';
        this.streaming = settings.mode === 'pipeline';
        const maxParallel = options.maxParallel ?? settings.maxParallel;
        const limit = maxParallel !== undefined && maxParallel > 0 ? maxParallel : Infinity;
        this.capacity = plan.capacity;
        const unconstrained = !this.sequential && settings.mode !== 'adaptive' && limit === Infinity && plan.capacity.limit === Infinity
            && (plan.capacity.pool.capacity === Infinity || settings.resources === 'unlimited');
        this.ready = new ReadyQueue(limit, this.sequential, plan.capacity, unconstrained);
        this.unconstrained = unconstrained;
        if (settings.mode === 'adaptive') {
            const adaptive = (this.adaptive = new AdaptiveLimit(limit, this.clock.now()));
            this.ready.limit = adaptive.limit;
            this.callEnded = (task, ok, ms) => {
                this.ready.limit = adaptive.observe(task.step.stats, ok, ms, this.clock.now(), this.tasksCreated);
            };
        }
        // Stats and demand per tool, computed once per tool rather than once per step.
        const stats = new Map<string, { stats: ToolStats; demand: Demand }>();
        this.steps = workflow.steps.map((spec, i) => {
            const { tool, connector } = plan.tools[i]!;
            let s = stats.get(tool.id);
            if (!s) {
                const demand = settings.resources === 'unlimited' ? NO_DEMAND : toDemand(tool.resources);
                stats.set(tool.id, (s = { stats: new ToolStats(tool), demand }));
            }
            return new StepState(i, spec, tool, connector, s.demand, s.stats);
        });
        if (this.streaming) {
            const from = streamSources(workflow.steps, graph);
            from.forEach((a, b) => {
                if (a >= 0) {
                    const up = this.steps[a]!;
                    this.steps[b]!.streamFrom = up;
                    (up.streamTo ??= []).push(this.steps[b]!);
                }
            });
        }
        if (settings.cache !== 'none') {
            let any = false;
            for (const s of this.steps) {
                s.cacheable = cacheDecision(s.spec, s.tool, settings.cache).cacheable;
                any ||= s.cacheable;
            }
            if (any) {
                const persistent = settings.cache === 'intelligent' || settings.cache === 'predictive';
                const dir = options.cacheDir ?? path.join(this.root, '.kmflow', 'cache');
                this.cache = new RunCache(this.redactor, persistent ? new DiskStore(dir, options.cacheMaxBytes) : undefined);
            }
        }
        this.remaining = new Int32Array(this.steps.length);
        for (let i = 0; i < this.steps.length; i++) {
            this.remaining[i] = graph.deps[i]!.length;
        }
        this.completed = this.policy === 'recovery' ? [] : undefined;
        this.order = plan.order;
        this.scope = { steps: new StepLookup(graph.index, this.steps), inputs: plan.inputs, env, secrets: env };
    }

    start(): Promise<RunReport> {
        const n = this.steps.length;
        const settings = this.workflow.settings;
        this.startedAt = this.clock.now();
        this.capacity.join(this);
        if (this.options.journalDir !== undefined) {
            this.journal = new JournalWriter(this.options.journalDir, this.runId, this.redactor);
            this.journal.header({
                version: 1,
                runId: this.runId,
                workflow: this.workflow.id,
                specHash: this.plan.hashes!.spec,
                stepHashes: this.plan.hashes!.steps,
                inputs: this.plan.inputs,
                settings,
                startedAt: new Date(this.startedAt).toISOString(),
                ...(this.plan.resume && { resumedFrom: this.plan.resume.runId }),
            });
        }
        this.emit({ type: 'run-started', runId: this.runId, at: this.startedAt, workflow: this.workflow.id, steps: n });
        if (!this.unconstrained) {
            const keys = priorityKeys(this.plan.graph, this.order, this.steps, this.sequential, this.options.estimateMs);
            const predictive = settings.cache === 'predictive';
            for (const s of this.steps) {
                // `cache predictive`: cacheable read-only steps go first among the ready ones.
                s.priority = predictive && s.cacheable && s.tool.readOnly ? -Infinity : keys[s.index]!;
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
        for (const s of this.steps) {
            if (this.remaining[s.index] === 0 && s.status === 'pending') {
                this.activations.push(s);
            }
        }
        this.advance();
        return done.then(() => this.complete());
    }

    /** Marks the steps a resumed run completed as done, with their recorded outputs. */
    private restore(resume: ResumePoint): void {
        const restored: StepState[] = [];
        for (const s of this.steps) {
            const record = resume.done.get(s.spec.id);
            if (record) {
                s.status = record.status;
                s.skippedByWhen = record.skippedByWhen === true;
                s.output = record.output;
                s.items = record.items ?? -1;
                s.resumed = true;
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

    /** Processes newly ready steps, starts what fits, and ends the run when all is done. */
    private advance(): void {
        while (this.activationHead < this.activations.length) {
            this.activate(this.activations[this.activationHead++]!);
        }
        this.activations.length = 0;
        this.activationHead = 0;
        if (this.stopping) {
            if (this.running.length === 0) {
                this.skipRemaining();
                this.resolveDone?.();
            }
            this.capacity.pump(); // slots this run freed may serve the others
            return;
        }
        this.capacity.pump();
        if (this.finished === this.steps.length) {
            this.resolveDone?.();
        }
    }

    /** CapacityMember: start up to `max` of this run's ready tasks. */
    admit(max: number): number {
        return this.stopping ? 0 : this.ready.admit(this.startTask, max);
    }

    private activate(step: StepState): void {
        if (this.stopping || step.status !== 'pending') {
            return;
        }
        const spec = step.spec;
        step.readyAt = this.clock.now();
        try {
            if (spec.when && !truthy(evaluate(spec.when, this.scope))) {
                step.skippedByWhen = true;
                this.finishStep(step, 'skipped');
                return;
            }
            if (spec.each) {
                const from = step.streamFrom;
                if (from !== undefined && from.status !== 'succeeded') {
                    this.expand(step, from.items, from);
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
                this.expand(step, items.length, undefined, items);
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

    /**
     * A fan-out's items become tasks: all of `items` at once, or (streaming from `from`)
     * those whose upstream item is done, the rest as their upstream items end.
     */
    private expand(step: StepState, n: number, from: StepState | undefined, items?: unknown[]): void {
        step.items = n;
        step.itemsLeft = n;
        step.itemOutputs = new Array<unknown>(n).fill(null);
        step.status = 'ready';
        if (step.streamTo) {
            step.itemStatus = new Uint8Array(n);
            step.streamed = true;
            for (const d of step.streamTo) {
                if (d.status === 'pending' && --this.remaining[d.index]! === 0) {
                    this.activations.push(d);
                }
            }
        }
        if (!from) {
            for (let i = 0; i < n; i++) {
                this.pushTask(step, i, items![i]);
            }
            return;
        }
        const upstream = from.itemStatus!;
        for (let i = 0; i < n && step.status === 'ready'; i++) {
            if (upstream[i] === 1) {
                this.pushTask(step, i, from.itemOutputs![i]);
            } else if (upstream[i] === 2) {
                this.itemEnded(step, i, false, null, upstreamError(from, i));
            }
        }
    }

    private pushTask(step: StepState, item: number, value: unknown): void {
        this.tasksCreated++;
        // Pipeline stages go item by item (item 0 through every stage first), so results
        // flow out early even when max_parallel is small.
        const key = item >= 0 && (step.streamFrom || step.streamTo) ? item : step.priority;
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
        const now = this.clock.now();
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
            this.finishStep(step, stopped ?? (task.ok ? 'succeeded' : 'failed'));
        } else {
            this.itemEnded(step, task.item, task.ok, task.output, task.error, stopped);
        }
        this.advance();
    }

    /** One fan-out item is over: record it, feed streaming stages, finish the step after its last. */
    private itemEnded(step: StepState, i: number, ok: boolean, output: unknown, error: StepError | undefined, stopped?: StepStatus): void {
        step.itemOutputs![i] = output;
        if (!ok && step.error === undefined) {
            step.error = error;
        }
        step.itemsLeft--;
        if (this.emitter && stopped === undefined) {
            this.emit({ type: 'step-progress', runId: this.runId, at: this.clock.now(), stepId: step.spec.id, progress: step.items - step.itemsLeft, total: step.items, item: i });
        }
        if (step.itemStatus) {
            step.itemStatus[i] = ok ? 1 : 2;
            if (stopped === undefined && !this.stopping) {
                for (const d of step.streamTo!) {
                    if (d.streamFrom === step && d.itemOutputs !== undefined && d.status !== 'pending' && d.itemsLeft > 0) {
                        if (ok) {
                            this.pushTask(d, i, output);
                        } else {
                            this.itemEnded(d, i, false, null, upstreamError(step, i));
                        }
                    }
                }
            }
        }
        if (step.itemsLeft === 0) {
            step.output = step.itemOutputs;
            this.finishStep(step, stopped ?? (step.error === undefined ? 'succeeded' : 'failed'));
        }
    }

    private finishStep(step: StepState, status: StepStatus): void {
        step.status = status;
        if (step.startedAt >= 0) {
            step.endedAt = this.clock.now();
        }
        this.finished++;
        this.emitFinished(step);
        const dependants = this.plan.graph.dependants[step.index]!;
        if (status === 'succeeded' || (status === 'skipped' && step.skippedByWhen)) {
            if (status === 'succeeded') {
                this.completed?.push(step);
            }
            const remaining = this.remaining;
            const streamed = step.streamed;
            for (const d of dependants) {
                // A streaming stage was released when this step's items were known.
                if (streamed && this.steps[d]!.streamFrom === step) {
                    continue;
                }
                // Counters of steps no longer pending (skipped, restored) may run down
                // too: activation only takes pending steps.
                if (--remaining[d]! === 0) {
                    const dep = this.steps[d]!;
                    if (dep.status === 'pending') {
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

    /** Skips everything downstream of a failed step (iteratively: chains can be long). */
    private skipDependants(failed: StepState): void {
        const error: StepError = { message: `skipped because step '${failed.spec.id}' did not succeed`, code: 'dependency-failed', retryable: false };
        const stack = [failed.index];
        while (stack.length > 0) {
            for (const d of this.plan.graph.dependants[stack.pop()!]!) {
                const dep = this.steps[d]!;
                if (dep.status === 'pending') {
                    dep.status = 'skipped';
                    dep.error = error;
                    this.finished++;
                    this.emitFinished(dep);
                    stack.push(d);
                }
            }
        }
    }

    /**
     * Stops the run: every running task ends now as cancelled (or failed, on a workflow
     * timeout) without waiting for its tool, whose signal is aborted so it stops too.
     */
    stop(reason: StopReason, message: string): void {
        if (this.stopping) {
            return;
        }
        this.stopping = reason;
        const error = new ToolError(reason === 'timeout' ? 'timeout' : 'cancelled', message, { retryable: reason === 'timeout' });
        this.stopError = error;
        const described = stepError(error, this.redactor);
        const now = this.clock.now();
        const ended = [...this.running];
        for (const task of ended) {
            task.done = true;
            task.cancelled = true;
            task.error = described;
            task.endedAt = now;
        }
        this.runController.abort(error);
        for (const task of ended) {
            task.controller?.abort(error);
            if (task.timer !== undefined) {
                this.clock.clearTimer(task.timer);
            }
            task.settle?.(false, error); // wakes a waiting runner, which sees `done` and leaves
        }
        // Reported from a microtask: stop() may be called in the middle of taskEnded().
        queueMicrotask(() => {
            for (const task of ended) {
                this.taskEnded(task);
            }
        });
    }

    /** After a stop: what never ran is skipped; what started and did not finish, cancelled. */
    private skipRemaining(): void {
        const error = stepError(this.stopError!, this.redactor);
        for (const step of this.steps) {
            if (step.status === 'pending' || step.status === 'ready' || step.status === 'running') {
                step.error ??= error;
                this.finishStep(step, step.startedAt >= 0 ? (this.stopping === 'timeout' ? 'failed' : 'cancelled') : 'skipped');
            }
        }
    }

    /** After the last step: compensations if due, the report, the journal's last word. */
    private async complete(): Promise<RunReport> {
        this.options.signal?.removeEventListener('abort', this.onExternalAbort);
        if (this.workflowTimer !== undefined) {
            this.clock.clearTimer(this.workflowTimer);
        }
        this.capacity.leave(this);
        let rollback: 'rolled_back' | 'failed' | undefined;
        const compensations = this.plan.tools.compensations;
        if (this.completed && compensations && this.stopping !== 'cancelled' && (this.stopping === 'timeout' || this.steps.some((s) => s.status === 'failed'))) {
            const outcome = await compensate(this, this.completed, compensations);
            if (outcome.ran > 0) {
                rollback = outcome.failed > 0 ? 'failed' : 'rolled_back';
            }
        }
        this.cache?.flush();
        const endedAt = this.clock.now();
        const report = buildReport({
            runId: this.runId,
            workflow: this.workflow,
            graph: this.plan.graph,
            order: this.order,
            steps: this.steps,
            startedAt: this.startedAt,
            endedAt,
            stopped: this.stopping,
            maxConcurrency: this.maxConcurrency,
            busyMs: this.busyMs,
            redactor: this.redactor,
            rollback,
            concurrencyLimit: this.adaptive?.course,
            resumedFrom: this.plan.resume?.runId,
        });
        this.journal?.runFinished(report);
        this.emit({ type: 'run-finished', runId: this.runId, at: endedAt, status: report.status, durationMs: report.durationMs, report });
        return report;
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

    private emitFinished(step: StepState): void {
        if (this.journal) {
            this.journal.stepFinished(step, this.clock.now());
        }
        if (this.emitter) {
            const durationMs = step.startedAt >= 0 ? step.endedAt - step.startedAt : 0;
            const status = step.status as StepStatus;
            this.emit({ type: 'step-finished', runId: this.runId, at: this.clock.now(), stepId: step.spec.id, status, durationMs, attempts: step.attempts, error: step.error });
        }
    }

    /** Sends an event, secret values masked. A throwing listener must not break the run. */
    emit(event: RunEvent): void {
        if (!this.emitter) {
            return;
        }
        try {
            this.emitter(this.redactor.active && event.type !== 'run-finished' ? this.redactor.value(event) : event);
        } catch {
            // The listener's problem: the run goes on.
        }
    }
}

function upstreamError(from: StepState, i: number): StepError {
    return { message: `item ${i} of step '${from.spec.id}' did not succeed`, code: 'dependency-failed', retryable: false };
}
