/**
 * Runs one task (a step's tool call, or one fan-out item's): evaluates and validates
 * its parameters, calls the tool through its connector under the step timeout, and
 * retries with backoff. Never throws; the outcome is left on the Task and handed to
 * `host.taskEnded`, unless a run stop already ended the task (`task.done`).
 */
import type { RunCache } from './cache/run-cache.js';
import { evaluate, type EvalScope } from './expressions.js';
import type { ErrorPolicy } from './model.js';
import { validateParams } from './param-schema.js';
import type { Redactor } from './redaction.js';
import type { ToolResult } from './registry.js';
import { backoffDelay, shouldRetry } from './retry.js';
import type { Task, TaskRun } from './run-state.js';
import type { StepError } from './run-types.js';
import { ToolError, toToolError } from './tool-error.js';

/** What a task needs from its run. */
export interface TaskHost extends TaskRun {
    readonly policy: ErrorPolicy;
    readonly random: () => number;
    readonly redactor: Redactor;
    readonly scope: EvalScope;
    readonly stopping: unknown;
    /** Set when some step may use the cache. */
    readonly cache: RunCache | undefined;
    /** Set when something (the adaptive limit) wants every call's outcome and latency. */
    readonly callEnded: ((task: Task, ok: boolean, ms: number) => void) | undefined;
    /** The task is over (its outcome is on it). */
    taskEnded(task: Task): void;
}

/** A StepError from a ToolError, secret values masked. */
export function stepError(error: ToolError, redactor: Redactor): StepError {
    const message = redactor.active ? redactor.text(error.message) : error.message;
    return { message, code: error.code, retryable: error.retryable };
}

/**
 * A call with a step timeout: its own AbortController and a timer that settles the
 * wait early. (Calls without a timeout are awaited directly: cheaper, and a run stop
 * ends the task without waiting for them.)
 */
function callWithTimeout(host: TaskHost, task: Task, params: Record<string, unknown>, timeoutMs: number): Promise<void> {
    const step = task.step;
    return new Promise<void>((resolve) => {
        let settled = false;
        const settle = (ok: boolean, value: unknown): void => {
            if (!settled) {
                settled = true;
                task.callOk = ok;
                task.callValue = value;
                resolve();
            }
        };
        task.settle = settle;
        const controller = new AbortController();
        task.controller = controller;
        task.signal = controller.signal;
        task.timer = host.clock.setTimer(() => {
            const error = new ToolError('timeout', `step '${step.spec.id}' timed out after ${timeoutMs} ms`);
            controller.abort(error);
            settle(false, error);
        }, timeoutMs);
        try {
            step.connector.call(step.tool, params, task).then(
                (result) => settle(true, result),
                (error: unknown) => settle(false, error),
            );
        } catch (error) {
            settle(false, error);
        }
    });
}

/** Waits `ms` between attempts; a run stop ends the wait early (through `task.settle`). */
function backoff(host: TaskHost, task: Task, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
        task.settle = () => resolve();
        task.timer = host.clock.setTimer(resolve, ms);
    });
}

function cleanup(host: TaskHost, task: Task): void {
    task.settle = undefined;
    task.controller = undefined;
    task.signal = host.runSignal;
    if (task.timer !== undefined) {
        host.clock.clearTimer(task.timer);
        task.timer = undefined;
    }
}

function end(host: TaskHost, task: Task): void {
    task.done = true;
    task.endedAt = host.clock.now();
    host.taskEnded(task);
}

/** Runs `task` to its end (success, failure after retries), then reports it. */
export async function executeTask(host: TaskHost, task: Task): Promise<void> {
    const step = task.step;
    const spec = step.spec;
    let params: Record<string, unknown>;
    try {
        params = taskParams(host, task);
    } catch (err) {
        task.error = stepError(toToolError(err), host.redactor);
        end(host, task);
        return;
    }
    let key: string | undefined;
    if (step.cacheable) {
        key = host.cache!.keyFor(step.tool, params);
        if (key !== undefined) {
            const known = host.cache!.lookup(key);
            const hit = known instanceof Promise ? await known : known;
            if (task.done) {
                return; // stopped while waiting for an identical call
            }
            if (hit) {
                task.ok = true;
                task.cached = true;
                task.output = hit.output;
                end(host, task);
                return;
            }
            if (known === undefined) {
                host.cache!.begin(key);
            } else {
                key = undefined; // the identical call failed: call, but do not lead
            }
        }
    }
    const timeoutMs = spec.timeoutMs;
    const retries = spec.retry?.retries ?? 0;
    const stats = step.stats;
    for (let attempt = 0; ; attempt++) {
        step.attempts++;
        const t0 = attempt === 0 ? task.startedAt : host.clock.now();
        let ok: boolean;
        let value: unknown;
        if (timeoutMs === undefined) {
            try {
                value = await step.connector.call(step.tool, params, task);
                ok = true;
            } catch (err) {
                value = err;
                ok = false;
            }
        } else {
            await callWithTimeout(host, task, params, timeoutMs);
            cleanup(host, task);
            ok = task.callOk;
            value = task.callValue;
        }
        if (task.done) {
            // A run stop ended this task already; its call is not counted.
            if (key !== undefined) {
                host.cache!.settle(key, step.tool, false, undefined);
            }
            return;
        }
        stats.calls++;
        const t1 = host.clock.now();
        stats.durations.push(t1 - t0);
        host.callEnded?.(task, ok, t1 - t0);
        if (ok) {
            const result = value as ToolResult | undefined;
            task.ok = true;
            task.output = result?.output ?? null;
            task.raw = result?.raw;
            if (key !== undefined) {
                host.cache!.settle(key, step.tool, true, task.output);
            }
            task.done = true;
            task.endedAt = t1;
            host.taskEnded(task);
            return;
        }
        stats.errors++;
        const error = toToolError(value);
        if (attempt < retries && shouldRetry(error, host.policy)) {
            const delayMs = backoffDelay(spec.retry!.backoffMs, attempt, host.random);
            if (host.emitter) {
                const item = task.item >= 0 ? task.item : undefined;
                host.emit({ type: 'step-retrying', runId: host.runId, at: t1, stepId: spec.id, attempt: attempt + 1, delayMs, error: stepError(error, host.redactor), item });
            }
            await backoff(host, task, delayMs);
            cleanup(host, task);
            if (task.done) {
                if (key !== undefined) {
                    host.cache!.settle(key, step.tool, false, undefined);
                }
                return;
            }
            continue;
        }
        if (key !== undefined) {
            host.cache!.settle(key, step.tool, false, undefined);
        }
        task.error = stepError(error, host.redactor);
        end(host, task);
        return;
    }
}

/**
 * The task's parameters, evaluated and checked against the tool's schema before the
 * call: the tool never sees parameters its schema refuses. An empty `with` without a
 * schema skips the evaluation (connectors may own the object they get: a fresh one).
 */
function taskParams(host: TaskHost, task: Task): Record<string, unknown> {
    const step = task.step;
    const spec = step.spec;
    const schema = step.tool.inputSchema;
    const w = spec.with;
    if (w.kind === 'object' && w.entries.length === 0 && !schema) {
        return {};
    }
    const scope = task.item < 0 ? host.scope : { ...host.scope, items: { [spec.each!.name]: task.itemValue } };
    const params = evaluate(w, scope) as Record<string, unknown>;
    const problems = schema ? validateParams(schema, params) : undefined;
    if (problems && problems.length > 0) {
        const list = problems.map((p) => p.message).join('; ');
        throw new ToolError('invalid-param', `step '${spec.id}': tool '${step.tool.id}': ${list}`);
    }
    return params;
}
