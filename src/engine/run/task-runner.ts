/**
 * Runs one task (a step's tool call, or one fan-out item's): evaluates and validates
 * its parameters, calls the tool through its connector under the step timeout, and
 * retries with backoff. Never throws; the outcome is left on the Task and handed to
 * `host.taskEnded`, unless a run stop already ended the task (`task.done`).
 */
import type { RunCache } from '../state/cache/run-cache.js';
import { evaluate, type EvalScope } from '../model/expressions.js';
import type { ErrorPolicy } from '../model/model.js';
import { jsonSize, outputTooLarge } from './output-limit.js';
import { validateParams } from '../model/param-schema.js';
import type { Redactor } from '../security/redaction.js';
import type { ToolResult } from '../tools/registry.js';
import { backoffDelay, shouldRetry } from './retry.js';
import { taintByParams } from '../security/taint.js';
import type { Task, TaskRun } from './run-state.js';
import type { StepError } from './run-types.js';
import { ToolError, toToolError } from '../tools/tool-error.js';

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
    const mask = (text: string): string => redactor.active ? redactor.text(text) : text;
    const out: StepError = { message: mask(error.message), code: error.code, retryable: error.retryable };
    if (error.advice !== undefined) {
        out.advice = mask(error.advice);
    }
    if (error.details !== undefined) {
        out.details = redactor.value(error.details);
    }
    return out;
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

/**
 * Runs `task` to its end (success, or failure after retries), then reports it.
 *
 * Written as a chain of callbacks rather than one async function: a no-op step then
 * costs one promise reaction instead of an async frame, its promise and the await's,
 * which was a third of the scheduler's garbage on 10k-step runs.
 */
export function executeTask(host: TaskHost, task: Task): void {
    const step = task.step;
    let params: Record<string, unknown>;
    try {
        params = taskParams(host, task);
    } catch (err) {
        task.error = stepError(toToolError(err), host.redactor);
        end(host, task);
        return;
    }
    // A step computed from a secret is never cached (`taint.ts`).
    if (!step.cacheable || step.secret) {
        attempt(host, task, params, undefined, 0);
        return;
    }
    const key = host.cache!.keyFor(step.tool, params);
    if (key === undefined) {
        attempt(host, task, params, undefined, 0);
        return;
    }
    const known = host.cache!.lookup(key);
    if (known === undefined) {
        host.cache!.begin(key);
        attempt(host, task, params, key, 0);
    } else if (known instanceof Promise) {
        // An identical call is running: wait for it; if it fails, call (but do not lead).
        void known.then((hit) => {
            if (!task.done) {
                if (hit) {
                    cacheHit(host, task, hit.output);
                } else {
                    attempt(host, task, params, undefined, 0);
                }
            }
        });
    } else {
        cacheHit(host, task, known.output);
    }
}

function cacheHit(host: TaskHost, task: Task, output: unknown): void {
    task.ok = true;
    task.cached = true;
    task.output = output;
    end(host, task);
}

/** Call number `n` (0 = first) of the task. */
function attempt(host: TaskHost, task: Task, params: Record<string, unknown>, key: string | undefined, n: number): void {
    const step = task.step;
    step.attempts++;
    const t0 = n === 0 ? task.startedAt : host.clock.now();
    const timeoutMs = step.spec.timeoutMs;
    if (timeoutMs !== undefined) {
        void callWithTimeout(host, task, params, timeoutMs).then(() => {
            cleanup(host, task);
            callEnded(host, task, params, key, n, t0, task.callOk, task.callValue);
        });
        return;
    }
    let call: Promise<ToolResult>;
    try {
        call = step.connector.call(step.tool, params, task);
    } catch (err) {
        call = Promise.reject(err);
    }
    call.then(
        (result) => callEnded(host, task, params, key, n, t0, true, result),
        (err: unknown) => callEnded(host, task, params, key, n, t0, false, err),
    );
}

/** One call is over: success ends the task; a failure retries or ends it. */
function callEnded(host: TaskHost, task: Task, params: Record<string, unknown>, key: string | undefined, n: number, t0: number, ok: boolean, value: unknown): void {
    const step = task.step;
    if (task.done) {
        // A run stop ended this task already; its call is not counted.
        if (key !== undefined) {
            host.cache!.settle(key, step.tool, false, undefined);
        }
        return;
    }
    if (ok) {
        const over = oversized((value as ToolResult | undefined)?.output, host.maxOutputBytes, task);
        if (over) {
            ok = false;
            value = over;
        }
    }
    const stats = step.stats;
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
    const spec = step.spec;
    const error = toToolError(value);
    if (n < (spec.retry?.retries ?? 0) && shouldRetry(error, host.policy)) {
        const delayMs = backoffDelay(spec.retry!.backoffMs, n, host.random);
        if (host.emitter) {
            const item = task.item >= 0 ? task.item : undefined;
            host.emit({ type: 'step-retrying', runId: host.runId, at: t1, stepId: spec.id, attempt: n + 1, delayMs, error: stepError(error, host.redactor), item });
        }
        void backoff(host, task, delayMs).then(() => {
            cleanup(host, task);
            if (task.done) {
                if (key !== undefined) {
                    host.cache!.settle(key, step.tool, false, undefined);
                }
                return;
            }
            attempt(host, task, params, key, n + 1);
        });
        return;
    }
    if (key !== undefined) {
        host.cache!.settle(key, step.tool, false, undefined);
    }
    task.error = stepError(error, host.redactor);
    end(host, task);
}

/** The `output-too-large` error of an output over `limit` (`output-limit.ts`), if it is. */
function oversized(output: unknown, limit: number, task: Task): ToolError | undefined {
    if (output === null || output === undefined || typeof output === 'number' || typeof output === 'boolean') {
        return undefined;
    }
    const bytes = jsonSize(output);
    if (bytes <= limit) {
        return undefined;
    }
    const item = task.item >= 0 ? ` (item ${task.item})` : '';
    return outputTooLarge(`step '${task.step.spec.id}'${item}: the output of '${task.step.tool.id}'`, bytes, limit);
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
    if (host.redactor.active) {
        taintByParams(step, params, host.redactor);
    }
    const problems = schema ? validateParams(schema, params) : undefined;
    if (problems && problems.length > 0) {
        const list = problems.map((p) => p.message).join('; ');
        throw new ToolError('invalid-param', `step '${spec.id}': tool '${step.tool.id}': ${list}`);
    }
    return params;
}
