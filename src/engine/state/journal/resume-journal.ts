/**
 * The journal a resume starts from, and whether it can be trusted: found (by id, or
 * with `last` the newest usable one of the workflow, unusable ones passed over with a
 * warning naming them), read, and refused when a record in it is damaged: a damaged
 * `step-finished` would make a completed step run again, silently. With `lenient`,
 * the resume goes on from every intact record and says which lines it ignored.
 */
import { RunSetupError } from '../../run/run-setup.js';
import { findJournal, JournalError, readJournal, type DamagedLine, type ReadJournal, type SkippedJournal } from './journal-reader.js';

/** The journal to resume from, and what the user should hear about it. */
export interface ResumeJournal {
    journal: ReadJournal;
    warnings: string[];
}

const MAX_LISTED = 5;

/** `line 4 (checksum mismatch), line 9 (not JSON)`, at most a few of them. */
export function describeDamage(damaged: readonly DamagedLine[]): string {
    const listed = damaged.slice(0, MAX_LISTED).map((d) => `line ${d.line} (${d.reason})`);
    const more = damaged.length - listed.length;
    return `${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function describeSkipped(skipped: readonly SkippedJournal[]): string {
    return skipped.map((s) => `${s.file} ${s.reason}`).join('; ');
}

/**
 * Finds and reads the journal of `runId` (or `last`) for `workflowId` in `dir`. Throws
 * RunSetupError: `no-journal` when there is none, `journal-damaged` when it cannot be
 * read or (unless `lenient`) holds a damaged record.
 */
export function resumeJournal(dir: string, runId: string, workflowId: string, lenient: boolean): ResumeJournal {
    const skipped: SkippedJournal[] = [];
    const file = findJournal(dir, runId, workflowId, skipped);
    const warnings = skipped.length > 0 ? [`--resume last passed over unusable journals: ${describeSkipped(skipped)}`] : [];
    if (!file) {
        const what = runId === 'last' ? `no journaled run of workflow '${workflowId}'` : `no journal for run '${runId}'`;
        const passed = skipped.length > 0 ? ` (unusable journals passed over: ${describeSkipped(skipped)})` : '';
        throw new RunSetupError('no-journal', `cannot resume: ${what} in ${dir}${passed}`);
    }
    let journal: ReadJournal;
    try {
        journal = readJournal(file);
    } catch (err) {
        if (err instanceof JournalError) {
            throw new RunSetupError('journal-damaged', `cannot resume run '${runId}': the journal ${err.file} ${err.reason}`);
        }
        const code = (err as NodeJS.ErrnoException).code;
        throw new RunSetupError('journal-damaged', `cannot resume run '${runId}': the journal ${file} cannot be read (${code ?? String(err)})`);
    }
    if (journal.damaged.length > 0) {
        const where = describeDamage(journal.damaged);
        if (!lenient) {
            throw new RunSetupError(
                'journal-damaged',
                `cannot resume run '${journal.header.runId}': its journal ${file} is damaged at ${where}; resuming could run completed steps again. ` +
                    'Pass --resume-lenient to resume from the intact records (steps whose records are damaged run again)',
            );
        }
        warnings.push(`resuming run '${journal.header.runId}' from a damaged journal (--resume-lenient): ignored ${where} of ${file}; steps whose records were there run again`);
    }
    return { journal, warnings };
}
