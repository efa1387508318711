/**
 * Cancelling a run of tests within a file: once the signal aborts no test starts, the
 * runs going are stopped, and every test without a result is listed as skipped (never
 * as failed), in declaration order; an already aborted signal runs nothing.
 */
import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runFile, tempWorkspace } from './helpers.js';

const TESTS = 30;
const QUICK = `workflow quick {
    step say uses log { with { message: "hi" } }
}
${Array.from({ length: TESTS }, (_, i) => `test "quick ${i}" for quick {\n    expect say.status == "succeeded"\n}`).join('\n')}
`;

/** A workflow that waits 200 times on its fake clock, one step after another: it stays running over many turns. */
const SLOW = `workflow slow {
${Array.from({ length: 200 }, (_, i) => `    step d${i} uses delay { ${i > 0 ? `after d${i - 1} ` : ''}with { ms: 1000 } }`).join('\n')}
}
workflow quick {
    step say uses log { with { message: "hi" } }
}
test "quick" for quick {
    expect say.status == "succeeded"
}
test "slow" for slow {
    expect run.status == "succeeded"
}
test "never started" for quick {
    expect say.status == "succeeded"
}
`;

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
const workspace = (text: string): string => {
    const root = tempWorkspace({ 'main.kmflow': text });
    roots.push(root);
    return root;
};

describe('cancelling tests within a file', () => {
    it('starts no test after the cancel and lists the rest as skipped, in order', async () => {
        const controller = new AbortController();
        const summary = await runFile(workspace(QUICK), 'main.kmflow', {
            concurrency: 4, signal: controller.signal, onResult: () => controller.abort(),
        });
        expect(summary.cancelled).toBe(true);
        expect(summary.results.length).toBeGreaterThanOrEqual(1);
        expect(summary.results.length).toBeLessThanOrEqual(4);
        expect(summary.results.every((r) => r.status === 'passed')).toBe(true);
        const names = [...summary.results, ...summary.skipped!].map((t) => t.name);
        expect(names.sort()).toEqual(Array.from({ length: TESTS }, (_, i) => `quick ${i}`).sort());
        const skippedIndexes = summary.skipped!.map((t) => Number(t.name.split(' ')[1]));
        expect(skippedIndexes).toEqual([...skippedIndexes].sort((a, b) => a - b));
        expect(summary.skipped![0]).toMatchObject({ file: 'main.kmflow', workflow: 'quick' });
    });

    it('stops a test that is running when the cancel comes: skipped, not failed', async () => {
        const controller = new AbortController();
        const summary = await runFile(workspace(SLOW), 'main.kmflow', {
            concurrency: 2, signal: controller.signal, onResult: () => controller.abort(),
        });
        expect(summary.results.map((r) => [r.name, r.status])).toEqual([['quick', 'passed']]);
        expect(summary.skipped!.map((t) => t.name)).toEqual(['slow', 'never started']);
        expect(summary.failed).toBe(0);
    });

    it('runs nothing when cancelled before it starts; not cancelled, it has no skipped list', async () => {
        const controller = new AbortController();
        controller.abort();
        const root = workspace(QUICK);
        const cancelled = await runFile(root, 'main.kmflow', { signal: controller.signal });
        expect(cancelled).toMatchObject({ cancelled: true, results: [], passed: 0, failed: 0 });
        expect(cancelled.skipped).toHaveLength(TESTS);
        const whole = await runFile(root);
        expect(whole.passed).toBe(TESTS);
        expect(whole).not.toHaveProperty('cancelled');
        expect(whole).not.toHaveProperty('skipped');
    });
});
