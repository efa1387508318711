/** Durable runs: the journal under `.kmflow/runs/`, and resuming from it. */
export { JournalWriter } from './journal-writer.js';
export { readJournal, findJournal, type ReadJournal } from './journal-reader.js';
export { loadResumePoint, type ResumePoint } from './resume.js';
export { workflowHashes, describeChange, type WorkflowHashes } from './spec-hash.js';
export type * from './records.js';
