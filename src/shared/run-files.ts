/**
 * The files of a run under the workspace root's `.kmflow/runs`: the engine's journal
 * (`RUN_ID.jsonl`) and report (`RUN_ID.report.json`), and where the run came from
 * (`RUN_ID.source.json`, written by the language server when it starts a run). Names
 * only: the extension reads these files, the server writes the source.
 */

/** The runs folder, relative to the workspace root, as path segments. */
export const RUNS_DIR_SEGMENTS = ['.kmflow', 'runs'] as const;

export const REPORT_SUFFIX = '.report.json';
export const SOURCE_SUFFIX = '.source.json';
export const JOURNAL_SUFFIX = '.jsonl';

/** A run id as a file name: characters other than letters, digits, `.`, `_` and `-` become `_`. */
export function fileSafe(runId: string): string {
    return runId.replace(/[^A-Za-z0-9._-]/g, '_');
}
