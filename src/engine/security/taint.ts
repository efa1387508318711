/**
 * Values computed from a secret are secret too. A step is *secret* (tainted) when its
 * parameters read a secret (`secret.NAME`, an input declared `secret`), read the output
 * of a secret step, or turn out to hold a secret's value in any form once evaluated.
 * A secret step's output is shown and persisted as `***` (unless the step says
 * `public`) and never cached; expressions downstream still read the real value.
 *
 * Reading only what a step's outcome says (`ok`, `status`, `error`, `attempts`) does
 * not taint: errors are masked already, and the rest holds no data.
 */
import { forEachRef } from '../model/expression-refs.js';
import type { Expr } from '../model/model.js';
import type { Redactor } from './redaction.js';
import type { StepState } from '../run/run-state.js';

const OUTCOME_FIELDS = new Set(['ok', 'status', 'error', 'attempts']);

function readsOnlyOutcome(ref: Extract<Expr, { kind: 'ref' }>): boolean {
    const first = ref.path[0];
    return first !== undefined && 'field' in first && OUTCOME_FIELDS.has(first.field);
}

/**
 * Before the run: marks the steps whose parameters read a secret directly, and gives
 * every step the steps whose data its parameters read (`reads`). Only worth it when
 * the run has secrets at all.
 */
export function markSecretSteps(steps: readonly StepState[], secretInputs: ReadonlySet<string>): void {
    const byId = new Map(steps.map((s) => [s.spec.id, s]));
    for (const s of steps) {
        const reads = new Set<StepState>();
        let direct = false;
        const visit = (ref: Extract<Expr, { kind: 'ref' }>): void => {
            if (ref.root === 'secret' || (ref.root === 'input' && secretInputs.has(ref.name))) {
                direct = true;
            } else if (ref.root === 'step' && !readsOnlyOutcome(ref)) {
                const source = byId.get(ref.name);
                if (source && source !== s) {
                    reads.add(source);
                }
            }
        };
        forEachRef(s.spec.with, visit);
        forEachRef(s.spec.each?.items, visit);
        s.secret ||= direct;
        s.reads = reads.size > 0 ? [...reads] : undefined;
    }
}

/** At a call: a step whose evaluated parameters hold a secret, or read a secret step's output, becomes secret. */
export function taintByParams(step: StepState, params: unknown, redactor: Redactor): void {
    if (step.secret) {
        return;
    }
    if (step.reads?.some((s) => s.secret) || redactor.holds(params)) {
        step.secret = true;
    }
}
