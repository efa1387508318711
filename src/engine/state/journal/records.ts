/**
 * The journal's line format: one JSON object a line, appended in event order, each
 * sealed with a checksum (`line-seal.ts`: `{"sum":"…",` then the record's fields). Secret
 * values are masked (`***`) in everything recorded, like in the report.
 */
import type { WorkflowSettings } from '../../model/model.js';
import type { RunReport, RunStatus, StepError, StepStatus } from '../../run/run-types.js';

/**
 * Format version, in every header. 3: the records of read-only steps may share a line,
 * as a `batch` record; 2: every line one record, sealed with a checksum; 1: no checksums.
 * All are still read.
 */
export const JOURNAL_VERSION = 3;

/** First line: what ran, so a resume can check it is resuming the same thing. */
export interface RunHeaderRecord {
    type: 'run';
    version: number;
    runId: string;
    workflow: string;
    /** Hash of the workflow's inputs and steps (locations left out). */
    specHash: string;
    /** Hash of each step, to say which step changed when a resume is refused. */
    stepHashes: Record<string, string>;
    inputs: Record<string, unknown>;
    settings: WorkflowSettings;
    /** ISO 8601. */
    startedAt: string;
    /** The run this one resumes, if any. */
    resumedFrom?: string;
}

export interface StepStartedRecord {
    type: 'step-started';
    stepId: string;
    at: string;
}

export interface StepFinishedRecord {
    type: 'step-finished';
    stepId: string;
    status: StepStatus;
    /** A `when` that was false: such a skip counts as done on resume. */
    skippedByWhen?: boolean;
    attempts: number;
    cached: boolean;
    items?: number;
    /** `***` when the step is secret (computed from a secret): a resume runs it again if a step still to run reads it. */
    output: unknown;
    /** The step was computed from a secret (`taint.ts`). */
    secret?: boolean;
    /** Its output could not be journaled (circular, or too large for JSON): `output` is null and a resume runs it again. */
    unjournaled?: boolean;
    error?: StepError;
    at: string;
}

export interface StepCompensatedRecord {
    type: 'step-compensated';
    stepId: string;
    ok: boolean;
    error?: StepError;
    at: string;
}

export interface RunFinishedRecord {
    type: 'run-finished';
    status: RunStatus;
    at: string;
    /** The report without the steps' outputs: each is in its step's step-finished record already. */
    report: RunReport;
}

export type JournalRecord = RunHeaderRecord | StepStartedRecord | StepFinishedRecord | StepCompensatedRecord | RunFinishedRecord;

/**
 * Several records on one line, one seal for them all (version 3): the records of
 * read-only steps written together, in the order they were made. Never a header or
 * another batch. Readers see the records it holds, never the batch.
 */
export interface BatchRecord {
    type: 'batch';
    records: Array<StepStartedRecord | StepFinishedRecord>;
}
