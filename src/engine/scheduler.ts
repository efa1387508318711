/**
 * The scheduler: runs a workflow's steps in dependency order, as parallel as its mode,
 * `max_parallel` and resource pool allow, and returns the run report.
 *
 * Hot-path design (10k no-op steps in a few µs each): dependencies resolve by counters
 * (no graph walks), ready work sits in a binary heap, step state lives in
 * fixed-shape objects, and nothing optional (events, redaction, per-call abort
 * controllers) costs anything unless it is used.
 *
 * Skips. A step whose `when` is false is `skipped`, and its dependants still run when
 * their other dependencies succeeded: like a skipped step inside a GitHub Actions job
 * (or a skipped task in Argo), a `when` is a decision, not a failure, and a dependant
 * can test `STEP.ok`/`STEP.status` itself. (GitHub Actions *jobs* differ: they skip
 * the dependants of a skipped job.) A step depending on a failed, cancelled, or
 * failure-skipped step is skipped, transitively.
 */
import { setMaxListeners } from 'node:events';
import type { TimerHandle } from './clock.js';
import { realClock } from './clock.js';
import { evaluate, truthy, type EvalScope } from './expressions.js';
import { topologicalOrder, type WorkflowGraph } from './graph.js';
import type { ErrorPolicy, ToolDescriptor, WorkflowSpec } from './model.js';
import { Redactor } from './redaction.js';
import type { Connector } from './registry.js';
import { buildReport } from './report.js';
import { ReadyQueue } from './ready-queue.js';
import { NO_DEMAND, POOL_CAPACITY, toDemand } from './resource-pool.js';
import { seededRandom } from './retry.js';
import { checkedGraph, defaultRunId, priorityKeys, resolveInputs, resolveTools, secretValues } from './run-setup.js';
import { StepState, Task, ToolStats } from './run-state.js';
import type { RunEvent, RunOptions, RunReport, StepError, StepStatus } from './run-types.js';
import { executeTask, stepError, type TaskHost } from './task-runner.js';
import { ToolError, toToolError } from './tool-error.js';

/**
 * Runs `workflow` and resolves with its report; never rejects for a step's failure.
 * Throws RunSetupError, before anything runs, on a missing input, an unknown step or
 * tool, a cycle, a tool without `via`, or a `via` server without a connector.
 */
export async function runWorkflow(workflow: WorkflowSpec, options: RunOptions): Promise<RunReport> {
    const inputs = resolveInputs(workflow, options.inputs);
    const graph = checkedGraph(workflow);
    const tools = resolveTools(workflow, options.registry, options.connectors);
    return new Run(workflow, options, inputs, graph, tools).start();
}

type StopReason = 'failed' | 'cancelled' | 'timeout';

class Run implements TaskHost {
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
    stopping: StopReason | undefined = undefined;
    stopError: ToolError | undefined = undefined;

    private readonly steps: StepState[];
    private readonly order: number[];
    private readonly ready: ReadyQueue;
    private readonly activations: StepState[] = [];
    private activationHead = 0;
    private readonly running = new Set<Task>();
    private readonly sequential: boolean;
    private readonly runController = new AbortController();
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
        inputs: Record<string, unknown>,
        private readonly graph: WorkflowGraph,
        tools: Array<{ tool: ToolDescriptor; connector: Connector }>,
    ) {
        const settings = workflow.settings;
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
        // `adaptive` and `pipeline` run as `parallel` until their own schedulers land.
        const maxParallel = options.maxParallel ?? settings.maxParallel;
        const limit = maxParallel !== undefined && maxParallel > 0 ? maxParallel : Infinity;
        this.ready = new ReadyQueue(limit, this.sequential, POOL_CAPACITY[settings.resources]);
        const stats = new Map<string, ToolStats>();
        this.steps = workflow.steps.map((spec, i) => {
            const { tool, connector } = tools[i]!;
            let s = stats.get(tool.id);
            if (!s) {
                stats.set(tool.id, (s = new ToolStats(tool)));
            }
            const demand = settings.resources === 'unlimited' ? NO_DEMAND : toDemand(tool.resources);
            return new StepState(i, spec, tool, connector, demand, s, graph.deps[i]!.length);
        });
        this.order = topologicalOrder(graph);
        this.scope = { steps: new Map(this.steps.map((s) => [s.spec.id, s])), inputs, env, secrets: env };
    }

    start(): Promise<RunReport> {
        const n = this.steps.length;
        this.startedAt = this.clock.now();
        this.emit({ type: 'run-started', runId: this.runId, at: this.startedAt, workflow: this.workflow.id, steps: n });
        const keys = priorityKeys(this.graph, this.order, this.steps, this.sequential, this.options.estimateMs);
        for (const s of this.steps) {
            s.priority = keys[s.index]!;
        }
        const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
        const signal = this.options.signal;
        if (signal?.aborted) {
            this.stop('cancelled', 'the run was cancelled before it started');
        } else {
            signal?.addEventListener('abort', this.onExternalAbort, { once: true });
        }
        const timeoutMs = this.workflow.settings.timeoutMs;
        if (timeoutMs !== undefined && !this.stopping) {
            this.workflowTimer = this.clock.setTimer(() => {
                this.stop('timeout', `workflow '${this.workflow.id}' timed out after ${timeoutMs} ms`);
                this.advance();
            }, timeoutMs);
        }
        for (const s of this.steps) {
            if (s.remaining === 0) {
                this.activations.push(s);
            }
        }
        this.advance();
        return done.then(() => this.finish());
    }

    /** Processes newly ready steps, starts what fits, and ends the run when all is done. */
    private advance(): void {
        while (this.activationHead < this.activations.length) {
            this.activate(this.activations[this.activationHead++]!);
        }
        this.activations.length = 0;
        this.activationHead = 0;
        if (this.stopping) {
            if (this.running.size === 0) {
                this.skipRemaining();
                this.resolveDone?.();
            }
            return;
        }
        this.ready.admit(this.startTask);
        if (this.finished === this.steps.length) {
            this.resolveDone?.();
        }
    }

    private activate(step: StepState): void {
        if (this.stopping || step.status !== 'pending') {
            return;
        }
        const spec = step.spec;
        step.readyAt = this.clock.now();
        const key1 = step.priority;
        try {
            if (spec.when && !truthy(evaluate(spec.when, this.scope))) {
                step.skippedByWhen = true;
                this.finishStep(step, 'skipped');
                return;
            }
            if (spec.each) {
                const items = evaluate(spec.each.items, this.scope);
                if (!Array.isArray(items)) {
                    throw new ToolError('expression', `step '${spec.id}': 'each ${spec.each.name} in ...' needs a list, got ${items === null || items === undefined ? 'nothing' : typeof items}`);
                }
                step.items = items.length;
                step.itemsLeft = items.length;
                step.itemOutputs = new Array<unknown>(items.length).fill(null);
                if (items.length === 0) {
                    step.output = [];
                    this.finishStep(step, 'succeeded');
                    return;
                }
                step.status = 'ready';
                items.forEach((value, i) => this.ready.push(new Task(this, step, i, value, key1)));
                return;
            }
        } catch (err) {
            step.error = stepError(toToolError(err), this.redactor);
            this.finishStep(step, 'failed');
            return;
        }
        step.status = 'ready';
        this.ready.push(new Task(this, step, -1, undefined, key1));
    }

    private readonly startTask = (task: Task): void => {
        const step = task.step;
        this.running.add(task);
        if (this.running.size > this.maxConcurrency) {
            this.maxConcurrency = this.running.size;
        }
        const now = this.clock.now();
        task.startedAt = now;
        if (step.startedAt < 0) {
            step.startedAt = now;
            step.status = 'running';
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
        this.running.delete(task);
        this.ready.release(task);
        this.busyMs += task.endedAt - task.startedAt;
        const stopped = task.cancelled ? (this.stopping === 'timeout' ? 'failed' : 'cancelled') : undefined;
        if (task.item < 0) {
            step.output = task.output;
            step.result = task.raw;
            step.error = task.error;
            this.finishStep(step, stopped ?? (task.ok ? 'succeeded' : 'failed'));
        } else {
            step.itemOutputs![task.item] = task.output;
            if (!task.ok && step.error === undefined) {
                step.error = task.error;
            }
            step.itemsLeft--;
            if (this.emitter && !task.cancelled) {
                const done = step.items - step.itemsLeft;
                this.emit({ type: 'step-progress', runId: this.runId, at: this.clock.now(), stepId: step.spec.id, progress: done, total: step.items, item: task.item });
            }
            if (step.itemsLeft === 0) {
                step.output = step.itemOutputs;
                this.finishStep(step, stopped ?? (step.error === undefined ? 'succeeded' : 'failed'));
            }
        }
        this.advance();
    }

    private finishStep(step: StepState, status: StepStatus): void {
        step.status = status;
        if (step.startedAt >= 0) {
            step.endedAt = this.clock.now();
        }
        this.finished++;
        this.emitFinished(step);
        const dependants = this.graph.dependants[step.index]!;
        if (status === 'succeeded' || (status === 'skipped' && step.skippedByWhen)) {
            for (const d of dependants) {
                const dep = this.steps[d]!;
                if (dep.status === 'pending' && --dep.remaining === 0) {
                    this.activations.push(dep);
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
            for (const d of this.graph.dependants[stack.pop()!]!) {
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

    private finish(): RunReport {
        this.options.signal?.removeEventListener('abort', this.onExternalAbort);
        if (this.workflowTimer !== undefined) {
            this.clock.clearTimer(this.workflowTimer);
        }
        const endedAt = this.clock.now();
        const report = buildReport({
            runId: this.runId,
            workflow: this.workflow,
            graph: this.graph,
            order: this.order,
            steps: this.steps,
            startedAt: this.startedAt,
            endedAt,
            stopped: this.stopping,
            maxConcurrency: this.maxConcurrency,
            busyMs: this.busyMs,
            redactor: this.redactor,
        });
        this.emit({ type: 'run-finished', runId: this.runId, at: endedAt, status: report.status, durationMs: report.durationMs, report });
        return report;
    }

    private emitFinished(step: StepState): void {
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
