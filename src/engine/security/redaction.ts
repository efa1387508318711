/**
 * Masks secret values in text and (deeply) in JSON-like values: every occurrence of a
 * secret, or of a form derived from it (`secret-forms.ts`: base64, base64url, hex,
 * URL-encoded, JSON-escaped, reversed), becomes `***`, also when line breaks split it
 * (a base64 dump wrapped at 76 columns, a folded line, a key with CRLF for LF): forms
 * are searched in the text with its line breaks left out. `secret-sink.ts` is the one
 * place a run's outputs pass through it.
 */
import { secretForms } from './secret-forms.js';

/** The mask that replaces a secret value. */
export const MASK = '***';

/** Line breaks: a form is found also when they split it. */
const BREAKS = /[\r\n]/g;

/** Replaces secret values in strings and (deeply) in JSON-like values. */
export class Redactor {
    /** Every form of every secret, line breaks removed, distinct. */
    private readonly forms: readonly string[];
    private readonly shortest: number;
    /** The secret values as given (distinct, non-empty). */
    readonly values: readonly string[];

    /** Empty values are ignored: masking "" would mask nothing and loop forever. */
    constructor(values: Iterable<string>) {
        this.values = [...new Set([...values].filter((v) => typeof v === 'string' && v.length > 0))];
        const forms = new Set(this.values.flatMap(secretForms).map((f) => f.replace(BREAKS, '')).filter((f) => f.length > 0));
        this.forms = [...forms];
        this.shortest = this.forms.reduce((min, f) => Math.min(min, f.length), Infinity);
    }

    /** Whether there is anything to redact (callers skip the walk when not). */
    get active(): boolean {
        return this.forms.length > 0;
    }

    text(value: string): string {
        if (value.length < this.shortest) {
            return value;
        }
        const broken = value.includes('\n') || value.includes('\r');
        const flat = broken ? value.replace(BREAKS, '') : value;
        const found = this.find(flat, false);
        if (found.length === 0) {
            return value;
        }
        // Positions in `flat` back to positions in `value`.
        let at: (i: number) => number = (i) => i;
        if (broken) {
            const map = new Int32Array(flat.length + 1);
            let k = 0;
            for (let i = 0; i < value.length; i++) {
                const c = value.charCodeAt(i);
                if (c !== 10 && c !== 13) {
                    map[k++] = i;
                }
            }
            map[k] = value.length;
            at = (i) => map[i]!;
        }
        let out = '';
        let last = 0;
        for (const [start, end] of found) {
            const from = at(start);
            out += value.slice(last, from) + MASK;
            last = at(end - 1) + 1;
        }
        return out + value.slice(last);
    }

    /** Whether a string holds a secret in any form. */
    leaks(value: string): boolean {
        if (value.length < this.shortest) {
            return false;
        }
        return this.find(value.replace(BREAKS, ''), true).length > 0;
    }

    /** Where the forms occur in `flat`: merged [start, end) ranges in order (the first one only, with `first`). */
    private find(flat: string, first: boolean): Array<[number, number]> {
        const ranges: Array<[number, number]> = [];
        for (const form of this.forms) {
            for (let i = flat.indexOf(form); i >= 0; i = flat.indexOf(form, i + 1)) {
                ranges.push([i, i + form.length]);
                if (first) {
                    return ranges;
                }
            }
        }
        if (ranges.length < 2) {
            return ranges;
        }
        ranges.sort((a, b) => a[0] - b[0]);
        const merged: Array<[number, number]> = [ranges[0]!];
        for (const r of ranges.slice(1)) {
            const top = merged[merged.length - 1]!;
            if (r[0] < top[1]) {
                top[1] = Math.max(top[1], r[1]);
            } else {
                merged.push(r);
            }
        }
        return merged;
    }

    /** Whether any string (or key) inside a JSON-like value holds a secret in any form. */
    holds(value: unknown): boolean {
        if (!this.active) {
            return false;
        }
        return this.scan(value, new Set());
    }

    /** `holds` without copying: stops at the first string that leaks. */
    private scan(value: unknown, seen: Set<unknown>): boolean {
        if (typeof value === 'string') {
            return this.leaks(value);
        }
        if (typeof value !== 'object' || value === null || seen.has(value)) {
            return false;
        }
        seen.add(value);
        const found = Array.isArray(value)
            ? value.some((v) => this.scan(v, seen))
            : value instanceof Error
              ? this.leaks(value.message)
              : Object.entries(value).some(([k, v]) => this.leaks(k) || this.scan(v, seen));
        seen.delete(value);
        return found;
    }

    /** A redacted copy of a JSON-like value (strings, arrays, plain objects; keys too). */
    value<T>(value: T): T {
        if (!this.active) {
            return value;
        }
        return this.walk(value, new Set()) as T;
    }

    private walk(value: unknown, seen: Set<unknown>): unknown {
        if (typeof value === 'string') {
            return this.text(value);
        }
        if (typeof value !== 'object' || value === null || seen.has(value)) {
            return value;
        }
        seen.add(value);
        let out: unknown;
        if (Array.isArray(value)) {
            out = value.map((v) => this.walk(v, seen));
        } else if (value instanceof Error) {
            out = { name: value.name, message: this.text(value.message) };
        } else {
            const copy: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(value)) {
                copy[this.text(k)] = this.walk(v, seen);
            }
            out = copy;
        }
        seen.delete(value);
        return out;
    }
}
