/**
 * The test side of the language server's `kmflow/…` protocol (lsp-protocol.ts has the
 * method map): the `test` blocks of the workspace's documents (`kmflow/tests`), and a
 * run of some of them in the server (`kmflow/runTests`), each result streamed as a
 * `kmflow/testResult` notification as its test ends, before the answer. VS Code's Test
 * Explorer is built on these (src/extension/test-controller.ts).
 */

/** A place in a document: 0-based line and UTF-16 character, as LSP ranges are. */
export interface TestPosition {
    line: number;
    character: number;
}

/** One `test "TITLE" for WORKFLOW { … }` block. */
export interface TestInfo {
    title: string;
    /** The tested workflow's name as written. */
    workflow: string;
    /** The whole block. */
    range: { start: TestPosition; end: TestPosition };
}

/** A document declaring tests. */
export interface TestFileInfo {
    uri: string;
    /** Relative to its workspace root, `/`-separated. */
    file: string;
    tests: TestInfo[];
}

// ---------------------------------------------------------------- kmflow/tests

export interface TestsParams {
    /** One document: its tests (possibly none), as the editor has it; default every workspace document that declares a test. */
    uri?: string;
}

export interface TestsResult {
    files: TestFileInfo[];
}

// ---------------------------------------------------------------- kmflow/runTests, kmflow/testResult

export interface RunTestsParams {
    /** Chosen by the client: the streamed results carry it. */
    runId: string;
    /** The documents whose tests run (each as the editor has it). */
    uris: string[];
    /** Only the tests with these titles (in any of `uris`); default all of them. */
    titles?: string[];
    /** Rewrite the snapshots that differ (`kmflow test --update-snapshots`). */
    updateSnapshots?: boolean;
}

/** Why a test failed, placed in its document (1-based, like the Problems panel). */
export interface TestFailureInfo {
    uri: string;
    line: number;
    column: number;
    /** `expect`, `expression`, `snapshot`, `no-stub`, `setup`, or `check-errors` (the file or the tested workflow has errors). */
    kind: string;
    message: string;
    /** With an `expect`: what the expectation wanted and what the run gave (absent: missing). */
    expected?: unknown;
    actual?: unknown;
}

/**
 * `errored`: the test could not be run or judged (a setup problem, an expectation that
 * cannot be evaluated, errors in the file); `failed`: it ran and something did not hold.
 */
export type TestOutcome = 'passed' | 'failed' | 'errored';

export interface TestResultInfo {
    uri: string;
    title: string;
    workflow: string;
    status: TestOutcome;
    failures: TestFailureInfo[];
    /** Real time the test took. */
    durationMs: number;
    /** How long the run took on the fake clock. */
    simulatedMs?: number;
    runStatus?: string;
    passedExpectations?: number;
    snapshot?: string;
}

/** A test a cancelled `kmflow/runTests` did not finish. */
export interface SkippedTestInfo {
    uri: string;
    title: string;
    workflow: string;
}

export interface TestRunResult {
    kind: 'tests';
    results: TestResultInfo[];
    passed: number;
    failed: number;
    errored: number;
    /** The run was cancelled: the tests it did not finish are `skipped`; those of the documents not reached are missing. */
    cancelled?: boolean;
    /** With `cancelled`: the tests of the document it was in that did not finish (never started, or stopped). */
    skipped?: SkippedTestInfo[];
    /** Snapshot files written, relative to their root. */
    snapshotFiles: string[];
}

/** A test of run `runId` ended. */
export interface TestResultParams {
    runId: string;
    result: TestResultInfo;
}
