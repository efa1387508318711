/**
 * Keeps secret values out of everything a run shows: report, events, logs. Every
 * occurrence of a secret's value in a string becomes `***`, however deep it sits.
 */

/** The mask that replaces a secret value. */
export const MASK = '***';

/** Replaces secret values in strings and (deeply) in JSON-like values. */
export class Redactor {
    private readonly values: string[];

    /** Empty values are ignored: masking "" would mask nothing and loop forever. */
    constructor(values: Iterable<string>) {
        // Longest first, so a secret containing another is masked whole.
        this.values = [...new Set([...values].filter((v) => v.length > 0))].sort((a, b) => b.length - a.length);
    }

    /** Whether there is anything to redact (callers skip the walk when not). */
    get active(): boolean {
        return this.values.length > 0;
    }

    text(value: string): string {
        let out = value;
        for (const secret of this.values) {
            if (out.includes(secret)) {
                out = out.split(secret).join(MASK);
            }
        }
        return out;
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
