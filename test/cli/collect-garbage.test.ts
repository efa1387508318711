/** The CLI's full collection where a command lets go of a lot (src/cli/collect-garbage.ts). */
import * as v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/cli/collect-garbage.js';

describe('collectGarbage', () => {
    it('collects only above the heap it is given, and then frees what nothing holds', () => {
        expect(collectGarbage(Number.MAX_SAFE_INTEGER)).toBe(false);
        let garbage: unknown[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i, text: `item ${i}` }));
        const held = v8.getHeapStatistics().used_heap_size;
        expect(garbage.length).toBe(200_000);
        garbage = undefined;
        expect(collectGarbage(0)).toBe(true);
        expect(v8.getHeapStatistics().used_heap_size).toBeLessThan(held - 5 * 1024 * 1024);
    });
});
