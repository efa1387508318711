/**
 * Resuming a run from its journal: which steps are done already (succeeded, or
 * skipped by a false `when`) with their recorded outputs, and the checks that make
 * reusing them safe: same workflow, same steps and inputs declarations, same input
 * values.
 *
 * Semantics: a step that finished before the kill is never run again. A step that
 * was in flight (started, not finished in the journal) runs again: its side effect
 * may happen twice (at-least-once), as with any journal-based engine that cannot
 * make a tool's effect and the journal line one atomic write. Fan-out items are
 * journaled with their step, so a fan-out interrupted halfway reruns all its items.
 * Recorded outputs are the masked ones: a secret inside a restored output reads as
 * `***` downstream. Secrets are never journaled: a resumed run reads them again (the
 * environment, the secret store, `--input` for an input declared `secret`), and a step
 * computed from a secret (`secret: true`, its output `***`) runs again when a step
 * still to run reads it.
 */
import { referencedSteps } from '../../model/expression-refs.js';
import { buildGraph } from '../../graph/graph.js';
import { MASK } from '../../security/redaction.js';
import { RunSetupError } from '../../run/run-setup.js';
import type { WorkflowSpec } from '../../model/model.js';
import { resumeJournal } from './resume-journal.js';
import type { StepFinishedRecord } from './records.js';
import { describeChange, legacyWorkflowHashes, type WorkflowHashes } from './spec-hash.js';

export interface ResumePoint {
    /** The run resumed. */
    runId: string;
    file: string;
    /** Done steps by id. */
    done: Map<string, StepFinishedRecord>;
    /** Inputs to run with: the journaled ones, checked against those given. */
    inputs: Record<string, unknown>;
    /** For the user: journals `last` passed over, damaged lines a lenient resume ignored. */
    warnings: string[];
}

export function loadResumePoint(
    dir: string,
    runId: string,
    workflow: WorkflowSpec,
    /** `workflowHashes(workflow)`; a journal from before version 3 is checked against `legacyWorkflowHashes` instead. */
    hashes: WorkflowHashes,
    given: Readonly<Record<string, unknown>> | undefined,
    /** Resume from the intact records of a damaged journal instead of refusing (`resume-journal.ts`). */
    lenient = false,
    /** This step and its transitive dependants run again even if they completed. */
    rerunFrom?: string,
): ResumePoint {
    const { journal, warnings } = resumeJournal(dir, runId, workflow.id, lenient);
    const file = journal.file;
    const header = journal.header;
    if (header.workflow !== workflow.id) {
        throw new RunSetupError('resume-mismatch', `cannot resume run '${header.runId}': it ran workflow '${header.workflow}', not '${workflow.id}'`);
    }
    const now = header.version >= 3 ? hashes : legacyWorkflowHashes(workflow);
    if (header.specHash !== now.spec) {
        throw new RunSetupError(
            'resume-mismatch',
            `cannot resume run '${header.runId}': workflow '${workflow.id}' changed since (${describeChange(header, now)}); run it afresh`,
        );
    }
    const inputs: Record<string, unknown> = { ...header.inputs };
    for (const [name, value] of Object.entries(given ?? {})) {
        if (name in inputs && inputs[name] !== MASK && JSON.stringify(inputs[name]) !== JSON.stringify(value)) {
            throw new RunSetupError('resume-mismatch', `cannot resume run '${header.runId}': input '${name}' was ${JSON.stringify(inputs[name])}, now ${JSON.stringify(value)}`);
        }
        inputs[name] = value;
    }
    for (const [name, value] of Object.entries(inputs)) {
        if (value === MASK && !(given && name in given)) {
            throw new RunSetupError('resume-mismatch', `cannot resume run '${header.runId}': input '${name}' held a secret, which the journal never keeps; pass it again (--input ${name}=...)`);
        }
    }
    const done = new Map<string, StepFinishedRecord>();
    for (const [id, record] of journal.steps) {
        if (record.type === 'step-finished' && !record.unjournaled && (record.status === 'succeeded' || (record.status === 'skipped' && record.skippedByWhen))) {
            done.set(id, record);
        }
    }
    if (rerunFrom !== undefined) {
        rerunDownstream(workflow, done, rerunFrom);
    }
    rerunSecretSources(workflow, done);
    return { runId: header.runId, file, done, inputs, warnings };
}

/** Drops `stepId` and every step that transitively depends on it from `done`. */
function rerunDownstream(workflow: WorkflowSpec, done: Map<string, StepFinishedRecord>, stepId: string): void {
    const graph = buildGraph(workflow);
    const start = graph.index.get(stepId);
    if (start === undefined) {
        throw new RunSetupError('unknown-step', `cannot rerun from step '${stepId}': workflow '${workflow.id}' has no such step`);
    }
    const stack = [start];
    const seen = new Set<number>();
    while (stack.length > 0) {
        const i = stack.pop()!;
        if (seen.has(i)) {
            continue;
        }
        seen.add(i);
        done.delete(graph.ids[i]!);
        stack.push(...graph.dependants[i]!);
    }
}

/**
 * Drops from `done` every secret step (its journaled output is `***`) that a step still
 * to run reads: it runs again, with the secrets given to this run, so its reader gets
 * the real value. Repeated until stable, as a rerun step may read another secret one.
 */
function rerunSecretSources(workflow: WorkflowSpec, done: Map<string, StepFinishedRecord>): void {
    let changed = true;
    while (changed) {
        changed = false;
        for (const step of workflow.steps) {
            if (done.has(step.id)) {
                continue;
            }
            const reads = referencedSteps(step.with);
            referencedSteps(step.when, reads);
            referencedSteps(step.each?.items, reads);
            for (const id of reads) {
                if (done.get(id)?.secret) {
                    done.delete(id);
                    changed = true;
                }
            }
        }
    }
}
