/**
 * The redacting sink on its own: every form a secret takes once transformed is masked,
 * short secrets only as written, and the sink's views of outputs, inputs and events.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MASK, Redactor } from '../../src/engine/security/redaction.js';
import { secretForms } from '../../src/engine/security/secret-forms.js';
import { SecretSink } from '../../src/engine/security/secret-sink.js';
import type { StepSpec } from '../../src/engine/model/model.js';

const SECRET = 'p4$$.w(rd)*[é]😀?';

/** Every derived form the tests expect masked, each embedded in other text. */
function encodings(secret: string): Record<string, string> {
    const bytes = Buffer.from(secret, 'utf8');
    const out: Record<string, string> = {
        raw: secret,
        hex: bytes.toString('hex'),
        HEX: bytes.toString('hex').toUpperCase(),
        url: encodeURIComponent(secret),
        json: JSON.stringify(secret).slice(1, -1),
        reversed: [...secret].reverse().join(''),
        reversedUnits: secret.split('').reverse().join(''),
    };
    for (let k = 0; k < 3; k++) {
        const lead = Buffer.alloc(k, 0x41);
        out[`base64+${k}`] = Buffer.concat([lead, bytes, Buffer.from('tail')]).toString('base64');
        out[`base64url+${k}`] = Buffer.concat([lead, bytes, Buffer.from('tail')]).toString('base64url');
    }
    return out;
}

/** The part of `encoded` that depends on the secret only: what must not survive masking. */
function leaks(masked: string, secret: string): string[] {
    const found: string[] = [];
    for (const form of secretForms(secret)) {
        if (masked.includes(form)) {
            found.push(form);
        }
    }
    return found;
}

describe('derived forms', () => {
    const r = new Redactor([SECRET]);
    for (const [name, text] of Object.entries(encodings(SECRET))) {
        it(`masks the ${name} form inside other text`, () => {
            const masked = r.text(`before ${text} after`);
            expect(masked).toContain(MASK);
            expect(leaks(masked, SECRET)).toEqual([]);
            expect(masked.startsWith('before ')).toBe(true);
        });
    }

    it('masks a form split across lines (base64 wrapped at 76 columns, a folded line)', () => {
        const long = `${SECRET}${SECRET}-and-more-${SECRET}`;
        const wrapped = Buffer.from(long).toString('base64').replace(/(.{76})/g, '$1\n');
        const masked = new Redactor([long]).text(wrapped);
        expect(masked.replace(/\n/g, '')).not.toContain(Buffer.from(long).toString('base64').slice(4, -4));
        const folded = new Redactor([SECRET]).text(`x ${SECRET.slice(0, 5)}\n${SECRET.slice(5)} y`);
        expect(folded).toBe(`x ${MASK} y`);
    });

    it('masks secrets shorter than 4 characters only as written', () => {
        const r3 = new Redactor(['abc']);
        expect(r3.text('xabcx')).toBe(`x${MASK}x`);
        expect(r3.text('cba 616263')).toBe('cba 616263');
    });

    it('masks any 4+ character value in every form, whatever its characters', () => {
        fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 4, maxLength: 24 }), fc.string({ maxLength: 8 }), (secret, pad) => {
            const r2 = new Redactor([secret]);
            for (const text of Object.values(encodings(secret))) {
                const masked = r2.text(`${pad}${text}${pad}`);
                if (leaks(masked, secret).length > 0) {
                    return false;
                }
            }
            return true;
        }), { numRuns: 300 });
    });

    it('holds() finds a form deep in a value; value() masks keys too', () => {
        const value = { a: [{ [SECRET]: `Bearer ${Buffer.from(SECRET).toString('base64')}` }], n: 1 };
        expect(r.holds(value)).toBe(true);
        expect(r.holds({ a: ['nothing'] })).toBe(false);
        expect(r.value(value)).toEqual({ a: [{ [MASK]: `Bearer ${MASK}${Buffer.from(SECRET).toString('base64').slice(-2)}` }], n: 1 });
    });
});

describe('the sink', () => {
    const spec = (extra: Partial<StepSpec> = {}): StepSpec => ({ id: 's', with: { kind: 'object', entries: [] }, after: [], requires: [], ensures: [], ...extra });
    const sink = new SecretSink([SECRET, 'hunter22'], new Set(['pin']));

    it('hides the output of a step computed from a secret, unless public (then masks it)', () => {
        const output = { token: SECRET, derived: 'abc' };
        expect(sink.output({ secret: true, spec: spec(), output })).toBe(MASK);
        expect(sink.output({ secret: true, spec: spec({ public: true }), output })).toEqual({ token: MASK, derived: 'abc' });
        expect(sink.output({ secret: false, spec: spec(), output: `x${SECRET}` })).toBe(`x${MASK}`);
    });

    it('journals secret inputs as *** whatever their value, and masks the others', () => {
        expect(sink.inputs({ pin: 1234, user: 'me', note: 'hunter22!' })).toEqual({ pin: MASK, user: 'me', note: `${MASK}!` });
    });

    it('masks the free text of events', () => {
        const at = 0;
        expect(sink.event({ type: 'log', runId: 'r', at, level: 'info', message: `token ${SECRET}` })).toMatchObject({ message: `token ${MASK}` });
        expect(sink.event({ type: 'step-progress', runId: 'r', at, stepId: 's', progress: 1, message: 'hunter22' })).toMatchObject({ message: MASK });
        expect(sink.event({ type: 'step-finished', runId: 'r', at, stepId: 's', status: 'failed', durationMs: 1, attempts: 1, error: { message: `no ${SECRET}`, code: 'x', retryable: false } }))
            .toMatchObject({ error: { message: `no ${MASK}` } });
    });

    it('costs nothing without secrets', () => {
        const empty = new SecretSink([]);
        const event = { type: 'log' as const, runId: 'r', at: 0, level: 'info' as const, message: 'm' };
        expect(empty.active).toBe(false);
        expect(empty.event(event)).toBe(event);
    });
});
