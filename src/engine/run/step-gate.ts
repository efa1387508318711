/**
 * The step gate of a debug run (`RunOptions.gate`): before a step's call, once its
 * dependencies are done and its parameters are evaluated and checked, the run awaits
 * the gate, which answers `go` (the call is made) or `cancel` (the run stops as a
 * cancellation does). A debug run takes its steps one at a time, in file order (as
 * `mode sequential` without parallel groups), so one step is current while it waits.
 *
 * What the gate is given is masked as a report is: parameters with every secret value
 * (and its forms) as `***`, outputs of steps computed from a secret as `***`. A
 * fan-out is gated once, before its first item; compensations are not gated. Time spent
 * at the gate is not the step's: its start is taken again when the gate says `go`.
 */
import type { SourceLocation } from '../model/model.js';
import type { EvalScope } from '../model/expressions.js';
import type { Redactor } from '../security/redaction.js';
import { SecretSink } from '../security/secret-sink.js';
import type { StepState, Task } from './run-state.js';

/** What the gate answers: make the call, or cancel the run. */
export type GateDecision = 'go' | 'cancel';

/** The step at the gate. */
export interface GateStep {
    readonly id: string;
    /** The tool it calls. */
    readonly tool: string;
    /** Where the step is declared, when the model knows. */
    readonly location?: SourceLocation;
    /** The first item's index, for a fan-out. */
    readonly item?: number;
    /** The outputs of the steps finished so far (succeeded or failed), by step id, masked. */
    outputs(): Record<string, unknown>;
}

/** Awaited before each step's call in a debug run; `params` are masked. */
export type StepGate = (step: GateStep, params: Readonly<Record<string, unknown>>) => Promise<GateDecision>;

/** What the gate needs of its run. */
export interface GateHost {
    readonly redactor: Redactor;
    readonly scope: EvalScope;
    /** Stops the run as cancelled (an external cancellation's way); a run's host has it. */
    cancelRun?(message: string): void;
}

/** Whether `task` stops at the gate: a step's own call, a fan-out's first item only. */
export function gated(task: Task): boolean {
    return task.compensation === undefined && task.item <= 0;
}

/**
 * Awaits `gate` for `task`, then `proceed()` on `go`, or cancels the run. Nothing happens
 * when a stop ended the task while it waited (the stop reported it already).
 */
export function passGate(host: GateHost, gate: StepGate, task: Task, params: Record<string, unknown>, proceed: () => void): void {
    const step = task.step;
    const view: GateStep = {
        id: step.spec.id,
        tool: step.tool.id,
        ...(step.spec.location && { location: step.spec.location }),
        ...(task.item >= 0 && { item: task.item }),
        outputs: () => finishedOutputs(host),
    };
    let decision: Promise<GateDecision>;
    try {
        decision = gate(view, host.redactor.value(params));
    } catch (err) {
        decision = Promise.reject(err);
    }
    decision.then(
        (answer) => {
            if (task.done) {
                return;
            }
            if (answer === 'go') {
                proceed();
            } else {
                host.cancelRun?.(`the run was cancelled at step '${step.spec.id}'`);
            }
        },
        (err: unknown) => {
            if (!task.done) {
                host.cancelRun?.(`the debugger failed at step '${step.spec.id}': ${host.redactor.text(err instanceof Error ? err.message : String(err))}`);
            }
        },
    );
}

function finishedOutputs(host: GateHost): Record<string, unknown> {
    const sink = host.redactor;
    const out: Record<string, unknown> = {};
    host.scope.steps.forEach((view, id) => {
        const s = view as StepState;
        if (s.status === 'succeeded' || s.status === 'failed') {
            out[id] = sink instanceof SecretSink ? sink.output(s) : sink.value(s.output ?? null);
        }
    });
    return out;
}
