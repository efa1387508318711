/**
 * Runs found tests, many at once (each on its own fake clock, so they cannot disturb one
 * another, and each gives the same result on every run: test-pool.ts), then compares the
 * reports of those that `snapshot report` with the stored snapshots and writes the
 * snapshot files that changed. Results come back in file and declaration order, whatever
 * order the tests ended in. Cancelled (`signal`), it starts no more tests and stops the
 * runs going; the tests it did not finish come back as `skipped`, not as results.
 */
import { performance } from 'node:perf_hooks';
import * as path from 'node:path';
import type { SourceLocation } from '../../engine/model/index.js';
import type { Workspace } from '../workspace.js';
import { relativeTo } from './discover.js';
import { cassetteReader } from './replay.js';
import { runTestCase, type TestEnvironment, type TestRun } from './run-test.js';
import { DEFAULT_TEST_CONCURRENCY, pooled } from './test-pool.js';
import { normalizeReport, readSnapshots, snapshotDifferences, snapshotFileOf, writeSnapshots, type SnapshotFile } from './snapshots.js';
import type { SkippedTest, TestCase, TestPlace, TestResult, TestRunSummary } from './test-types.js';

export interface TestRunOptions {
    /** Rewrite the snapshots that differ (and unusable snapshot files), drop those of removed tests. */
    updateSnapshots?: boolean;
    /** How a file is shown in results; default relative to the root. */
    display?: (file: string) => string;
    /** Each result as its test ends (in the order they end). */
    onResult?: (result: TestResult) => void;
    /** Cancels: no test starts after it aborts, and the runs going are stopped (their tests are skipped). */
    signal?: AbortSignal;
    /** At most this many tests at once (default 16). */
    concurrency?: number;
}

export async function runTests(workspace: Workspace, tests: readonly TestCase[], options: TestRunOptions = {}): Promise<TestRunSummary> {
    const started = performance.now();
    const display = options.display ?? ((file: string) => relativeTo(workspace.root, file));
    const { signal } = options;
    const env: TestEnvironment = {
        workspace,
        signal,
        readCassette: cassetteReader(),
        place: (location: SourceLocation | undefined, fallback: TestPlace): TestPlace =>
            location ? { file: display(location.file), line: location.line, column: location.column } : { file: fallback.file, line: fallback.line, column: fallback.column },
    };
    const update = options.updateSnapshots === true;
    const books = new Map<string, Promise<SnapshotBook>>();
    for (const test of tests) {
        const file = snapshotFileOf(test.path);
        if (test.spec.snapshot && !books.has(file)) {
            books.set(file, readSnapshots(file).then((stored) => ({
                stored, entries: stored.problem && update ? {} : { ...stored.entries }, changed: false, declared: new Set(test.siblings),
            })));
        }
    }
    const ended = await pooled(tests, options.concurrency ?? DEFAULT_TEST_CONCURRENCY, signal, async (test) => {
        const run = await runTestCase(env, test);
        if (signal?.aborted && run.report?.status === 'cancelled') {
            return undefined; // cut short by the cancel: skipped, not failed
        }
        if (test.spec.snapshot && run.report) {
            compareSnapshot(test, run, await books.get(snapshotFileOf(test.path))!, env, update);
        }
        options.onResult?.(run.result);
        return run.result;
    });
    const runs = ended.filter((r): r is TestResult => r !== undefined);
    const skipped: SkippedTest[] = tests.filter((_, i) => ended[i] === undefined)
        .map(({ id, name, file, line, column, workflow }) => ({ id, name, file, line, column, workflow }));
    const written: string[] = [];
    for (const read of books.values()) {
        const book = await read;
        if (update) {
            // Snapshots of tests the file no longer declares go.
            for (const title of Object.keys(book.entries).filter((t) => !book.declared.has(t))) {
                delete book.entries[title];
                book.changed = true;
            }
        }
        if (book.changed) {
            await writeSnapshots(book.stored.file, book.entries);
            written.push(book.stored.file);
        }
    }
    return {
        results: runs,
        passed: runs.filter((r) => r.status === 'passed').length,
        failed: runs.filter((r) => r.status === 'failed').length,
        snapshotFiles: written.map(display),
        wallMs: performance.now() - started,
        ...(signal?.aborted && { cancelled: true, skipped }),
    };
}

/** A snapshot file as read, and the entries to write back. */
interface SnapshotBook {
    stored: SnapshotFile;
    entries: Record<string, unknown>;
    changed: boolean;
    /** The titles of every test the file declares. */
    declared: ReadonlySet<string>;
}

function compareSnapshot(test: TestCase, run: TestRun, book: SnapshotBook, env: TestEnvironment, update: boolean): void {
    const result = run.result;
    const now = normalizeReport(run.report!);
    const { stored, entries } = book;
    const place = env.place(test.spec.snapshot, test);
    const name = path.basename(stored.file);
    if (stored.problem && !update) {
        result.snapshot = 'unusable';
        result.failures.push({ ...place, kind: 'snapshot', message: `${name} ${stored.problem}: fix or delete it, or run kmflow test --update-snapshots` });
    } else if (!Object.prototype.hasOwnProperty.call(entries, test.name)) {
        result.snapshot = 'written';
        entries[test.name] = now;
        book.changed = true;
    } else {
        const differences = snapshotDifferences(entries[test.name], now);
        if (differences.length === 0) {
            result.snapshot = 'matched';
        } else if (update) {
            result.snapshot = 'updated';
            entries[test.name] = now;
            book.changed = true;
        } else {
            result.snapshot = 'differs';
            result.failures.push({
                ...place, kind: 'snapshot',
                message: `the report differs from its snapshot in ${name} (run kmflow test --update-snapshots if the change is meant):\n` +
                    differences.map((d) => `  ${d}`).join('\n'),
            });
        }
    }
    result.status = result.failures.length > 0 ? 'failed' : 'passed';
}
