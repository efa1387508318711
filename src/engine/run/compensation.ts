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
 * - How: through the executor steps run through (`task-runner.ts`), so the step's
 *   `timeout` bounds each attempt and its `retry N backoff D` retries retryable errors,
 *   as for the step itself (`retry.ts`), on the run's clock; errors are shaped and
 *   masked the same way. Calls get their own signal (`compensation-run.ts`), since the
 *   run's is aborted after a workflow timeout.
 * - Cancelled (the run's signal aborts while compensating): the running compensation
 *   is stopped through its AbortSignal and fails with code `cancelled`, no other one
 *   starts, and the run is `cancelled`.
 * - Outcome: a compensated step's status becomes `compensated`. A compensation that
 *   fails (after its retries) leaves the step `succeeded` with `compensationError`, and
 *   the others still run; the run is then `failed` (something could not be undone),
 *   else `rolled_back`.
 *   With nothing to compensate, the run's status is what `resilient` would give.
 */
import { evaluate } from '../model/expressions.js';
import { CompensationRun } from './compensation-run.js';
import type { BoundTool } from './run-setup.js';
import type { StepState } from './run-state.js';
import type { StepError } from './run-types.js';
import { stepError } from './step-error.js';
import type { TaskHost } from './task-runner.js';
import { toToolError } from '../tools/tool-error.js';

/** What compensation needs from its run. */
export interface CompensationHost extends TaskHost {
    /** Reports one step's compensation (events, journal). */
    compensated(step: StepState, ok: boolean, error: StepError | undefined): void;
}

export interface CompensationOutcome {
    /** Steps whose compensation ran. */
    ran: number;
    failed: number;
    /** The run was cancelled before every compensation due had run. */
    cancelled: boolean;
}

/** Compensates the succeeded steps of `completed`, last first; `signal` cancels. */
export async function compensate(host: CompensationHost, completed: readonly StepState[], tools: ReadonlyArray<BoundTool | undefined>, signal?: AbortSignal): Promise<CompensationOutcome> {
    const outcome: CompensationOutcome = { ran: 0, failed: 0, cancelled: false };
    const runner = new CompensationRun(host, signal);
    try {
        for (let k = completed.length - 1; k >= 0 && !runner.cancelled; k--) {
            const step = completed[k]!;
            const bound = tools[step.index];
            if (step.status !== 'succeeded' || !step.spec.compensate || !bound) {
                continue;
            }
            outcome.ran++;
            const error = await compensateStep(runner, step, bound);
            if (error) {
                outcome.failed++;
                step.compensationError = error;
            } else {
                step.status = 'compensated';
            }
            host.compensated(step, error === undefined, error);
        }
    } finally {
        runner.close();
    }
    outcome.cancelled = runner.cancelled;
    return outcome;
}

/** One step's compensation; a fan-out's once per item, last item first, up to the first failure. */
async function compensateStep(runner: CompensationRun, step: StepState, bound: BoundTool): Promise<StepError | undefined> {
    const each = step.spec.each;
    if (!each) {
        const task = await runner.compensate(step, bound, -1, undefined);
        return task.ok ? undefined : task.error;
    }
    let items: unknown;
    try {
        items = evaluate(each.items, runner.scope);
    } catch (err) {
        return stepError(toToolError(err), runner.redactor);
    }
    const list = Array.isArray(items) ? items : [];
    for (let i = list.length - 1; i >= 0; i--) {
        const task = await runner.compensate(step, bound, i, list[i]);
        if (!task.ok) {
            return task.error;
        }
    }
    return undefined;
}
