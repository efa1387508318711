/** What every CLI command gets: its arguments and where to write. */
export interface CommandContext {
    positionals: string[];
    options: Record<string, string | boolean | string[] | undefined>;
    json: boolean;
    /** Workspace root: `--root DIR`, else the current directory. */
    root: string;
    /** stdout: results (with `--json`, one JSON document and nothing else). */
    out(line: string): void;
    /** stderr: logs, progress and messages. */
    err(line: string): void;
    /** A one-line usage or input error on stderr. */
    fail(message: string): void;
}
