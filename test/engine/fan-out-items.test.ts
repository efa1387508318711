/** A fan-out's items during a run: made for a step with `each`, with outcomes only when others stream from it. */
import { describe, expect, it } from 'vitest';
import { FanOutItems } from '../../src/engine/run/run-state.js';

describe('FanOutItems', () => {
    it('starts with every item left and no output', () => {
        const fan = new FanOutItems(3, false);
        expect(fan.left).toBe(3);
        expect(fan.outputs).toEqual([null, null, null]);
        expect(fan.status).toBeUndefined();
    });

    it('keeps item outcomes only for a fan-out others stream from', () => {
        const fan = new FanOutItems(2, true);
        expect(fan.status).toBeInstanceOf(Uint8Array);
        expect([...fan.status!]).toEqual([0, 0]);
    });
});
