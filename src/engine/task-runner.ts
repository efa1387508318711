/**
 * Runs one task (a step's tool call, or one fan-out item's): evaluates and validates
 * its parameters, calls the tool through its connector with the step timeout, and
 * retries with backoff. Never throws: the outcome is left on the Task.
 */
import type { Clock } from './clock.js';
import { evaluate, type EvalScope } from './expressions.js';
import type { ErrorPolicy } from './model.js';
import { validateParams } from './param-schema.js';
import type { Redactor } from './redaction.js';
import type { ToolContext, ToolProgress } from './registry.js';
import { backoffDelay, shouldRetry } from './retry.js';
import type { CallOutcome, Task } from './run-state.js';
import type { RunEvent, StepError } from './run-types.js';
import { ToolError, toToolError } from './tool-error.js';

/** What a task needs from its run. */
export interface TaskHost {
    readonly clock: Clock;
    readonly runId: string;
    readonly root: string;
    readonly allowExec: boolean;
    readonly policy: ErrorPolicy;
    readonly random: () => number;
    readonly redactor: Redactor;
    readonly scope: EvalScope;
    /** Aborted when the run stops; the signal of calls without their own timeout. */
    readonly runSignal: AbortSignal;
    readonly stopping: unknown;
    readonly stopError: ToolError | undefined;
    readonly emitter: ((event: RunEvent) => void) | undefined;
    emit(event: RunEvent): void;
}

function stepError(error: ToolError, host: TaskHost): StepError {
    const message = host.redactor.active ? host.redactor.text(error.message) : error.message;
    return { message, code: error.code, retryable: error.retryable };
}

/** The context handed to a tool; one per call, methods on the prototype. */
class CallContext implements ToolContext {
    readonly root: string;
    readonly allowExec: boolean;
    readonly clock: Clock;
    readonly runId: string;
    readonly stepId: string;

    constructor(
        private readonly host: TaskHost,
        private readonly task: Task,
        readonly signal: AbortSignal,
    ) {
        this.root = host.root;
        this.allowExec = host.allowExec;
        this.clock = host.clock;
        this.runId = host.runId;
        this.stepId = task.step.spec.id;
    }

    log(message: string): void {
        const host = this.host;
        if (host.emitter) {
            host.emit({ type: 'log', runId: host.runId, at: host.clock.now(), stepId: this.stepId, level: 'info', message: String(message) });
        }
    }

    progress(p: ToolProgress): void {
        const host = this.host;
        if (host.emitter) {
            const item = this.task.item >= 0 ? this.task.item : undefined;
            host.emit({ type: 'step-progress', runId: host.runId, at: host.clock.now(), stepId: this.stepId, ...p, item });
        }
    }
}

/** One call, which a timeout or a run stop can end early through `task.settle`. */
function callOnce(host: TaskHost, task: Task, params: Record<string, unknown>): Promise<CallOutcome> {
    const step = task.step;
    const timeoutMs = step.spec.timeoutMs;
    return new Promise<CallOutcome>((resolve) => {
        task.settle = resolve;
        let signal = host.runSignal;
        if (timeoutMs !== undefined) {
            // Only steps with a timeout pay for their own controller; the run's signal
            // reaches them through `stop()`, which aborts every running controller.
            const controller = new AbortController();
            task.controller = controller;
            signal = controller.signal;
            task.timer = host.clock.setTimer(() => {
                const error = new ToolError('timeout', `step '${step.spec.id}' timed out after ${timeoutMs} ms`);
                controller.abort(error);
                resolve({ ok: false, error });
            }, timeoutMs);
        }
        try {
            step.connector.call(step.tool, params, new CallContext(host, task, signal)).then(
                (result) => resolve({ ok: true, result }),
                (error: unknown) => resolve({ ok: false, error }),
            );
        } catch (error) {
            resolve({ ok: false, error });
        }
    });
}

/** Waits `ms` between attempts; a run stop ends the wait early. */
function backoff(host: TaskHost, task: Task, ms: number): Promise<unknown> {
    return new Promise<unknown>((resolve) => {
        task.settle = resolve;
        task.timer = host.clock.setTimer(() => resolve(undefined), ms);
    });
}

function cleanup(host: TaskHost, task: Task): void {
    task.settle = undefined;
    task.controller = undefined;
    if (task.timer !== undefined) {
        host.clock.clearTimer(task.timer);
        task.timer = undefined;
    }
}

function markCancelled(host: TaskHost, task: Task): void {
    task.cancelled = true;
    task.error = stepError(host.stopError!, host);
}

/** Runs `task` to its end (success, failure after retries, or cancellation). */
export async function executeTask(host: TaskHost, task: Task): Promise<void> {
    const step = task.step;
    const spec = step.spec;
    let params: Record<string, unknown>;
    try {
        const scope = task.item < 0 ? host.scope : { ...host.scope, items: { [spec.each!.name]: task.itemValue } };
        params = evaluate(spec.with, scope) as Record<string, unknown>;
    } catch (err) {
        task.error = stepError(toToolError(err), host);
        return;
    }
    const problems = validateParams(step.tool.inputSchema, params);
    if (problems.length > 0) {
        // Checked before the call: the tool never sees parameters its schema refuses.
        const list = problems.map((p) => p.message).join('; ');
        task.error = stepError(new ToolError('invalid-param', `step '${spec.id}': tool '${step.tool.id}': ${list}`), host);
        return;
    }
    const retries = spec.retry?.retries ?? 0;
    const stats = step.stats;
    for (let attempt = 0; ; attempt++) {
        if (host.stopping) {
            markCancelled(host, task);
            return;
        }
        step.attempts++;
        const t0 = host.clock.now();
        const outcome = await callOnce(host, task, params);
        cleanup(host, task);
        stats.calls++;
        stats.durations.push(host.clock.now() - t0);
        if (outcome.ok) {
            task.ok = true;
            task.output = outcome.result.output ?? null;
            task.raw = outcome.result.raw;
            return;
        }
        if (host.stopping && (outcome.error === host.stopError || host.runSignal.aborted)) {
            // Cut short by the run, not the tool's fault: not an error of the tool.
            markCancelled(host, task);
            return;
        }
        stats.errors++;
        const error = toToolError(outcome.error);
        if (attempt < retries && shouldRetry(error, host.policy)) {
            const delayMs = backoffDelay(spec.retry!.backoffMs, attempt, host.random);
            if (host.emitter) {
                const item = task.item >= 0 ? task.item : undefined;
                host.emit({ type: 'step-retrying', runId: host.runId, at: host.clock.now(), stepId: spec.id, attempt: attempt + 1, delayMs, error: stepError(error, host), item });
            }
            await backoff(host, task, delayMs);
            cleanup(host, task);
            continue;
        }
        task.error = stepError(error, host);
        return;
    }
}
