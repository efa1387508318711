/** The one duration format (src/shared/duration-format.ts), for the CLI, the editor and the webview. */
import { describe, expect, it } from 'vitest';
import { formatDuration, formatInUnit } from '../../src/shared/duration-format.js';

describe('formatDuration', () => {
    it.each([
        [0, '0 ms'], [0.4, '0 ms'], [420, '420 ms'], [999.4, '999 ms'], [999.6, '1 s'],
        [1000, '1 s'], [1500, '1.5 s'], [1549, '1.5 s'], [9_940, '9.9 s'], [9_960, '10 s'], [12_345, '12 s'],
        [59_400, '59 s'], [59_700, '1 min'], [60_000, '1 min'], [123_000, '2 min 3 s'], [3_599_600, '1 h'],
        [3_900_000, '1 h 5 min'], [7_200_000, '2 h'],
    ])('%d ms reads %s', (ms, text) => {
        expect(formatDuration(ms)).toBe(text);
    });

    it('says — for what is not a duration', () => {
        expect([-1, Number.NaN, Number.POSITIVE_INFINITY].map(formatDuration)).toEqual(['—', '—', '—']);
    });

    it('formats in one unit for values read side by side', () => {
        expect(formatInUnit(1500, 's', 2)).toBe('1.5 s');
        expect(formatInUnit(2000, 's', 1)).toBe('2 s');
        expect(formatInUnit(12.6, 'ms')).toBe('13 ms');
    });
});
