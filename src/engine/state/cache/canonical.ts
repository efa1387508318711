/**
 * Canonical JSON (object keys sorted, recursively; no whitespace) and SHA-256: the
 * stable text behind cache keys and workflow hashes, so `{a, b}` and `{b, a}` are the
 * same call.
 */
import * as crypto from 'node:crypto';

/**
 * JSON with sorted keys. `undefined` members are dropped, as JSON.stringify does, and so
 * are members named in `omit` at any depth (the journal's hashes leave out `location`).
 */
export function canonicalJson(value: unknown, omit?: ReadonlySet<string>): string {
    return JSON.stringify(sortKeys(value, omit)) ?? 'null';
}

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

/** Hex SHA-256 of a string (the one-shot `crypto.hash` where Node has it: 3× faster). */
export function sha256(text: string): string {
    return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;
