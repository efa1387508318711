/** Test files in a temporary workspace, loaded and run through the app layer as `kmflow test` does. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { TRUSTED } from '../../../src/engine/security/index.js';
import { loadTests, runTests, Workspace, type TestResult, type TestRunOptions, type TestRunSummary } from '../../../src/app/index.js';

/** A fresh workspace folder holding `files` (name → text). */
export function tempWorkspace(files: Record<string, string>): string {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-tests-')));
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
        fs.writeFileSync(path.join(root, name), text);
    }
    return root;
}

/** Loads `file` of `root` (no check errors allowed) and runs its tests. */
export async function runFile(root: string, file = 'main.kmflow', options: TestRunOptions & { filter?: string } = {}): Promise<TestRunSummary> {
    const workspace = Workspace.open({ root, trust: TRUSTED });
    const loaded = await loadTests(workspace, [path.join(root, file)], { filter: options.filter });
    expect(loaded.errors, 'the test file checks clean').toEqual([]);
    return runTests(workspace, loaded.tests, options);
}

/** Runs the tests of one text and returns the results by name. */
export async function runText(text: string, others: Record<string, string> = {}): Promise<Map<string, TestResult>> {
    const root = tempWorkspace({ 'main.kmflow': text, ...others });
    try {
        const summary = await runFile(root);
        return new Map(summary.results.map((r) => [r.name, r]));
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}

/** The failures of a result, as `kind: message` lines, for readable assertions. */
export function failuresOf(result: TestResult | undefined): string[] {
    return (result?.failures ?? []).map((f) => `${f.kind}: ${f.message}`);
}
