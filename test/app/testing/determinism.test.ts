/**
 * Tests run on fake clocks: the same suite, run twenty times (every test of it at once
 * each time), gives the same results and the same reports — retries with jittered
 * backoff, timeouts, an adaptive concurrency limit, a pipeline fan-out — and a test whose
 * step times out after 10 minutes, three times over, takes milliseconds.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFile, tempWorkspace } from './helpers.js';
import type { TestResult } from '../../../src/app/index.js';

const SUITE = `
server ev { command "/nonexistent/never-started" }
tool fetch { via ev "fetch" resources cpu 0.4 }
workflow busy {
    mode adaptive
    errors adaptive
    max_parallel 3
    step list uses fetch { retry 4 backoff 2s }
    step each_item uses fetch { each x in list.output.items  with { id: x }  timeout 90s  retry 2 backoff 500ms }
    step a uses fetch { timeout 10m retry 2 backoff 1m }
    step b uses fetch { retry 3 backoff 1s }
    step c uses delay { with { ms: 1234 } after b }
    step d uses fetch { after a always }
}
workflow piped {
    mode pipeline
    step list uses fetch
    step first uses fetch { each x in list.output.items  with { id: x } }
    step second uses fetch { each y in first.output  with { id: y.id } }
}
test "jittered retries" for busy {
    given list disconnects 3 times then returns { items: [1, 2, 3, 4, 5, 6] }
    given each_item times out then fails "BUSY" "busy" retryable then returns { ok: true }
    given a times out
    given b fails "BUSY" "busy" retryable 2 times then returns { ok: true }
    given d returns { done: true }
    expect a.attempts == 3
    expect list.attempts == 4
    snapshot report
}
test "everything answers" for busy {
    given tool fetch returns { items: [1, 2], ok: true, done: true }
    expect run.status == "succeeded"
    snapshot report
}
test "a pipeline" for piped {
    given list returns { items: [1, 2, 3, 4] }
    given first times out then returns { id: "x" }
    given tool fetch returns { id: "z" }
    snapshot report
}
test "ten minutes three times" for busy {
    given a times out
    given tool fetch returns { items: [] }
    expect a.error.code == "timeout"
    expect run.durationMs > 1800000
}
`;

let root: string;

beforeAll(() => {
    root = tempWorkspace({ 'main.kmflow': SUITE });
});

afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
});

/** A result without its real time, the one thing that may differ. */
function stable(result: TestResult): Omit<TestResult, 'wallMs' | 'snapshot'> {
    const { wallMs: _wallMs, snapshot: _snapshot, ...rest } = result;
    return rest;
}

describe('the fake clock', () => {
    it('gives the same results and reports on every one of 20 runs', async () => {
        const first = await runFile(root);
        expect(first.results.map((r) => r.status)).toEqual(['passed', 'passed', 'passed', 'passed']);
        expect(first.results.map((r) => r.snapshot)).toEqual(['written', 'written', 'written', undefined]);
        const snapshots = fs.readFileSync(`${root}/main.kmflow.snap.json`, 'utf8');
        for (let i = 1; i < 20; i++) {
            const again = await runFile(root);
            expect(again.results.map(stable)).toEqual(first.results.map(stable));
            // Each report equals the one the first run stored.
            expect(again.results.map((r) => r.snapshot)).toEqual(['matched', 'matched', 'matched', undefined]);
        }
        expect(fs.readFileSync(`${root}/main.kmflow.snap.json`, 'utf8')).toBe(snapshots);
        // The jitter is really there (durations are not round), and fixed.
        expect(first.results[0]!.simulatedMs! % 1000).not.toBe(0);
    });

    it('runs a test with 10-minute timeouts, retried, in milliseconds', async () => {
        const started = performance.now();
        const summary = await runFile(root, 'main.kmflow', { filter: 'ten minutes' });
        const wall = performance.now() - started;
        expect(summary.results.map((r) => [r.name, r.status])).toEqual([['ten minutes three times', 'passed']]);
        expect(summary.results[0]!.simulatedMs).toBeGreaterThan(30 * 60_000);
        expect(wall).toBeLessThan(1_000);
    });
});
