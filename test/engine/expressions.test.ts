import { describe, expect, it } from 'vitest';
import { EvalError, evaluate, referencedSteps, referencesSecret, type EvalScope, type StepView } from '../../src/engine/model/expressions.js';
import type { Expr } from '../../src/engine/model/model.js';
import { bin, lit, obj, ref, root } from './helpers.js';

const steps = new Map<string, StepView>([
    ['list', { status: 'succeeded', output: { macros: [{ name: 'a' }, { name: 'b' }], count: 2 }, result: { raw: true } }],
    ['bad', { status: 'failed', output: null }],
]);
const scope: EvalScope = {
    steps,
    inputs: { group: 'Work', n: 3 },
    env: { HOME: '/home/u' },
    secrets: { TOKEN: 's3cr3t' },
    items: { m: { name: 'x' } },
};
const ev = (e: Expr) => evaluate(e, scope);

describe('evaluate', () => {
    it('reads step fields, inputs, env, secrets and items', () => {
        expect(ev(ref('list', 'output', 'count'))).toBe(2);
        expect(ev({ kind: 'ref', root: 'step', name: 'list', path: [{ field: 'output' }, { field: 'macros' }, { index: lit(1) }, { field: 'name' }] })).toBe('b');
        expect(ev(ref('list', 'ok'))).toBe(true);
        expect(ev(ref('bad', 'ok'))).toBe(false);
        expect(ev(ref('bad', 'status'))).toBe('failed');
        expect(ev(ref('list', 'result'))).toEqual({ raw: true });
        expect(ev(root('input', 'group'))).toBe('Work');
        expect(ev(root('env', 'HOME'))).toBe('/home/u');
        expect(ev(root('secret', 'TOKEN'))).toBe('s3cr3t');
        expect(ev(root('item', 'm', 'name'))).toBe('x');
        expect(ev(ref('list', 'output', 'macros', 'length'))).toBe(2);
    });

    it('yields undefined for missing data instead of throwing', () => {
        expect(ev(ref('list', 'output', 'nope', 'deeper'))).toBeUndefined();
        expect(ev(ref('ghost', 'output'))).toBeUndefined();
        expect(ev(root('input', 'missing'))).toBeUndefined();
        expect(ev(root('input', 'toString'))).toBeUndefined(); // no prototype leaks
    });

    it('compares deeply, and null equals a missing value', () => {
        expect(ev(bin('==', { kind: 'list', items: [lit(1), obj({ a: lit(2) })] }, { kind: 'list', items: [lit(1), obj({ a: lit(2) })] }))).toBe(true);
        expect(ev(bin('!=', obj({ a: lit(1) }), obj({ a: lit(2) })))).toBe(true);
        expect(ev(bin('==', ref('list', 'output', 'missing'), lit(null)))).toBe(true);
    });

    it('orders numbers and strings, refuses mixed comparisons', () => {
        expect(ev(bin('>', ref('list', 'output', 'count'), lit(0)))).toBe(true);
        expect(ev(bin('<=', lit('a'), lit('b')))).toBe(true);
        expect(() => ev(bin('<', lit('a'), lit(1)))).toThrow(EvalError);
        expect(() => ev(bin('<', lit('a'), lit(1)))).toThrow(/cannot compare string with number in `"a" < 1`/);
    });

    it('does arithmetic on numbers and concatenation on strings', () => {
        expect(ev(bin('+', lit(1), lit(2)))).toBe(3);
        expect(ev(bin('*', bin('-', lit(7), lit(1)), lit(2)))).toBe(12);
        expect(ev(bin('/', lit(1), lit(4)))).toBe(0.25);
        expect(ev(bin('+', lit('n='), lit(3)))).toBe('n=3');
        expect(ev(bin('+', lit('o='), obj({ a: lit(1) })))).toBe('o={"a":1}');
        expect(ev({ kind: 'unary', op: '-', operand: lit(4) })).toBe(-4);
        expect(() => ev(bin('-', lit('a'), lit(1)))).toThrow(/'-' needs two numbers, got string and number in `"a" - 1`/);
        expect(() => ev(bin('+', lit(true), lit(1)))).toThrow(EvalError);
        expect(() => ev(bin('/', lit(1), lit(0)))).toThrow(/division by zero/);
        expect(() => ev({ kind: 'unary', op: '-', operand: lit('x') })).toThrow(EvalError);
    });

    it('short-circuits and/or with truthiness', () => {
        expect(ev(bin('and', ref('list', 'ok'), bin('>', ref('list', 'output', 'count'), lit(0))))).toBe(true);
        expect(ev(bin('or', root('input', 'missing'), lit('default')))).toBe('default');
        // The right side would throw if evaluated.
        expect(ev(bin('and', lit(false), bin('<', lit('a'), lit(1))))).toBe(false);
        expect(ev({ kind: 'unary', op: 'not', operand: lit('') })).toBe(true);
    });

    it('concatenates templates, objects as JSON, missing as empty', () => {
        const t: Expr = { kind: 'template', parts: ['g=', root('input', 'group'), ' o=', obj({ a: lit(1) }), ' m=', root('input', 'none'), '.'] };
        expect(ev(t)).toBe('g=Work o={"a":1} m=.');
    });

    it('lists referenced steps and secrets', () => {
        const e = obj({ a: ref('list', 'output'), b: { kind: 'template', parts: [ref('bad', 'status'), root('secret', 'TOKEN')] } });
        expect([...referencedSteps(e)].sort()).toEqual(['bad', 'list']);
        expect(referencesSecret(e)).toBe(true);
        expect(referencesSecret(ref('list', 'output'))).toBe(false);
    });
});
