/** When a one-shot command may exit at once: nothing but its output's own handles left. */
import { describe, expect, it } from 'vitest';
import { nothingPending } from '../../src/cli/exit-when-idle.js';

describe('nothingPending', () => {
    it('is true with only a terminal or a pipe for the output', () => {
        expect(nothingPending([])).toBe(true);
        expect(nothingPending(['TTYWrap', 'PipeWrap', 'PipeWrap'])).toBe(true);
    });

    it('is false while anything else is active: a child process, a timer, a file operation, a socket', () => {
        for (const held of [['ProcessWrap', 'PipeWrap'], ['Timeout'], ['FSReqCallback'], ['TTYWrap', 'FSReqPromise'], ['TCPWrap']]) {
            expect(nothingPending(held), held.join(', ')).toBe(false);
        }
    });
});
