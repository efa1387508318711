/**
 * Masks secret values in text and (deeply) in JSON-like values: every occurrence of a
 * secret, or of a form derived from it (`secret-forms.ts`: base64, base64url, hex,
 * URL-encoded, JSON-escaped, reversed), becomes `***`, also when a line break splits
 * it (a base64 dump wrapped at 76 columns, a folded line). `secret-sink.ts` is the one
 * place a run's outputs pass through it.
 */
import { secretForms } from './secret-forms.js';

/** The mask that replaces a secret value. */
export const MASK = '***';

/** Regex source of one code unit: letters and digits as they are, anything else escaped. */
function unit(c: string): string {
    return /[A-Za-z0-9]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A form, matched also with a line break between any two of its characters. */
function formPattern(form: string): string {
    return form.split('').map(unit).join('(?:\\r?\\n)?');
}

/** Replaces secret values in strings and (deeply) in JSON-like values. */
export class Redactor {
    private readonly pattern: RegExp | undefined;
    private readonly shortest: number;
    /** The secret values as given (distinct, non-empty). */
    readonly values: readonly string[];

    /** Empty values are ignored: masking "" would mask nothing and loop forever. */
    constructor(values: Iterable<string>) {
        this.values = [...new Set([...values].filter((v) => typeof v === 'string' && v.length > 0))];
        // Longest first, so a secret containing another is masked whole.
        const forms = [...new Set(this.values.flatMap(secretForms))].sort((a, b) => b.length - a.length);
        this.shortest = forms.length > 0 ? forms[forms.length - 1]!.length : Infinity;
        this.pattern = forms.length > 0 ? new RegExp(forms.map(formPattern).join('|'), 'g') : undefined;
    }

    /** Whether there is anything to redact (callers skip the walk when not). */
    get active(): boolean {
        return this.pattern !== undefined;
    }

    text(value: string): string {
        if (this.pattern === undefined || value.length < this.shortest) {
            return value;
        }
        return value.replace(this.pattern, MASK);
    }

    /** Whether a string holds a secret in any form. */
    leaks(value: string): boolean {
        if (this.pattern === undefined || value.length < this.shortest) {
            return false;
        }
        this.pattern.lastIndex = 0;
        const found = this.pattern.test(value);
        this.pattern.lastIndex = 0;
        return found;
    }

    /** Whether any string (or key) inside a JSON-like value holds a secret in any form. */
    holds(value: unknown): boolean {
        if (!this.active) {
            return false;
        }
        let found = false;
        this.walk(value, new Set(), (s) => {
            found ||= this.leaks(s);
            return s;
        });
        return found;
    }

    /** A redacted copy of a JSON-like value (strings, arrays, plain objects; keys too). */
    value<T>(value: T): T {
        if (!this.active) {
            return value;
        }
        return this.walk(value, new Set(), (s) => this.text(s)) as T;
    }

    private walk(value: unknown, seen: Set<unknown>, map: (s: string) => string): unknown {
        if (typeof value === 'string') {
            return map(value);
        }
        if (typeof value !== 'object' || value === null || seen.has(value)) {
            return value;
        }
        seen.add(value);
        let out: unknown;
        if (Array.isArray(value)) {
            out = value.map((v) => this.walk(v, seen, map));
        } else if (value instanceof Error) {
            out = { name: value.name, message: map(value.message) };
        } else {
            const copy: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(value)) {
                copy[map(k)] = this.walk(v, seen, map);
            }
            out = copy;
        }
        seen.delete(value);
        return out;
    }
}
