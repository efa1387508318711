/** canonicalJson gives exactly the reference text: keys sorted into fresh objects at every depth, then JSON.stringify. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/engine/state/cache/canonical.js';

function sortKeys(value: unknown, omit: ReadonlySet<string> | undefined): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => sortKeys(v, omit));
    }
    if (value === null || typeof value !== 'object') {
        return value;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
        if (!omit?.has(key)) {
            out[key] = sortKeys((value as Record<string, unknown>)[key], omit);
        }
    }
    return out;
}

const reference = (value: unknown, omit?: ReadonlySet<string>): string => JSON.stringify(sortKeys(value, omit)) ?? 'null';

const key = fc.oneof(fc.string(), fc.constantFrom('location', '__proto__', 'toJSON', '0', '10', '9', '1a', '-1', '', 'é'));
const leaf = fc.oneof(
    fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined),
    fc.constantFrom(NaN, Infinity, -0, () => 1, Symbol('s'), new Date(0), new Map([[1, 2]])),
);
const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('node'), { maxLength: 5 }),
    object: fc.dictionary(key, tie('node'), { maxKeys: 6 }),
})).node;

describe('canonicalJson', () => {
    it('equals the reference on any value, with and without omitted keys', () => {
        fc.assert(fc.property(value, fc.boolean(), (v, omitting) => {
            const omit = omitting ? new Set(['location']) : undefined;
            expect(canonicalJson(v, omit)).toBe(reference(v, omit));
        }), { numRuns: 3000 });
    });

    it('equals the reference on objects with few keys and with many (sorted two ways)', () => {
        fc.assert(fc.property(fc.dictionary(key, fc.integer(), { minKeys: 10, maxKeys: 40 }), (v) => {
            expect(canonicalJson(v)).toBe(reference(v));
        }), { numRuns: 500 });
    });

    it('equals the reference where JSON orders keys apart or treats them specially', () => {
        const cases: unknown[] = [
            { b: 1, 10: 2, 9: 3, a: [undefined, () => 1] },
            JSON.parse('{"__proto__": {"x": 1}, "a": 1}'),
            { __proto__: null, toJSON: () => 'x', a: 1 },
            { toJSON: 1 },
            [1, , 3],
            { a: undefined, b: { location: 1, c: 2 } },
            new Date(0),
            undefined,
        ];
        for (const c of cases) {
            expect(canonicalJson(c, new Set(['location']))).toBe(reference(c, new Set(['location'])));
            expect(canonicalJson(c)).toBe(reference(c));
        }
    });
});
