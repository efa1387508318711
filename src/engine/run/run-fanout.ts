/**
 * Fan-outs during a run: a step's `each` items become tasks, items end one by one, and
 * under `mode pipeline` an item that ends feeds the same item of the stages that
 * stream from it (`pipeline.ts` says which). Functions over the few things of the run
 * they touch, so the run's own file keeps to the scheduling core.
 */
import { FanOutItems, type StepState } from './run-state.js';
import type { RunEvent, StepError, StepStatus } from './run-types.js';
import type { Clock } from './clock.js';

/** What fan-out handling needs from its run. */
export interface FanOutHost {
    readonly clock: Clock;
    readonly runId: string;
    readonly emitter: unknown;
    readonly stopping: unknown;
    /** Dependencies not finished yet, per step index. */
    readonly remaining: Int32Array;
    /** Steps whose dependencies are all done, to activate. */
    readonly activations: StepState[];
    emit(event: RunEvent): void;
    pushTask(step: StepState, item: number, value: unknown): void;
    finishStep(step: StepState, status: StepStatus): void;
}

/**
 * Makes a fan-out's `n` items tasks: all of `items` at once, or (streaming from
 * `from`) those whose upstream item is done; the rest follow as their upstream items
 * end (`itemEnded`). A step that others stream from releases them now: its item count
 * is what they need to start.
 */
export function expand(host: FanOutHost, step: StepState, n: number, from: StepState | undefined, items?: unknown[]): void {
    step.items = n;
    step.fan = new FanOutItems(n, step.streamTo !== undefined);
    step.status = 'ready';
    if (step.streamTo) {
        for (const d of step.streamTo) {
            if (d.status === 'pending' && --host.remaining[d.index]! === 0) {
                host.activations.push(d);
            }
        }
    }
    if (!from) {
        for (let i = 0; i < n; i++) {
            host.pushTask(step, i, items![i]);
        }
        return;
    }
    const upstream = from.fan!;
    for (let i = 0; i < n && step.status === 'ready'; i++) {
        if (upstream.status![i] === 1) {
            host.pushTask(step, i, upstream.outputs[i]);
        } else if (upstream.status![i] === 2) {
            itemEnded(host, step, i, false, null, upstreamError(from, i));
        }
    }
}

/**
 * One item is over: record it, feed the stages streaming from this step, and finish
 * the step after its last item. `stopped`: the run stopped the item (no streaming).
 */
export function itemEnded(host: FanOutHost, step: StepState, i: number, ok: boolean, output: unknown, error: StepError | undefined, stopped?: StepStatus): void {
    const fan = step.fan!;
    fan.outputs[i] = output;
    if (!ok && step.error === undefined) {
        step.error = error;
    }
    fan.left--;
    if (host.emitter && stopped === undefined) {
        host.emit({ type: 'step-progress', runId: host.runId, at: host.clock.now(), stepId: step.spec.id, progress: step.items - fan.left, total: step.items, item: i });
    }
    if (fan.status) {
        fan.status[i] = ok ? 1 : 2;
        if (stopped === undefined && !host.stopping) {
            for (const d of step.streamTo!) {
                // Only stages already expanded as streams (not pending, items left).
                if (d.streamFrom === step && d.fan !== undefined && d.status !== 'pending' && d.fan.left > 0) {
                    if (ok) {
                        host.pushTask(d, i, output);
                    } else {
                        itemEnded(host, d, i, false, null, upstreamError(step, i));
                    }
                }
            }
        }
    }
    if (fan.left === 0) {
        step.output = fan.outputs;
        host.finishStep(step, stopped ?? (step.error === undefined ? 'succeeded' : 'failed'));
    }
}

function upstreamError(from: StepState, i: number): StepError {
    return { message: `item ${i} of step '${from.spec.id}' did not succeed`, code: 'dependency-failed', retryable: false };
}
