/**
 * What the test runner takes and gives: a found test (its place and spec), and its
 * result (passed or failed, each failure placed in the file with expected and actual).
 * Plain data, so the CLI prints it, `--json` writes it and the language server can hand
 * it to VS Code's Test Explorer.
 */
import type { RunStatus } from '../../engine/run/index.js';
import type { PreparedRun } from '../../language/prepare-run.js';
import type { TestSpec } from '../../language/to-test-spec.js';

/** A place in a file, 1-based; `file` as the user wrote it or relative to the root. */
export interface TestPlace {
    file: string;
    line: number;
    column: number;
}

/** One `test` block, found and ready to run. */
export interface TestCase extends TestPlace {
    /** Unique in the workspace: `FILE > NAME`. */
    id: string;
    name: string;
    workflow: string;
    /** The test file on disk (its snapshots lie beside it). */
    path: string;
    /** Every test title of the file, for dropping obsolete snapshots. */
    siblings: readonly string[];
    spec: TestSpec;
    prepared: PreparedRun;
}

export type TestStatus = 'passed' | 'failed';

/**
 * Why a test failed. `expect`: an expectation did not hold (`expected`, `actual`);
 * `expression`: one could not be evaluated; `snapshot`: the report differs from the
 * stored one, or the snapshot file is unusable; `no-stub`: a call nothing answered;
 * `setup`: the run could not start (a missing input, an unusable cassette).
 */
export interface TestFailure extends TestPlace {
    kind: 'expect' | 'expression' | 'snapshot' | 'no-stub' | 'setup';
    message: string;
    expected?: unknown;
    actual?: unknown;
}

/** What became of a test's `snapshot report`. */
export type SnapshotOutcome = 'matched' | 'written' | 'updated' | 'differs' | 'unusable';

export interface TestResult extends TestPlace {
    id: string;
    name: string;
    workflow: string;
    status: TestStatus;
    failures: TestFailure[];
    /** The run's status, when it ran. */
    runStatus?: RunStatus;
    /** How long the run took on the fake clock: the time it would take live, with the stubs' answers. */
    simulatedMs?: number;
    /** Expectations that held. */
    passedExpectations: number;
    snapshot?: SnapshotOutcome;
    /** Real time the test took (not deterministic: left out of comparisons). */
    wallMs: number;
}

/** A test a cancelled run did not finish: never started, or stopped while it ran. */
export interface SkippedTest extends TestPlace {
    id: string;
    name: string;
    workflow: string;
}

export interface TestRunSummary {
    /** The tests that ended (all of them unless cancelled). */
    results: TestResult[];
    passed: number;
    failed: number;
    /** Set when the run was cancelled (`signal`). */
    cancelled?: boolean;
    /** With `cancelled`: the tests without a result, in file and declaration order. */
    skipped?: SkippedTest[];
    /** Snapshot files written or rewritten. */
    snapshotFiles: string[];
    wallMs: number;
}
