/** The usual step-finished record's JSON, written directly, is exactly what JSON.stringify makes of the record. */
import { describe, expect, it } from 'vitest';
import { usualFinishedJson } from '../../src/engine/state/journal/finished-json.js';

const at = '2025-01-01T00:00:00.000Z';

describe('usualFinishedJson', () => {
    it('is JSON.stringify of the record literal, member for member, for any output JSON can say', () => {
        const outputs: unknown[] = [true, false, null, 0, -1.5, 1e21, 'plain', 'quote " back \\ slash\nnew line \u2028 \u0000 ✓ 😀',
            { a: 1, nested: { list: [1, 'two', null, { deep: true }] } }, [], {}, [undefined, () => 1], { skipped: undefined, kept: 1 }, new Date(0), NaN];
        for (const output of outputs) {
            for (const [id, status, attempts, cached] of [['s1', 'succeeded', 1, false], ['id "odd"\\', 'skipped', 0, true]] as const) {
                const record = { type: 'step-finished', stepId: id, status, attempts, cached, output, at };
                expect(usualFinishedJson(id, status, attempts, cached, output, at)).toBe(JSON.stringify(record));
            }
        }
    });

    it('gives undefined for an output JSON has no text for, and throws what JSON.stringify throws', () => {
        expect(usualFinishedJson('s', 'succeeded', 1, false, undefined, at)).toBeUndefined();
        expect(usualFinishedJson('s', 'succeeded', 1, false, () => 1, at)).toBeUndefined();
        const circular: Record<string, unknown> = {};
        circular.self = circular;
        expect(() => usualFinishedJson('s', 'succeeded', 1, false, circular, at)).toThrow(TypeError);
        expect(() => usualFinishedJson('s', 'succeeded', 1, false, 1n, at)).toThrow(TypeError);
    });
});
