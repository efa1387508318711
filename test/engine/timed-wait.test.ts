/** A task's timed wait (a call under a step timeout, or a backoff): the first settle wins. */
import { describe, expect, it } from 'vitest';
import { TimedWait } from '../../src/engine/run/run-state.js';

describe('TimedWait', () => {
    it('keeps the first outcome and resolves its waiter once', () => {
        let resolved = 0;
        const wait = new TimedWait(() => resolved++);
        expect(wait.settled).toBe(false);
        const timeout = new Error('timed out');
        wait.settle(false, timeout);
        wait.settle(true, { output: 'late' });
        expect(wait).toMatchObject({ settled: true, ok: false, value: timeout });
        expect(resolved).toBe(1);
    });

    it('keeps a success that came before a stop', () => {
        let resolved = 0;
        const wait = new TimedWait(() => resolved++);
        const result = { output: 1 };
        wait.settle(true, result);
        wait.settle(false, new Error('stopped'));
        expect(wait.ok).toBe(true);
        expect(wait.value).toBe(result);
        expect(resolved).toBe(1);
    });
});
