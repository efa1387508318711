/**
 * Hashes of a workflow for the journal: a resume is refused when the workflow's steps
 * or inputs changed since the journaled run, and the per-step hashes say which.
 * Source locations are left out: moving a step in the file or adding a comment above
 * it changes nothing that ran.
 */
import { canonicalJson, sha256 } from '../cache/canonical.js';
import type { WorkflowSpec } from '../../model/model.js';

const LOCATION = new Set(['location']);

export interface WorkflowHashes {
    spec: string;
    steps: Record<string, string>;
}

export function workflowHashes(workflow: WorkflowSpec): WorkflowHashes {
    const steps: Record<string, string> = {};
    for (const step of workflow.steps) {
        steps[step.id] = sha256(canonicalJson(step, LOCATION));
    }
    const inputs = sha256(canonicalJson(workflow.inputs, LOCATION));
    const spec = sha256(canonicalJson({ id: workflow.id, inputs, steps: workflow.steps.map((s) => steps[s.id]) }));
    return { spec, steps };
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
