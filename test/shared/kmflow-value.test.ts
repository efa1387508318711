/**
 * "Copy as stub" writes a finished step as a `given` line: parsed back by the real
 * grammar inside a test block and evaluated by the engine, the value is the one the step
 * returned — strings with quotes, line breaks and `${`, reserved words as keys, nesting —
 * and a failed step's line fails with its code and message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/model/expressions.js';
import { isDocument, type TestDecl } from '../../src/language/generated/ast.js';
import { toTestSpec } from '../../src/language/to-test-spec.js';
import { kmflowValue, stubLine } from '../../src/shared/kmflow-value.js';
import { buildWorkspace, diagnosticsOf } from '../helpers/documents.js';

const FLOW = 'workflow w {\n    step a uses log { with { message: "x" } }\n}\n';

/** The stubs a test block with `lines` declares, as the runner gets them. */
async function stubsOf(lines: string[]) {
    const text = `${FLOW}test "t" for w {\n${lines.map((l) => `    ${l}`).join('\n')}\n}\n`;
    const ws = await buildWorkspace({ 'main.kmflow': text });
    const errors = diagnosticsOf(ws, 'main.kmflow').filter((d) => d.severity === 'error' && d.code === 'syntax');
    expect(errors, text).toEqual([]);
    const root = ws.documents.get('main.kmflow')!.parseResult.value;
    const test = (isDocument(root) ? root.tests : [])[0] as TestDecl;
    return toTestSpec(ws.services, test).stubs;
}

const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1 }), tie('value'), { maxKeys: 3 })),
})).value;

describe('steps written as stubs', () => {
    it('reads back as the value the step returned', async () => {
        const output = { success: true, data: { 'step': 1, text: 'say "hi"\nthen ${not.this}', list: [1, 2.5, null, false], 'odd key': {} } };
        const [stub] = await stubsOf([stubLine({ id: 'a', status: 'succeeded', output })]);
        const outcome = stub!.outcomes[0]!;
        expect(outcome.kind).toBe('returns');
        expect(evaluate((outcome as { value: Parameters<typeof evaluate>[0] }).value, { steps: {}, inputs: {}, env: {}, secrets: {} } as never)).toEqual(output);
    });

    it('fails a failed step with its code and message', async () => {
        const [stub] = await stubsOf([stubLine({ id: 'a', status: 'failed', error: { code: 'KM_CONNECTION_FAILED', message: 'Cannot "connect"', retryable: true } })]);
        expect(stub!.outcomes[0]).toMatchObject({ kind: 'fails', code: 'KM_CONNECTION_FAILED', message: 'Cannot "connect"', retryable: true });
    });

    it('round-trips any JSON value', async () => {
        await fc.assert(fc.asyncProperty(json, async (value) => {
            const [stub] = await stubsOf([`given a returns ${kmflowValue(value)}`]);
            const back = evaluate((stub!.outcomes[0] as { value: Parameters<typeof evaluate>[0] }).value, { steps: {}, inputs: {}, env: {}, secrets: {} } as never);
            expect(back).toEqual(JSON.parse(JSON.stringify(value)));
        }), { numRuns: 25 });
    }, 60_000);
});
