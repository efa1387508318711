/**
 * The one executor of tool calls, for steps (a step's call, or one fan-out item's) and
 * for their compensations under `errors recovery` (`compensation.ts`): evaluates and
 * validates the parameters (`task-params.ts`), calls the tool through its connector
 * under the step timeout, retries with backoff on the run's clock, and is stopped by
 * its host (`stopTask`: the call's AbortSignal is aborted). Never throws; the outcome
 * is left on the Task and handed to `host.taskEnded`, unless a stop already ended the
 * task (`task.done`).
 *
 * What only a step's own call does: the cache, the output limit (a compensation's
 * output is not kept), the tool's call statistics and the report's `attempts`, and
 * `step-retrying` events (a compensation is reported once, when it is over).
 */
import type { RunCache } from '../state/cache/run-cache.js';
import type { ErrorPolicy } from '../model/model.js';
import { jsonSize, outputTooLarge } from './output-limit.js';
import type { ToolResult } from '../tools/registry.js';
import { backoffDelay, shouldRetry } from './retry.js';
import type { Clock } from './clock.js';
import { TimedWait, type Task, type TaskRun } from './run-state.js';
import type { StepError } from './run-types.js';
import { stepError } from './step-error.js';
import { callTool, taskLabel, taskParams, type ParamsHost } from './task-params.js';
import { ToolError, toToolError } from '../tools/tool-error.js';
import { gated, passGate, type GateHost, type StepGate } from './step-gate.js';

/** What a task needs from its run. */
export interface TaskHost extends TaskRun, ParamsHost, GateHost {
    /** A debug run's step gate (`step-gate.ts`). */
    readonly gate?: StepGate;
    readonly policy: ErrorPolicy;
    readonly random: () => number;
    /** Set when some step may use the cache. */
    readonly cache: RunCache | undefined;
    /** Set when something (the adaptive limit) wants every call's outcome and latency. */
    readonly callEnded: ((task: Task, ok: boolean, ms: number) => void) | undefined;
    /** The task is over (its outcome is on it). */
    taskEnded(task: Task): void;
}

/**
 * A call with a step timeout: its own AbortController and a timer that settles the
 * wait early. (Calls without a timeout are awaited directly: cheaper, and a run stop
 * ends the task without waiting for them.)
 */
function callWithTimeout(host: TaskHost, task: Task, params: Record<string, unknown>, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
        const wait = (task.wait = new TimedWait(resolve));
        const controller = (wait.controller = new AbortController());
        task.signal = controller.signal;
        wait.timer = host.clock.setTimer(() => {
            const error = new ToolError('timeout', `${taskLabel(task)} timed out after ${timeoutMs} ms`);
            controller.abort(error);
            wait.settle(false, error);
        }, timeoutMs);
        try {
            callTool(task, params).then(
                (result) => wait.settle(true, result),
                (error: unknown) => wait.settle(false, error),
            );
        } catch (error) {
            wait.settle(false, error);
        }
    });
}

/** Waits `ms` between attempts; a stop ends the wait early (through `task.wait`). */
function backoff(host: TaskHost, task: Task, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
        const wait = (task.wait = new TimedWait(resolve));
        wait.timer = host.clock.setTimer(resolve, ms);
    });
}

/** The wait is over: the task drops it (and its timer) and calls on the run's signal again; its outcome. */
function cleanup(host: TaskHost, task: Task): TimedWait {
    const wait = task.wait!;
    task.wait = undefined;
    task.signal = host.runSignal;
    if (wait.timer !== undefined) {
        host.clock.clearTimer(wait.timer);
        wait.timer = undefined;
    }
    return wait;
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
        if (task.item < 0 && task.compensation === undefined) {
            step.params = params;
        }
    } catch (err) {
        task.error = stepError(toToolError(err), host.redactor);
        end(host, task);
        return;
    }
    const gate = host.gate;
    if (gate !== undefined && gated(task)) {
        passGate(host, gate, task, params, () => {
            task.startedAt = host.clock.now();
            if (task.item < 0) {
                step.startedAt = task.startedAt;
            }
            call(host, task, params);
        });
        return;
    }
    call(host, task, params);
}

/** The task's call, from the cache when it may and can. */
function call(host: TaskHost, task: Task, params: Record<string, unknown>): void {
    const step = task.step;
    // A step computed from a secret is never cached (`taint.ts`), nor is a compensation.
    if (!step.cacheable || step.secret || task.compensation !== undefined) {
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
    if (task.compensation === undefined) {
        step.attempts++;
    }
    const t0 = n === 0 ? task.startedAt : host.clock.now();
    const timeoutMs = step.spec.timeoutMs;
    if (timeoutMs !== undefined) {
        void callWithTimeout(host, task, params, timeoutMs).then(() => {
            const wait = cleanup(host, task);
            callEnded(host, task, params, key, n, t0, wait.ok, wait.value);
        });
        return;
    }
    let call: Promise<ToolResult>;
    try {
        call = callTool(task, params);
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
        // A stop ended this task already; its call is not counted.
        if (key !== undefined) {
            host.cache!.settle(key, step.tool, false, undefined);
        }
        return;
    }
    const own = task.compensation === undefined;
    if (ok && own) {
        const over = oversized((value as ToolResult | undefined)?.output, host.maxOutputBytes, task);
        if (over) {
            ok = false;
            value = over;
        }
    }
    const t1 = host.clock.now();
    if (own) {
        const stats = step.stats;
        stats.calls++;
        stats.durations.push(t1 - t0);
        if (!ok) {
            stats.errors++;
        }
        host.callEnded?.(task, ok, t1 - t0);
    }
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
    const retry = step.spec.retry;
    const error = toToolError(value);
    if (retry !== undefined && n < retry.retries && shouldRetry(error, host.policy)) {
        const delayMs = backoffDelay(retry.backoffMs, n, host.random);
        if (host.emitter && own) {
            const item = task.item >= 0 ? task.item : undefined;
            host.emit({ type: 'step-retrying', runId: host.runId, at: t1, stepId: step.spec.id, attempt: n + 1, delayMs, error: stepError(error, host.redactor), item });
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
 * Marks a running task ended by a stop of its host (a run stop, or a cancellation of
 * the compensations), with `error` as its outcome. Its host reports it; see `stopTask`.
 */
export function markStopped(task: Task, error: StepError, now: number): void {
    task.done = true;
    task.cancelled = true;
    task.error = error;
    task.endedAt = now;
}

/**
 * Stops what a stopped task waits for: aborts its call's own signal (calls without a
 * timeout listen on the host's `runSignal`, which the host aborts), clears its timer,
 * and wakes its runner, which sees `done` and leaves.
 */
export function stopTask(clock: Clock, task: Task, reason: ToolError): void {
    const wait = task.wait;
    if (wait === undefined) {
        return;
    }
    wait.controller?.abort(reason);
    if (wait.timer !== undefined) {
        clock.clearTimer(wait.timer);
    }
    wait.settle(false, reason);
}
