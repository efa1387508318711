/**
 * Hashes of a workflow for the journal: a resume is refused when the workflow's steps
 * or inputs changed since the journaled run, and the per-step hashes say which.
 * Source locations are left out: moving a step in the file or adding a comment above
 * it changes nothing that ran.
 *
 * Journals from version 3 hash each step's JSON as the model builds it (one native
 * `JSON.stringify` a step; the model's key order is fixed), and keep 16 hex digits of
 * each step's hash in the header. Earlier journals hashed canonical JSON (keys sorted
 * into copies at every depth: three times the cost, on every journaled run of a 10k-step
 * workflow); a resume from one of them hashes the workflow that way again
 * (`legacyWorkflowHashes`), once.
 */
import { canonicalJson, sha256 } from '../cache/canonical.js';
import type { StepSpec, WorkflowSpec } from '../../model/model.js';

const LOCATION = new Set(['location']);

/** Hex digits of a step's hash kept (64 bits: a change detector, not a signature). */
const STEP_HASH_DIGITS = 16;

export interface WorkflowHashes {
    spec: string;
    steps: Record<string, string>;
}

/** The hashes journals of version 3 and later hold. */
export function workflowHashes(workflow: WorkflowSpec): WorkflowHashes {
    return hashesOf(workflow, (step) => sha256(JSON.stringify(withoutLocation(step))).slice(0, STEP_HASH_DIGITS));
}

/** The hashes journals before version 3 hold: canonical JSON of each step, full SHA-256. */
export function legacyWorkflowHashes(workflow: WorkflowSpec): WorkflowHashes {
    return hashesOf(workflow, (step) => sha256(canonicalJson(step, LOCATION)));
}

function hashesOf(workflow: WorkflowSpec, stepHash: (step: StepSpec) => string): WorkflowHashes {
    const steps: Record<string, string> = {};
    for (const step of workflow.steps) {
        steps[step.id] = stepHash(step);
    }
    const inputs = sha256(canonicalJson(workflow.inputs, LOCATION));
    const spec = sha256(canonicalJson({ id: workflow.id, inputs, steps: workflow.steps.map((s) => steps[s.id]) }));
    return { spec, steps };
}

/** A shallow copy without `location` (the only member of a step that says where, not what). */
function withoutLocation(step: StepSpec): StepSpec {
    return step.location === undefined ? step : { ...step, location: undefined };
}

/** What changed between two hash sets, in words ("step 'b' changed, step 'c' added"). */
export function describeChange(before: { specHash: string; stepHashes: Record<string, string> }, now: WorkflowHashes): string {
    const parts: string[] = [];
    for (const [id, hash] of Object.entries(now.steps)) {
        const old = before.stepHashes[id];
        if (old === undefined) {
            parts.push(`step '${id}' added`);
        } else if (old !== hash) {
            parts.push(`step '${id}' changed`);
        }
    }
    for (const id of Object.keys(before.stepHashes)) {
        if (!(id in now.steps)) {
            parts.push(`step '${id}' removed`);
        }
    }
    if (parts.length === 0) {
        const sameOrder = Object.keys(before.stepHashes).join() === Object.keys(now.steps).join();
        parts.push(sameOrder ? 'its inputs changed' : 'its steps were reordered');
    }
    return parts.join(', ');
}
