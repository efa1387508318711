/**
 * `mode pipeline`: which fan-outs stream into which.
 *
 * A step B streams from a step A (B's item i starts as soon as A's item i succeeded,
 * not when all of A is done) exactly when:
 * - B is `each x in A.output` (the bare reference, no path, no other expression), and
 *   A is itself a fan-out (`each`), so item i of B is A's output for its item i;
 * - and B reads A nowhere else: not in `with` (it reads the item, `x`, instead), not in
 *   `when`, not in its compensation; no `after A`; no `requires` that A `ensures`.
 *   Any of those asks for A as a whole, so B waits for all of A, as in `parallel`.
 * B's other dependencies still have to finish first. Chains stream through: if C is
 * `each y in B.output` under the same rules, C's item i follows B's item i.
 *
 * When A's item i fails, B's item i does not run and fails with `dependency-failed`
 * (B then fails, like any fan-out with a failed item); B's other items go on, under
 * `resilient`; `fail_fast` stops the run at A's failure anyway.
 */
import { referencedSteps } from '../model/expression-refs.js';
import type { StreamOverlap } from '../graph/critical-path.js';
import type { WorkflowGraph } from '../graph/graph.js';
import type { StepSpec } from '../model/model.js';
import type { StepState } from './run-state.js';

/** The step each step streams from (by index), or -1. */
export function streamSources(steps: readonly StepSpec[], graph: WorkflowGraph): Int32Array {
    const from = new Int32Array(steps.length).fill(-1);
    steps.forEach((b, bi) => {
        const items = b.each?.items;
        if (!items || items.kind !== 'ref' || items.root !== 'step' || items.path.length !== 1) {
            return;
        }
        const first = items.path[0]!;
        if (!('field' in first) || first.field !== 'output') {
            return;
        }
        const ai = graph.index.get(items.name);
        if (ai === undefined || ai === bi || !steps[ai]!.each) {
            return;
        }
        const a = steps[ai]!;
        const elsewhere = referencedSteps(b.with, referencedSteps(b.when, referencedSteps(b.compensate?.with)));
        if (elsewhere.has(a.id) || b.after.includes(a.id) || b.requires.some((fact) => a.ensures.includes(fact))) {
            return;
        }
        from[bi] = ai;
    });
    return from;
}

/**
 * For the measured critical path: a step that streamed from another lengthens a path
 * through its source only by what it ran past the source's end. Undefined when no step
 * streamed.
 */
export function streamOverlaps(steps: readonly StepState[]): Array<StreamOverlap | undefined> | undefined {
    if (!steps.some((s) => s.streamFrom !== undefined)) {
        return undefined;
    }
    return steps.map((s) => s.streamFrom && { source: s.streamFrom.index, pastSourceMs: Math.max(0, s.endedAt - s.streamFrom.endedAt) });
}
