/**
 * The journal's line format: one JSON object a line, appended in event order. Secret
 * values are masked (`***`) in everything recorded, like in the report.
 */
import type { WorkflowSettings } from '../model.js';
import type { RunReport, RunStatus, StepError, StepStatus } from '../run-types.js';

/** Format version, in every header. */
export const JOURNAL_VERSION = 1;

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
    output: unknown;
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
    report: RunReport;
}

export type JournalRecord = RunHeaderRecord | StepStartedRecord | StepFinishedRecord | StepCompensatedRecord | RunFinishedRecord;
