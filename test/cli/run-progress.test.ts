/**
 * The CLI's progress off a terminal (src/cli/run-progress.ts): one line per event, written
 * in batches, and a step's start only when it is still running as its batch is written.
 */
import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RunProgress } from '../../src/cli/run-progress.js';
import type { RunEvent } from '../../src/engine/run/index.js';

/** A pipe's end as the progress sees stderr in CI: what it wrote, and how many writes. */
function sink(): { stream: NodeJS.WriteStream; text: () => string; writes: () => number } {
    const chunks: string[] = [];
    const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
            chunks.push(chunk.toString());
            done();
        },
    });
    return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join(''), writes: () => chunks.length };
}

const base = { runId: 'r1', at: 0 };
const started = (stepId: string): RunEvent => ({ ...base, type: 'step-started', stepId, tool: 'log' });
const finished = (stepId: string): RunEvent => ({ ...base, type: 'step-finished', stepId, status: 'succeeded', durationMs: 3, attempts: 1 });

describe('run progress off a terminal', () => {
    it('prints only the end of a step that starts and ends in one turn, in one write', async () => {
        const out = sink();
        const progress = new RunProgress(out.stream, false);
        progress.onEvent({ ...base, type: 'run-started', workflow: 'w', steps: 2 });
        for (const id of ['a', 'b']) {
            progress.onEvent(started(id));
            progress.onEvent(finished(id));
        }
        await nextTurn();
        expect(out.text()).toBe('▶ w: 2 step(s)\n  ✓ a succeeded in 3 ms\n  ✓ b succeeded in 3 ms\n');
        expect(out.writes()).toBe(1);
    });

    it('prints the start of a step still running when its turn ends, and its end later', async () => {
        const out = sink();
        const progress = new RunProgress(out.stream, false);
        progress.onEvent(started('slow'));
        progress.onEvent(started('quick'));
        progress.onEvent(finished('quick'));
        await nextTurn();
        expect(out.text()).toBe('  ✓ quick succeeded in 3 ms\n  ▶ slow (log)\n');
        progress.onEvent(finished('slow'));
        progress.stop();
        expect(out.text()).toBe('  ✓ quick succeeded in 3 ms\n  ▶ slow (log)\n  ✓ slow succeeded in 3 ms\n');
    });

    it('prints a step\'s start before a log line or retry of it in the same turn', () => {
        const out = sink();
        const progress = new RunProgress(out.stream, false);
        progress.onEvent(started('a'));
        progress.onEvent({ ...base, type: 'log', stepId: 'a', level: 'info', message: 'hello' });
        progress.onEvent(started('b'));
        progress.onEvent({ ...base, type: 'step-retrying', stepId: 'b', attempt: 1, delayMs: 1000, error: { code: 'E', message: 'boom', retryable: true } });
        progress.onEvent(finished('a'));
        progress.stop();
        expect(out.text().split('\n')).toEqual([
            '  ▶ a (log)', '  [a] hello', '  ▶ b (log)', '  ↻ b: attempt 1 failed (boom); retrying in 1 s', '  ✓ a succeeded in 3 ms', '',
        ]);
    });

    it('writes what waits once it reaches 16 KB, with the starts of the steps running then', () => {
        const out = sink();
        const progress = new RunProgress(out.stream, false);
        progress.onEvent(started('long'));
        for (let i = 0; out.writes() === 0 && i < 10_000; i++) {
            progress.onEvent(started(`s${i}`));
            progress.onEvent(finished(`s${i}`));
        }
        expect(out.writes()).toBe(1);
        expect(out.text().length).toBeGreaterThanOrEqual(16 * 1024);
        expect(out.text()).toContain('  ▶ long (log)\n');
        expect(out.text()).not.toContain('▶ s0 ');
        progress.stop();
    });
});
