/**
 * Gives the time and priority fields of step states and tasks their final V8
 * representation before the first real instance exists.
 *
 * V8 gives a field the representation of the first value stored in it: the `-1` and `0`
 * the classes start with make `startedAt`, `endedAt` and `key1` small-integer fields. The first clock reading (a fraction: `performance.now()`) or
 * priority stored in one deprecates the shape, and every instance alive then (all the
 * steps of a run: 10,000 of them) is migrated on its next access, once per such field:
 * ~30 ms of a 10k-step run's first run in a process. A throwaway instance given fractions
 * first makes those fields fractional from the start, for every instance after it.
 */
import type { StepSpec, ToolDescriptor } from '../model/model.js';
import { StepState, Task, type TaskRun } from './run-state.js';

/** A value no small integer is, so the fields it is stored in are doubles (boxed) from then on. */
const FRACTION = 0.5;

let done = false;

/** Idempotent; call before the first StepState of the process is built. */
export function doubleFields(): void {
    if (done) {
        return;
    }
    done = true;
    const step = new StepState(-1, { id: '' } as StepSpec, {} as ToolDescriptor, undefined as never, undefined as never, undefined as never);
    step.startedAt = FRACTION;
    step.endedAt = FRACTION;
    const task = new Task({} as TaskRun, step, -1, undefined, FRACTION);
    task.startedAt = FRACTION;
    task.endedAt = FRACTION;
}
