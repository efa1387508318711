/**
 * Tests written in the language (`test "name" for WORKFLOW { … }`): found, run on fake
 * clocks with stubbed tools, checked, snapshotted, reported. One implementation for
 * `kmflow test` and, later, the language server's Test Explorer.
 */
export { findTestFiles, loadTests, relativeTo, testCaseOf, type LoadedTests, type TestLoadOptions } from './discover.js';
export { runTests, type TestRunOptions } from './run-tests.js';
export { junitXml } from './junit.js';
export { show as showValue } from './expectations.js';
export { snapshotFileOf } from './snapshots.js';
export { TEST_EPOCH } from './run-test.js';
export type { SkippedTest, SnapshotOutcome, TestCase, TestFailure, TestPlace, TestResult, TestRunSummary, TestStatus } from './test-types.js';
