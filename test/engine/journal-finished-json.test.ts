/** The usual step-finished record's JSON, written directly, is exactly what JSON.stringify makes of the record. */
import { describe, expect, it } from 'vitest';
import { jsonString, usualFinishedJson } from '../../src/engine/state/journal/finished-json.js';

const at = '2025-01-01T00:00:00.000Z';

describe('usualFinishedJson', () => {
    it('is JSON.stringify of the record literal, member for member, for any output JSON can say', () => {
        const outputs: unknown[] = [true, false, null, 0, -0, -1.5, 1e21, 5e-7, Infinity, -Infinity, 'plain', 'quote " back \\ slash\nnew line \u2028 \u0000 ✓ 😀',
            { a: 1, nested: { list: [1, 'two', null, { deep: true }] } }, [], {}, [undefined, () => 1], { skipped: undefined, kept: 1 }, new Date(0), NaN];
        for (const output of outputs) {
            for (const [id, status, attempts, cached] of [['s1', 'succeeded', 1, false], ['id "odd"\\', 'skipped', 0, true], ['a-b.c_d', 'failed', 12, false], ['tab\tid', 'succeeded', NaN, false]] as const) {
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

    it('writes a string as JSON.stringify does, escaped or not', () => {
        const texts = ['', 's1', 'a b!#$%&\'()*+,-./:;<=>?@[]^_`{|}~', '2025-01-01T00:00:00.000Z', 'q"', 'back\\slash', 'new\nline', '\u0000', '\u001f', '\u007f',
            'é ✓ 😀', '\u2028', '\ud800 lone', 'tail \udc00'];
        for (let c = 0; c < 0x100; c++) {
            texts.push(`x${String.fromCharCode(c)}y`);
        }
        for (const text of texts) {
            expect(jsonString(text)).toBe(JSON.stringify(text));
        }
    });
});
