/**
 * `errors recovery`: after a failure, the `compensate` actions of the steps that
 * succeeded run in reverse completion order (a saga), one at a time.
 *
 * - When: at the end of a run in which a step failed or the workflow timed out. Not
 *   on cancellation (a user who cancels decides what to undo). Like `resilient`, the
 *   rest of the run goes on first, so everything that completed is undone.
 * - What: `compensate uses TOOL { with {...} }`, evaluated with the run's scope (the
 *   step's own output is `STEP.output`). For a fan-out, once per item, last item
 *   first, with the item variable bound.
 * - How: the step's `timeout` and `retry` apply; calls get their own signal, since the
 *   run's is aborted after a workflow timeout.
 * - Outcome: a compensated step's status becomes `compensated`. A compensation that
 *   fails leaves the step `succeeded` with `compensationError`, and the others still
 *   run; the run is then `failed` (something could not be undone), else `rolled_back`.
 *   With nothing to compensate, the run's status is what `resilient` would give.
 */
import { evaluate } from '../model/expressions.js';
import { validateParams } from '../model/param-schema.js';
import { backoffDelay } from './retry.js';
import type { BoundTool } from './run-setup.js';
import { Task, type StepState } from './run-state.js';
import type { StepError } from './run-types.js';
import { stepError, type TaskHost } from './task-runner.js';
import { ToolError, toToolError } from '../tools/tool-error.js';

/** What compensation needs from its run. */
export interface CompensationHost extends TaskHost {
    /** Reports one step's compensation (events, journal). */
    compensated(step: StepState, ok: boolean, error: StepError | undefined): void;
}

export interface CompensationOutcome {
    /** Steps whose compensation ran. */
    ran: number;
    failed: number;
}

export async function compensate(host: CompensationHost, completed: readonly StepState[], tools: ReadonlyArray<BoundTool | undefined>): Promise<CompensationOutcome> {
    const outcome: CompensationOutcome = { ran: 0, failed: 0 };
    for (let k = completed.length - 1; k >= 0; k--) {
        const step = completed[k]!;
        const bound = tools[step.index];
        if (step.status !== 'succeeded' || !step.spec.compensate || !bound) {
            continue;
        }
        outcome.ran++;
        let error: StepError | undefined;
        try {
            const each = step.spec.each;
            if (each) {
                const items = evaluate(each.items, host.scope);
                const list = Array.isArray(items) ? items : [];
                for (let i = list.length - 1; i >= 0; i--) {
                    await compensateOne(host, step, bound, i, list[i]);
                }
            } else {
                await compensateOne(host, step, bound, -1, undefined);
            }
        } catch (err) {
            error = stepError(toToolError(err), host.redactor);
        }
        if (error) {
            outcome.failed++;
            step.compensationError = error;
        } else {
            step.status = 'compensated';
        }
        host.compensated(step, error === undefined, error);
    }
    return outcome;
}

async function compensateOne(host: CompensationHost, step: StepState, bound: BoundTool, item: number, value: unknown): Promise<void> {
    const spec = step.spec;
    const call = spec.compensate!;
    const scope = item < 0 ? host.scope : { ...host.scope, items: { [spec.each!.name]: value } };
    const params = evaluate(call.with, scope) as Record<string, unknown>;
    const schema = bound.tool.inputSchema;
    const problems = schema ? validateParams(schema, params) : undefined;
    if (problems && problems.length > 0) {
        throw new ToolError('invalid-param', `compensation of step '${spec.id}': tool '${bound.tool.id}': ${problems.map((p) => p.message).join('; ')}`);
    }
    const ctx = new Task(host, step, item, value, 0);
    const retries = spec.retry?.retries ?? 0;
    for (let attempt = 0; ; attempt++) {
        try {
            await callOnce(host, bound, params, ctx, spec.timeoutMs);
            return;
        } catch (err) {
            const error = toToolError(err);
            if (attempt >= retries || !error.retryable) {
                throw error;
            }
            await new Promise<void>((resolve) => host.clock.setTimer(resolve, backoffDelay(spec.retry!.backoffMs, attempt, host.random)));
        }
    }
}

function callOnce(host: CompensationHost, bound: BoundTool, params: Record<string, unknown>, ctx: Task, timeoutMs: number | undefined): Promise<unknown> {
    const controller = new AbortController();
    ctx.signal = controller.signal;
    const call = bound.connector.call(bound.tool, params, ctx);
    if (timeoutMs === undefined) {
        return call;
    }
    return new Promise((resolve, reject) => {
        const timer = host.clock.setTimer(() => {
            const error = new ToolError('timeout', `compensation of step '${ctx.stepId}' timed out after ${timeoutMs} ms`);
            controller.abort(error);
            reject(error);
        }, timeoutMs);
        call.then(
            (v) => { host.clock.clearTimer(timer); resolve(v); },
            (e: unknown) => { host.clock.clearTimer(timer); reject(e); },
        );
    });
}
