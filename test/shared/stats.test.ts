/** The one percentile implementation (src/shared/stats.ts): nearest rank, an actual sample. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentile, percentiles } from '../../src/shared/stats.js';

/** Nearest rank by the book: sort, take the ⌈p·n⌉-th value. */
function byTheBook(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

describe('percentiles', () => {
    it('are nearest-rank samples', () => {
        const values = [15, 20, 35, 40, 50];
        expect(percentiles(values, [0.05, 0.3, 0.4, 0.5, 1])).toEqual([15, 20, 20, 35, 50]);
        expect(percentile([7], 0.95)).toBe(7);
        expect(percentiles([], [0.5, 0.95])).toEqual([0, 0]);
    });

    it('agree with sorting, for any values and any order of ranks, and leave the values untouched', () => {
        fc.assert(fc.property(
            fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 2000 }),
            fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
            (values, ps) => {
                const copy = [...values];
                expect(percentiles(values, ps)).toEqual(ps.map((p) => byTheBook(values, p)));
                expect(values).toEqual(copy);
            }));
    });
});
